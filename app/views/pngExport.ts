/**
 * Saves an image view as a PNG (issue #6: sample grids as PNG), magnified by whole multiples
 * with sharp pixels. Browser-only: the encoding is the canvas's own.
 */
import { downloadFile, safeFileName } from '../run/download'
import type { Raster } from './imageRaster'
import { pngScale } from './viewRaster'

/** Text written under a raster in its PNG (a filmstrip's steps): centred at raster x `centre`. */
export interface RasterLabel {
  readonly centre: number
  readonly text: string
}

/** Height of the band of labels under the picture, in PNG pixels, and their font. */
const LABEL_BAND = 18
const LABEL_FONT = '12px system-ui, sans-serif'
/** Mid grey: readable on the light and the dark backgrounds a PNG is shown on. */
const LABEL_COLOR = '#71717a'

/**
 * The raster as PNG bytes, each pixel a `scale` × `scale` square; with `labels`, a band below
 * with each label's text centred under its x.
 */
export async function rasterPng(
  raster: Raster,
  scale = pngScale(raster),
  labels: readonly RasterLabel[] = [],
): Promise<Blob> {
  const source = new OffscreenCanvas(raster.width, raster.height)
  source
    .getContext('2d')
    ?.putImageData(
      new ImageData(new Uint8ClampedArray(raster.rgba), raster.width, raster.height),
      0,
      0,
    )
  const band = labels.length === 0 ? 0 : LABEL_BAND
  const target = new OffscreenCanvas(raster.width * scale, raster.height * scale + band)
  const context = target.getContext('2d')
  if (context === null) throw new Error('this browser cannot draw the image')
  context.imageSmoothingEnabled = false
  context.drawImage(source, 0, 0, raster.width * scale, raster.height * scale)
  context.font = LABEL_FONT
  context.fillStyle = LABEL_COLOR
  context.textAlign = 'center'
  context.textBaseline = 'top'
  for (const label of labels)
    context.fillText(label.text, label.centre * scale, raster.height * scale + 4)
  return target.convertToBlob({ type: 'image/png' })
}

/**
 * Downloads the raster as `<name>-step<step>.png`, or `<name>-<part>-step<step>.png` for a part
 * of the view (its filmstrip), magnified by `scale` and labelled as {@link rasterPng}.
 */
export async function downloadRasterPng(
  raster: Raster,
  name: string,
  step: number,
  options: { part?: string; scale?: number; labels?: readonly RasterLabel[] } = {},
): Promise<void> {
  const blob = await rasterPng(raster, options.scale, options.labels)
  const part = options.part === undefined ? '' : `-${options.part}`
  downloadFile(`${safeFileName(name)}${part}-step${step}.png`, blob, 'image/png')
}
