import { useMemo, useState } from 'react'
import { filmstripRaster, FILMSTRIP_SAMPLES, formatStep, type FilmFrame } from './filmstrip'
import { downloadRasterPng } from './pngExport'
import { RasterImage } from './RasterImage'

const BUTTON =
  'rounded-md border border-zinc-300 px-1.5 py-0.5 text-[11px] hover:bg-zinc-100 disabled:opacity-45 dark:border-zinc-700 dark:hover:bg-zinc-800'

/** The most the strip takes in the card, in CSS pixels. */
const MAX_WIDTH = 380
const MAX_HEIGHT = 150
/** The PNG is at least this magnified, so the steps under the columns fit. */
const PNG_SCALE = 2

/**
 * The filmstrip under a sample grid in the dock: the first samples (fixed z) at each kept step
 * of the open run, a column per step with the step under it, and "Download filmstrip PNG".
 */
export function Filmstrip({ frames, name }: { frames: readonly FilmFrame[]; name: string }) {
  const { raster, columns } = useMemo(() => filmstripRaster(frames), [frames])
  const [problem, setProblem] = useState<string>()
  const fit = Math.min(
    MAX_WIDTH / Math.max(1, raster.width),
    MAX_HEIGHT / Math.max(1, raster.height),
  )
  // The scale RasterImage picks for this box: whole multiples when there is room.
  const scale = fit >= 1 ? Math.floor(fit) : fit
  const first = frames[0]?.step ?? 0
  const last = frames.at(-1)?.step ?? 0
  const samples = Math.min(FILMSTRIP_SAMPLES, frames[0]?.grid.count ?? 0)
  const steps =
    frames.length === 1
      ? `step ${formatStep(first)}`
      : `${frames.length} steps, ${formatStep(first)} to ${formatStep(last)}`
  if (raster.width === 0) return null
  return (
    <div role="group" aria-label="Filmstrip" className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <span className="text-[10px] text-zinc-500 dark:text-zinc-400">
          The same {samples} latents over training
        </span>
        <span className="flex-1" />
        <button
          type="button"
          className={BUTTON}
          onClick={() => {
            setProblem(undefined)
            downloadRasterPng(raster, name, last, {
              part: 'filmstrip',
              scale: Math.max(PNG_SCALE, Math.floor(512 / raster.width)),
              labels: columns.map(({ centre, step }) => ({ centre, text: formatStep(step) })),
            }).catch((cause: unknown) => {
              setProblem(cause instanceof Error ? cause.message : String(cause))
            })
          }}
        >
          Download filmstrip PNG
        </button>
      </div>
      <RasterImage
        raster={raster}
        maxWidth={raster.width * scale}
        maxHeight={raster.height * scale}
        label={`Filmstrip: the first ${samples} samples at ${steps}`}
      />
      <ol
        aria-label="Steps"
        className="relative h-3 text-[9px] leading-3 text-zinc-500 tabular-nums dark:text-zinc-400"
        style={{ width: Math.round(raster.width * scale) }}
      >
        {columns.map(({ centre, step }) => (
          <li
            key={step}
            className="absolute top-0 -translate-x-1/2 whitespace-nowrap"
            style={{ left: centre * scale }}
          >
            {formatStep(step)}
          </li>
        ))}
      </ol>
      {problem !== undefined && <p className="text-red-700 dark:text-red-400">{problem}</p>}
    </div>
  )
}
