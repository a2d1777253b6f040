/**
 * Row-major matrices as plain typed arrays: `data[row * dim + col]`. The view metrics read
 * embeddings and latents back from TF.js into these and never touch a tensor.
 */

/** Below this norm a row counts as zero when normalising (the safe norm of DESIGN §4). */
export const NORM_EPSILON = 1e-12

/** Number of rows of a row-major matrix; throws a RangeError when the length does not fit. */
export function rowCount(data: ArrayLike<number>, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`dim must be a positive integer, got ${dim}`)
  if (data.length % dim !== 0)
    throw new RangeError(`length ${data.length} is not a multiple of dim ${dim}`)
  return data.length / dim
}

/** Dot product of row `a` of `left` and row `b` of `right`, both of width `dim`, in doubles. */
export function rowDot(
  left: ArrayLike<number>,
  a: number,
  right: ArrayLike<number>,
  b: number,
  dim: number,
): number {
  let sum = 0
  for (let k = 0; k < dim; k++) sum += (left[a * dim + k] ?? 0) * (right[b * dim + k] ?? 0)
  return sum
}

/**
 * A copy of `data` with every row scaled to unit L2 norm, in doubles. Rows with norm ≤ ε stay
 * zero, so their cosine similarity to anything is 0 rather than NaN. Normalising rows that are
 * already unit length changes them only by rounding.
 */
export function normalizeRows(data: ArrayLike<number>, dim: number): Float64Array {
  const rows = rowCount(data, dim)
  const out = Float64Array.from(data)
  for (let row = 0; row < rows; row++) {
    const norm = Math.sqrt(rowDot(out, row, out, row, dim))
    const scale = norm > NORM_EPSILON ? 1 / norm : 0
    for (let k = 0; k < dim; k++) out[row * dim + k] = (out[row * dim + k] ?? 0) * scale
  }
  return out
}
