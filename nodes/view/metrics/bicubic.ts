/**
 * Bicubic upsampling, the classic reference of super-resolution: what `view.reconstruction`
 * draws beside a generator's upscaled image and the quality bench measures it against.
 *
 * Keys' cubic convolution (Keys 1981, "Cubic convolution interpolation for digital image
 * processing") with a = −0.5, the bicubic of TF, OpenCV, PIL and Matlab; separable, 4 × 4 taps.
 *
 * **Pixel centres.** Half-pixel alignment: output pixel X (of the image f times larger) samples
 * the input at s = (X + ½)/f − ½, in input pixel indices. It is the alignment `data.downsample`
 * makes: its low-resolution pixel i is the mean of high-resolution pixels f·i … f·i + f − 1,
 * whose centre is f·i + f/2 − ½ — exactly where s = i. **Borders** repeat the edge pixel (taps
 * outside the image read the nearest pixel inside).
 */

/** Keys' parameter a; −0.5 makes the interpolation exact for quadratics away from borders. */
const A = -0.5

/**
 * Keys' cubic convolution kernel W(x), a = −0.5: (a + 2)|x|³ − (a + 3)|x|² + 1 for |x| ≤ 1,
 * a|x|³ − 5a|x|² + 8a|x| − 4a for 1 < |x| < 2, else 0. W(0) = 1, W(±1) = W(±2) = 0, and the four
 * taps of any position sum to 1.
 */
export function keysCubic(x: number): number {
  const t = Math.abs(x)
  if (t <= 1) return (A + 2) * t ** 3 - (A + 3) * t ** 2 + 1
  if (t < 2) return A * t ** 3 - 5 * A * t ** 2 + 8 * A * t - 4 * A
  return 0
}

/** The four input indices (edge clamped) and weights behind one output coordinate. */
interface Tap {
  readonly index: number
  readonly weight: number
}

/** Per output coordinate of a side `size` upsampled by `factor`: its four taps. */
function tapsAlong(size: number, factor: number): Tap[][] {
  return Array.from({ length: size * factor }, (_, out) => {
    const source = (out + 0.5) / factor - 0.5
    const base = Math.floor(source)
    return [-1, 0, 1, 2].map((offset) => ({
      index: Math.min(size - 1, Math.max(0, base + offset)),
      weight: keysCubic(source - (base + offset)),
    }))
  })
}

/**
 * `count` images, row-major `[count, height, width, channels]`, upsampled by the whole number
 * `factor` to `[count, height·f, width·f, channels]` by bicubic interpolation (half-pixel
 * centres, edges repeated; see the module comment). With `clip` = [lo, hi] each output value is
 * clipped to it (the overshoot of the kernel's negative lobes at sharp edges), so the reference
 * is a valid image. Throws a RangeError for a factor that is not a positive integer.
 */
export function bicubicUpsample(
  values: ArrayLike<number>,
  count: number,
  [height, width, channels]: readonly [number, number, number],
  factor: number,
  clip?: readonly [number, number],
): Float32Array {
  if (!Number.isInteger(factor) || factor < 1)
    throw new RangeError(`the upsampling factor must be a positive integer, got ${factor}`)
  const [low, high] = clip ?? [-Infinity, Infinity]
  const outHeight = height * factor
  const outWidth = width * factor
  const rowTaps = tapsAlong(height, factor)
  const columnTaps = tapsAlong(width, factor)
  const out = new Float32Array(count * outHeight * outWidth * channels)
  for (let image = 0; image < count; image++) {
    const inBase = image * height * width * channels
    const outBase = image * outHeight * outWidth * channels
    for (let y = 0; y < outHeight; y++) {
      const rows = rowTaps[y] ?? []
      for (let x = 0; x < outWidth; x++) {
        const columns = columnTaps[x] ?? []
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (const row of rows) {
            for (const column of columns) {
              const at = inBase + (row.index * width + column.index) * channels + c
              sum += row.weight * column.weight * (values[at] ?? 0)
            }
          }
          out[outBase + (y * outWidth + x) * channels + c] = Math.min(high, Math.max(low, sum))
        }
      }
    }
  }
  return out
}
