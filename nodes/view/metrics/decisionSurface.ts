/**
 * The grid behind `view.scatter2d` (DESIGN §4): a GAN on 2-D points, drawn as real and
 * generated points over the discriminator's decision surface. The worker runs D on
 * {@link gridPoints}; {@link probabilityGrid} turns its logits into D's probability of "real"
 * per pixel; {@link boundsCovering} picks a view that shows both point clouds.
 */
import { rowCount } from './vectors'

/** An axis-aligned rectangle of the plane. */
export interface Bounds {
  readonly xMin: number
  readonly xMax: number
  readonly yMin: number
  readonly yMax: number
}

/** Options of {@link boundsCovering}. */
export interface BoundsOptions {
  /** Padding on each side as a fraction of the span; default 0.1. */
  readonly margin?: number
  /** Widen the shorter axis about its centre to match the longer; default true (round rings). */
  readonly isSquare?: boolean
}

/** The view used when there is no finite point to cover. */
export const DEFAULT_BOUNDS: Bounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }

function checkResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 1)
    throw new RangeError(`resolution must be a positive integer, got ${resolution}`)
}

/**
 * The centres of a `resolution × resolution` grid of pixels covering `bounds`, as row-major
 * `[resolution², 2]` (x, y) pairs. Rows run from the top (y near yMax) down, columns from left
 * (x near xMin) to right, the order of an image's pixels: point (row r, column c) is at
 * x = xMin + (c + ½)·(xMax − xMin)/resolution, y = yMax − (r + ½)·(yMax − yMin)/resolution.
 */
export function gridPoints(bounds: Bounds, resolution: number): Float32Array {
  checkResolution(resolution)
  const width = (bounds.xMax - bounds.xMin) / resolution
  const height = (bounds.yMax - bounds.yMin) / resolution
  const points = new Float32Array(resolution * resolution * 2)
  for (let row = 0; row < resolution; row++) {
    for (let column = 0; column < resolution; column++) {
      const index = (row * resolution + column) * 2
      points[index] = bounds.xMin + (column + 0.5) * width
      points[index + 1] = bounds.yMax - (row + 0.5) * height
    }
  }
  return points
}

/** σ(x) = 1/(1 + e^(−x)), evaluated on the side where the exponential cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/**
 * D's probability of "real" at each grid point: σ(logit) for logits in the order of
 * {@link gridPoints}, as a row-major `[resolution, resolution]` matrix (top row first). The
 * discriminator outputs logits (DESIGN §4: BCE on logits). Throws a RangeError when the number
 * of logits is not resolution².
 */
export function probabilityGrid(logits: ArrayLike<number>, resolution: number): Float32Array {
  checkResolution(resolution)
  if (logits.length !== resolution * resolution)
    throw new RangeError(`${logits.length} logits for a ${resolution}×${resolution} grid`)
  return Float32Array.from(logits, sigmoid)
}

/**
 * Range of one coordinate over the drawable points (both coordinates finite) of several
 * `[n, 2]` point arrays; `[+∞, −∞]` when there are none.
 */
function finiteRange(pointSets: readonly ArrayLike<number>[], axis: 0 | 1): [number, number] {
  let low = Infinity
  let high = -Infinity
  for (const points of pointSets) {
    for (let row = 0; row < rowCount(points, 2); row++) {
      const [x, y] = [points[row * 2] ?? Number.NaN, points[row * 2 + 1] ?? Number.NaN]
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue
      const value = axis === 0 ? x : y
      low = Math.min(low, value)
      high = Math.max(high, value)
    }
  }
  return [low, high]
}

/**
 * Bounds covering the real and generated points (row-major `[n, 2]` each), padded by `margin`
 * times the span on every side. Points with a NaN or infinite coordinate (a diverging
 * generator) cannot be drawn and are ignored; an axis with no spread is padded by ±1 around its
 * value; with no finite point at all the result is {@link DEFAULT_BOUNDS}. With `isSquare`
 * (default) the shorter axis is widened about its centre so both axes share a scale.
 */
export function boundsCovering(
  real: ArrayLike<number>,
  fake: ArrayLike<number>,
  options: BoundsOptions = {},
): Bounds {
  const margin = options.margin ?? 0.1
  const axes = ([0, 1] as const).map((axis) => {
    const [low, high] = finiteRange([real, fake], axis)
    if (low > high) return [DEFAULT_BOUNDS.xMin, DEFAULT_BOUNDS.xMax] as const
    const padding = high > low ? margin * (high - low) : 1
    return [low - padding, high + padding] as const
  })
  let [[xMin, xMax], [yMin, yMax]] = [axes[0] ?? [-1, 1], axes[1] ?? [-1, 1]]
  if (options.isSquare ?? true) {
    const half = Math.max(xMax - xMin, yMax - yMin) / 2
    const [xCentre, yCentre] = [(xMin + xMax) / 2, (yMin + yMax) / 2]
    ;[xMin, xMax, yMin, yMax] = [xCentre - half, xCentre + half, yCentre - half, yCentre + half]
  }
  return { xMin, xMax, yMin, yMax }
}
