import { useMemo, useState } from 'react'
import type { DenoisingLevels } from '../../nodes/view/metrics/denoising'
import { decodedRaster } from './latentRasters'
import { RasterImage } from './RasterImage'

const Caption = ({ children }: { children: React.ReactNode }) => (
  <span className="text-[10px] text-zinc-500 dark:text-zinc-400">{children}</span>
)

/** "23.4 dB", or "∞ dB" for an identical image (PSNR null). */
export const formatPsnr = (value: number | null) =>
  value === null ? '∞ dB' : `${value.toFixed(1)} dB`

/**
 * The denoising slider of a reconstruction view (issue #8): the same clean held-out images
 * with Gaussian noise of the chosen σ (the worker evaluated every level), the model's output on
 * them and the clean target, one row each, with the PSNR of the noisy input and of the output.
 * Moving the slider only changes which level is drawn: no request.
 */
export function DenoisingFigure({ denoising }: { denoising: DenoisingLevels }) {
  const levels = 'problem' in denoising ? [] : denoising.levels
  // Starts at the first level above 0: σ = 0 shows no noise to remove.
  const [index, setIndex] = useState(1)
  const shown = Math.max(0, Math.min(index, levels.length - 1))
  const level = levels[shown]
  const clean = 'problem' in denoising ? undefined : denoising.clean
  const rasters = useMemo(
    () =>
      level === undefined || clean === undefined
        ? undefined
        : {
            noisy: decodedRaster(level.noisy, level.noisy.count),
            output: decodedRaster(level.output, level.output.count),
            clean: decodedRaster(clean, clean.count),
          },
    [level, clean],
  )
  if ('problem' in denoising) return <Caption>{denoising.problem}</Caption>
  if (level === undefined || rasters === undefined) return null
  const sigma = level.sigma.toFixed(1)
  const rows = [
    { name: 'Noisy input', raster: rasters.noisy, psnr: formatPsnr(level.noisyPsnr) },
    { name: 'Output', raster: rasters.output, psnr: formatPsnr(level.outputPsnr) },
    { name: 'Clean target', raster: rasters.clean, psnr: '' },
  ]
  return (
    <div
      role="group"
      aria-label={`Denoising at noise σ = ${sigma}: PSNR of the noisy input ${formatPsnr(level.noisyPsnr)}, of the output ${formatPsnr(level.outputPsnr)}`}
      className="flex flex-col gap-1"
    >
      <label className="flex items-center gap-2 text-[11px]">
        Noise σ
        <input
          type="range"
          min={0}
          max={levels.length - 1}
          step={1}
          value={shown}
          aria-valuetext={sigma}
          onChange={(event) => {
            setIndex(Number(event.target.value))
          }}
        />
        <span className="font-mono">{sigma}</span>
      </label>
      <div className="grid grid-cols-[auto_auto] items-center gap-x-2 gap-y-1">
        {rows.map(({ name, raster, psnr }) => (
          <div key={name} className="contents">
            <span className="text-[10px] text-zinc-600 dark:text-zinc-300">
              {name}
              {psnr === '' ? '' : <br />}
              {psnr === '' ? '' : `PSNR ${psnr}`}
            </span>
            <RasterImage
              raster={raster}
              maxWidth={300}
              maxHeight={48}
              label={`${name} at σ = ${sigma}`}
            />
          </div>
        ))}
      </div>
      <Caption>
        Gaussian noise added by the lab to clean held-out images, through{' '}
        {denoising.chain.join(' → ')}
      </Caption>
    </div>
  )
}
