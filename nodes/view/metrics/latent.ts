/**
 * Latent-space tools for `view.latent` (DESIGN §1, §4): walk between two latents, sample the
 * prior N(0, I), and do the seminar's attribute arithmetic (a "smile vector" = mean latent of
 * smiling faces − mean latent of the others, added to a face's latent with a strength). Latents
 * are plain vectors; batches are row-major `[count, dim]` Float32Arrays for the decoder.
 */
import { mulberry32 } from './random'
import { rowCount } from './vectors'

/** How {@link interpolateLatents} walks from one latent to the other. */
export type InterpolationMode = 'linear' | 'spherical'

/** An attribute direction in latent space and the group sizes behind it. */
export interface AttributeVector {
  /** mean(latents with the attribute) − mean(latents without), `[dim]`. */
  readonly vector: Float32Array
  readonly withCount: number
  readonly withoutCount: number
}

/** Below this sin Ω the two latents are (anti)parallel and slerp falls back to lerp. */
const SLERP_EPSILON = 1e-7

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(
      `latents must have the same non-zero length, got ${a.length} and ${b.length}`,
    )
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 1)
    throw new RangeError(`steps must be a positive integer, got ${steps}`)
}

/**
 * Interpolation weights of both endpoints at fraction t: lerp gives (1 − t, t); slerp (White
 * 2016, "Sampling Generative Networks") gives (sin((1 − t)Ω), sin(tΩ)) / sin Ω with Ω the angle
 * between a and b, which keeps Gaussian latents at a typical norm instead of cutting through
 * the low-density centre. Slerp falls back to lerp when a and b are (anti)parallel or zero.
 */
function weights(mode: InterpolationMode, t: number, omega: number): [number, number] {
  const sinOmega = Math.sin(omega)
  if (mode === 'linear' || !(Math.abs(sinOmega) > SLERP_EPSILON)) return [1 - t, t]
  return [Math.sin((1 - t) * omega) / sinOmega, Math.sin(t * omega) / sinOmega]
}

/** Angle between two vectors in [0, π]; NaN when either is zero. */
function angleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  let aa = 0
  let bb = 0
  for (let k = 0; k < a.length; k++) {
    const [ak, bk] = [a[k] ?? 0, b[k] ?? 0]
    dot += ak * bk
    aa += ak * ak
    bb += bk * bk
  }
  // Clamped: rounding can push the cosine of (anti)parallel vectors just past ±1.
  return Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(aa * bb))))
}

/**
 * `steps` latents from `a` to `b` inclusive, at t = i / (steps − 1) (a alone when steps = 1),
 * as row-major `[steps, dim]`. Row 0 is exactly `a` and the last row exactly `b` (as Float32)
 * in both modes: t is exactly 0 and 1 there, and the slerp weights sin Ω / sin Ω and sin 0 are
 * exactly 1 and 0. `'spherical'` is slerp as described at {@link weights}; throws a RangeError when the
 * lengths differ or steps is not a positive integer.
 */
export function interpolateLatents(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  steps: number,
  mode: InterpolationMode = 'linear',
): Float32Array {
  checkSameLength(a, b)
  checkSteps(steps)
  const dim = a.length
  const omega = mode === 'spherical' ? angleBetween(a, b) : 0
  const out = new Float32Array(steps * dim)
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 0 : i / (steps - 1)
    const [wa, wb] = weights(mode, t, omega)
    for (let k = 0; k < dim; k++) out[i * dim + k] = wa * (a[k] ?? 0) + wb * (b[k] ?? 0)
  }
  return out
}

/**
 * `count` latents drawn from N(0, I) in `dim` dimensions, row-major `[count, dim]`, by the
 * Box–Muller transform on mulberry32(seed): each pair of uniforms (u₁, u₂) gives
 * √(−2 ln u₁)·cos 2πu₂ and √(−2 ln u₁)·sin 2πu₂, with u₁ taken in (0, 1] so the log is finite.
 * The same seed gives the same stream, so a smaller count is a prefix of a larger one.
 */
export function sampleLatents(count: number, dim: number, seed: number): Float32Array {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`)
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`dim must be a positive integer, got ${dim}`)
  const random = mulberry32(seed)
  const out = new Float32Array(count * dim)
  for (let index = 0; index < out.length; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()))
    const angle = 2 * Math.PI * random()
    out[index] = radius * Math.cos(angle)
    // Value i depends only on i (pair ⌊i/2⌋, cosine or sine by parity), so an odd total just
    // drops the last sine and the prefix property holds.
    if (index + 1 < out.length) out[index + 1] = radius * Math.sin(angle)
  }
  return out
}

/**
 * The attribute vector: mean of the rows of `latents` (`[n, dim]`) where `hasAttribute` is
 * true, minus the mean of the rows where it is false. Undefined when either group is empty,
 * since one of the means does not exist. Throws a RangeError when the sizes disagree.
 */
export function attributeVector(
  latents: ArrayLike<number>,
  dim: number,
  hasAttribute: ArrayLike<boolean>,
): AttributeVector | undefined {
  const rows = rowCount(latents, dim)
  if (hasAttribute.length !== rows)
    throw new RangeError(`${hasAttribute.length} attribute flags for ${rows} latents`)
  const sums = [new Float64Array(dim), new Float64Array(dim)] as const // [without, with]
  let withCount = 0
  for (let row = 0; row < rows; row++) {
    const isWith = hasAttribute[row] === true
    if (isWith) withCount++
    const sum = sums[isWith ? 1 : 0]
    for (let k = 0; k < dim; k++) sum[k] = (sum[k] ?? 0) + (latents[row * dim + k] ?? 0)
  }
  const withoutCount = rows - withCount
  if (withCount === 0 || withoutCount === 0) return undefined
  const vector = Float32Array.from(
    sums[1],
    (sum, k) => sum / withCount - (sums[0][k] ?? 0) / withoutCount,
  )
  return { vector, withCount, withoutCount }
}

/**
 * Boolean attribute flags from a continuous attribute (a smile intensity, say): true where the
 * value is ≥ threshold; NaN is false. Feed the result to {@link attributeVector}.
 */
export function attributeMask(values: ArrayLike<number>, threshold: number): boolean[] {
  return Array.from(values, (value) => value >= threshold)
}

/**
 * Every row of `latents` (`[n, dim]`; a single latent is n = 1) moved along `vector` (`[dim]`):
 * z + strength · v. Strength 0 returns a copy; negative strength removes the attribute.
 */
export function applyAttribute(
  latents: ArrayLike<number>,
  dim: number,
  vector: ArrayLike<number>,
  strength: number,
): Float32Array {
  rowCount(latents, dim)
  if (vector.length !== dim)
    throw new RangeError(`attribute vector has length ${vector.length}, expected ${dim}`)
  return Float32Array.from(latents, (value, index) => value + strength * (vector[index % dim] ?? 0))
}
