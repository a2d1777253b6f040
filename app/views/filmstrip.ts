/**
 * The filmstrip of a sample grid (issue #8): the same few samples at each kept step of the open
 * run, so a reader sees one latent become a digit over training. It works because a view's
 * held-out passes are seeded by pass number (`TrainingProgram.evaluateView`): a noise input
 * gives the same z at every evaluation, and sample i is always G(z_i). Pure: tested in Node.
 */
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { tileImages, type Raster } from './imageRaster'

/** Samples per frame: the first few of the grid. */
export const FILMSTRIP_SAMPLES = 4
/** Frames kept per view: early and late steps both stay (see {@link addFrame}). */
export const FILMSTRIP_FRAMES = 12

/** The first samples of one evaluation, and the step it is from. */
export interface FilmFrame {
  readonly step: number
  readonly grid: ImageGrid
}

/** The frame of a grid at `step`: its first `samples` images. */
export function frameOf(grid: ImageGrid, step: number, samples = FILMSTRIP_SAMPLES): FilmFrame {
  const count = Math.min(samples, grid.count)
  const size = grid.width * grid.height * grid.channels
  return {
    step,
    grid: { ...grid, count, columns: 1, pixels: grid.pixels.slice(0, count * size) },
  }
}

/**
 * Frames thinned to at most `limit`, evenly over the steps: while there are too many, the
 * inner frame whose neighbours are closest in steps goes (the earliest of equals), so the first
 * and the latest frame always stay and the gaps between kept steps grow alike. Frames are in
 * step order; a new array, the input unchanged.
 */
export function thinFrames(frames: readonly FilmFrame[], limit: number): FilmFrame[] {
  const kept = [...frames]
  while (kept.length > Math.max(2, limit)) {
    let drop = 1
    let narrowest = Infinity
    for (let index = 1; index < kept.length - 1; index++) {
      const span = (kept[index + 1]?.step ?? 0) - (kept[index - 1]?.step ?? 0)
      if (span < narrowest) {
        narrowest = span
        drop = index
      }
    }
    kept.splice(drop, 1)
  }
  return kept.slice(Math.max(0, kept.length - limit))
}

/**
 * The frames with `frame` added in step order (replacing a frame of the same step: a run
 * evaluated again where it stopped), thinned to `limit`. A new array.
 */
export function addFrame(
  frames: readonly FilmFrame[],
  frame: FilmFrame,
  limit = FILMSTRIP_FRAMES,
): FilmFrame[] {
  const others = frames.filter((kept) => kept.step !== frame.step)
  const at = others.findIndex((kept) => kept.step > frame.step)
  const sorted =
    at === -1 ? [...others, frame] : [...others.slice(0, at), frame, ...others.slice(at)]
  return thinFrames(sorted, limit)
}

/** A step under a column: in full up to 9,999, then in thousands (12.5k) so it fits. */
export function formatStep(step: number): string {
  if (step < 10_000) return step.toLocaleString('en')
  return `${(step / 1000).toFixed(step < 100_000 ? 1 : 0).replace(/\.0$/, '')}k`
}

/** Transparent pixels between two frames (columns) and between two samples (rows). */
const COLUMN_GAP = 2
const ROW_GAP = 1

/** One column of a filmstrip raster: where it is, and the step written under it. */
export interface FilmColumn {
  /** x of the column's centre, in raster pixels. */
  readonly centre: number
  readonly step: number
}

/**
 * The filmstrip as one raster: a column per frame, left to right in step order, its samples
 * top to bottom (sample i in row i, the same z in every column); and each column's centre, for
 * the step written under it. Frames hold grids of one image size.
 */
export function filmstripRaster(frames: readonly FilmFrame[]): {
  raster: Raster
  columns: FilmColumn[]
} {
  const strips = frames.map((frame) => tileImages(frame.grid, { columns: 1, gap: ROW_GAP }))
  const stripWidth = Math.max(0, ...strips.map((strip) => strip.width))
  const width = Math.max(0, strips.length * (stripWidth + COLUMN_GAP) - COLUMN_GAP)
  const height = Math.max(0, ...strips.map((strip) => strip.height))
  const rgba = new Uint8ClampedArray(width * height * 4)
  strips.forEach((strip, column) => {
    const left = column * (stripWidth + COLUMN_GAP)
    for (let y = 0; y < strip.height; y++) {
      const row = strip.rgba.subarray(y * strip.width * 4, (y + 1) * strip.width * 4)
      rgba.set(row, (y * width + left) * 4)
    }
  })
  const columns = frames.map((frame, column) => ({
    centre: column * (stripWidth + COLUMN_GAP) + stripWidth / 2,
    step: frame.step,
  }))
  return { raster: { width, height, rgba }, columns }
}
