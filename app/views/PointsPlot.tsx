import { useCallback } from 'react'
import type { Bounds } from '../../nodes/view/metrics/decisionSurface'
import type { Raster } from './imageRaster'
import { ViewCanvas } from './ViewCanvas'

/** One cloud of points in one colour. */
export interface PointLayer {
  /** Row-major `[n, x y]`. */
  readonly points: readonly number[]
  readonly color: string
  /** Per-point colours (identities) instead of `color`. */
  readonly colors?: readonly string[]
  readonly label: string
  /** How opaque the dots are; default 0.8. A faint layer under another keeps both readable. */
  readonly opacity?: number
}

/**
 * Point clouds in a square frame over `bounds` (y up), later layers on top; dots shrink as
 * clouds grow so hundreds stay readable in a thumbnail.
 */
export function PointsPlot(props: {
  layers: readonly PointLayer[]
  bounds: Bounds
  size: number
  label: string
  /** A raster stretched over the whole plot, under the points (D's decision surface). */
  background?: Raster
}) {
  const { layers, bounds, size, label, background } = props
  const draw = useCallback(
    (context: CanvasRenderingContext2D, area: { width: number; height: number }, ink: string) => {
      const { width, height } = area
      const { xMin, xMax, yMin, yMax } = bounds
      const toX = (x: number) => ((x - xMin) / (xMax - xMin || 1)) * width
      const toY = (y: number) => height - ((y - yMin) / (yMax - yMin || 1)) * height
      if (background !== undefined && background.width > 0) {
        const bitmap = new OffscreenCanvas(background.width, background.height)
        bitmap
          .getContext('2d')
          ?.putImageData(
            new ImageData(
              new Uint8ClampedArray(background.rgba),
              background.width,
              background.height,
            ),
            0,
            0,
          )
        // Smoothed: the grid is coarse, the boundary it samples is not.
        context.imageSmoothingEnabled = true
        context.drawImage(bitmap, 0, 0, width, height)
      }
      context.strokeStyle = ink
      context.globalAlpha = 0.35
      context.lineWidth = 1
      context.strokeRect(0.5, 0.5, width - 1, height - 1)
      // The axes through the origin, when it is in view.
      context.setLineDash([2, 3])
      context.beginPath()
      if (xMin < 0 && xMax > 0) {
        context.moveTo(Math.round(toX(0)) + 0.5, 0)
        context.lineTo(Math.round(toX(0)) + 0.5, height)
      }
      if (yMin < 0 && yMax > 0) {
        context.moveTo(0, Math.round(toY(0)) + 0.5)
        context.lineTo(width, Math.round(toY(0)) + 0.5)
      }
      context.stroke()
      context.setLineDash([])
      const total = layers.reduce((sum, layer) => sum + layer.points.length / 2, 0)
      const radius = Math.max(1.1, Math.min(3, (size / 90) * (total > 400 ? 0.7 : 1)))
      for (const layer of layers) {
        context.globalAlpha = layer.opacity ?? 0.8
        for (let k = 0; k + 1 < layer.points.length; k += 2) {
          context.fillStyle = layer.colors?.[k / 2] ?? layer.color
          context.beginPath()
          context.arc(
            toX(layer.points[k] ?? 0),
            toY(layer.points[k + 1] ?? 0),
            radius,
            0,
            2 * Math.PI,
          )
          context.fill()
        }
      }
      context.globalAlpha = 1
    },
    [layers, bounds, size, background],
  )
  return <ViewCanvas width={size} height={size} draw={draw} label={label} />
}

/** The legend under a plot: a dot and a name per entry. */
export function PlotLegend({ entries }: { entries: readonly { label: string; color: string }[] }) {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-[10px] text-zinc-500 dark:text-zinc-400">
      {entries.map((entry) => (
        <li key={entry.label} className="flex items-center gap-1">
          <span
            aria-hidden
            className="inline-block h-2 w-2 rounded-full"
            style={{ background: entry.color }}
          />
          {entry.label}
        </li>
      ))}
    </ul>
  )
}
