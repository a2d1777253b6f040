/**
 * Decoding one image file in the browser: `createImageBitmap` decodes it (off the main thread
 * in Chromium), the centre square is resized to the dataset's size with the browser's
 * high-quality filter, drawn over white on an OffscreenCanvas and read back as grayscale or RGB
 * bytes. Browser-only; the arithmetic lives in pixels.ts, which is tested on Node.
 */
import { centreCrop, rgbaToChannels } from './pixels'

/** Decodes an image file to `size`×`size`×`channels` bytes; rejects for unreadable files. */
export type ImageDecoder = (file: Blob) => Promise<Uint8Array>

/** A decoder for one size and channel count; one canvas serves every image. */
export function createCanvasDecoder(size: number, channels: 1 | 3): ImageDecoder {
  const canvas = new OffscreenCanvas(size, size)
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (context === null) throw new Error('This browser cannot draw images off screen')
  return async (file) => {
    let source: ImageBitmap
    try {
      source = await createImageBitmap(file)
    } catch {
      throw new Error('not a readable image')
    }
    let resized: ImageBitmap | undefined
    try {
      if (source.width < 1 || source.height < 1) throw new Error('an empty image')
      const crop = centreCrop(source.width, source.height)
      // The browser's resize filters a large photo down properly; drawImage alone aliases.
      resized = await createImageBitmap(source, crop.x, crop.y, crop.side, crop.side, {
        resizeWidth: size,
        resizeHeight: size,
        resizeQuality: 'high',
      })
      context.fillStyle = '#fff'
      context.fillRect(0, 0, size, size)
      context.drawImage(resized, 0, 0)
      return rgbaToChannels(context.getImageData(0, 0, size, size).data, channels)
    } finally {
      source.close()
      resized?.close()
    }
  }
}
