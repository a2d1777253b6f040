/**
 * Pixel arithmetic of an import, pure: the centre crop of a source image and the conversion of
 * a canvas's RGBA bytes to the stored grayscale or RGB bytes.
 */

/** A source rectangle in pixels. */
export interface CropRect {
  x: number
  y: number
  side: number
}

/**
 * The largest centred square of a `width`×`height` image: what is resized to the dataset's
 * size, so images keep their aspect ratio and lose the same margin on both sides.
 */
export function centreCrop(width: number, height: number): CropRect {
  const side = Math.min(width, height)
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), side }
}

/**
 * `side`×`side` RGBA bytes (opaque: the canvas was filled white before drawing, so transparent
 * pixels read as paper) to `channels` bytes per pixel. Grayscale is Rec. 601 luma,
 * 0.299 R + 0.587 G + 0.114 B, rounded.
 */
export function rgbaToChannels(rgba: Uint8ClampedArray | Uint8Array, channels: 1 | 3): Uint8Array {
  const pixels = rgba.length / 4
  const out = new Uint8Array(pixels * channels)
  for (let pixel = 0; pixel < pixels; pixel++) {
    const r = rgba[pixel * 4] ?? 0
    const g = rgba[pixel * 4 + 1] ?? 0
    const b = rgba[pixel * 4 + 2] ?? 0
    if (channels === 1) out[pixel] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
    else {
      out[pixel * 3] = r
      out[pixel * 3 + 1] = g
      out[pixel * 3 + 2] = b
    }
  }
  return out
}
