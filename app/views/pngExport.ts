/**
 * Saves an image view as a PNG (issue #6: sample grids as PNG), magnified by whole multiples
 * with sharp pixels. Browser-only: the encoding is the canvas's own.
 */
import { downloadFile, safeFileName } from '../run/download'
import type { Raster } from './imageRaster'
import { pngScale } from './viewRaster'

/** The raster as PNG bytes, each pixel a `scale` × `scale` square. */
export async function rasterPng(raster: Raster, scale = pngScale(raster)): Promise<Blob> {
  const source = new OffscreenCanvas(raster.width, raster.height)
  source
    .getContext('2d')
    ?.putImageData(
      new ImageData(new Uint8ClampedArray(raster.rgba), raster.width, raster.height),
      0,
      0,
    )
  const target = new OffscreenCanvas(raster.width * scale, raster.height * scale)
  const context = target.getContext('2d')
  if (context === null) throw new Error('this browser cannot draw the image')
  context.imageSmoothingEnabled = false
  context.drawImage(source, 0, 0, target.width, target.height)
  return target.convertToBlob({ type: 'image/png' })
}

/** Downloads the raster as `<name>-step<step>.png`. */
export async function downloadRasterPng(raster: Raster, name: string, step: number): Promise<void> {
  const blob = await rasterPng(raster)
  downloadFile(`${safeFileName(name)}-step${step}.png`, blob, 'image/png')
}
