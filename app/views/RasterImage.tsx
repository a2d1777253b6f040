import { useCallback } from 'react'
import type { Raster } from './imageRaster'
import { ViewCanvas } from './ViewCanvas'

/**
 * A raster scaled to fit `maxWidth` × `maxHeight` (whole multiples when it is small, so pixels
 * stay square and sharp), or stretched to fill it, on a canvas named `label`.
 */
export function RasterImage(props: {
  raster: Raster
  maxWidth: number
  maxHeight: number
  label: string
  /** Fill `maxWidth` × `maxHeight` exactly (cells need not be square: heat strips). */
  isStretched?: boolean
}) {
  const { raster, maxWidth, maxHeight, label, isStretched = false } = props
  const fit = Math.min(maxWidth / Math.max(1, raster.width), maxHeight / Math.max(1, raster.height))
  const scale = fit >= 1 ? Math.floor(fit) : fit
  const width = isStretched ? maxWidth : Math.max(1, Math.round(raster.width * scale))
  const height = isStretched ? maxHeight : Math.max(1, Math.round(raster.height * scale))
  const draw = useCallback(
    (context: CanvasRenderingContext2D, area: { width: number; height: number }) => {
      if (raster.width === 0 || raster.height === 0) return
      const bitmap = new OffscreenCanvas(raster.width, raster.height)
      const bitmapContext = bitmap.getContext('2d')
      if (bitmapContext === null) return
      bitmapContext.putImageData(
        new ImageData(new Uint8ClampedArray(raster.rgba), raster.width, raster.height),
        0,
        0,
      )
      context.imageSmoothingEnabled = false
      context.drawImage(bitmap, 0, 0, area.width, area.height)
    },
    [raster],
  )
  return <ViewCanvas width={width} height={height} draw={draw} label={label} />
}
