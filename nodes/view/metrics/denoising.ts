/**
 * The denoising slider of `view.reconstruction` (issue #8): the noise levels the worker
 * evaluates a denoiser at, the data it adds to the view, and PSNR. Pure.
 */
import type { ImageGrid, VectorRows } from '../viewSupport'

/** σ of the Gaussian noise added to the clean held-out images, one picture per level. */
export const NOISE_LEVELS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6] as const

/** One noise level: what went in, what came out, and how close each is to the clean image. */
export interface DenoisingLevel {
  readonly sigma: number
  readonly noisy: ImageGrid | VectorRows
  readonly output: ImageGrid | VectorRows
  /** PSNR of the noisy input against the clean images, dB; null when identical (σ = 0). */
  readonly noisyPsnr: number | null
  /** PSNR of the model's output against the clean images, dB; null when identical. */
  readonly outputPsnr: number | null
}

/**
 * Added by the worker to a reconstruction view whose reconstruction is a denoiser's output on
 * a `data.corrupt` node's corrupted images; `problem` says why it could not be evaluated.
 */
export type DenoisingLevels =
  | { readonly problem: string }
  | {
      /** The `data.corrupt` node whose clean images were noised. */
      readonly corrupt: string
      /** The model nodes run on the noisy images, in order. */
      readonly chain: readonly string[]
      readonly clean: ImageGrid | VectorRows
      readonly levels: readonly DenoisingLevel[]
    }

/**
 * Peak signal-to-noise ratio of `actual` against `expected`, 10·log₁₀(peak² / MSE) in dB, over
 * all values (images in [0, 1] have peak 1). Null when the MSE is 0 (identical: infinite) or
 * not finite, or when there are no values. Throws a RangeError when the lengths differ.
 */
export function psnr(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  peak = 1,
): number | null {
  if (actual.length !== expected.length)
    throw new RangeError(`lengths differ: ${actual.length} and ${expected.length}`)
  if (actual.length === 0) return null
  let sum = 0
  for (let index = 0; index < actual.length; index++)
    sum += ((actual[index] ?? 0) - (expected[index] ?? 0)) ** 2
  const mse = sum / actual.length
  if (!(mse > 0) || !Number.isFinite(mse)) return null
  return 10 * Math.log10((peak * peak) / mse)
}

/**
 * The field the worker adds to a `view.reconstruction`'s data (the node's `summarize` does not
 * make it): the app reads reconstruction data as `ReconstructionViewData & WithDenoising`.
 */
export interface WithDenoising {
  readonly denoising?: DenoisingLevels
}
