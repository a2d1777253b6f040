/**
 * 2-D maps of embeddings and latents for `view.embeddings` (DESIGN §4): PCA (exact up to
 * convergence, deterministic) and UMAP (umap-js, driven by a seeded generator so the same
 * points and seed give the same picture). Inputs are row-major `[n, dim]` arrays; outputs are
 * row-major `[n, 2]` Float32Arrays ready to draw.
 */
import { UMAP } from 'umap-js'
import { mulberry32 } from './random'
import { rowCount, rowDot } from './vectors'

/** A PCA projection to two dimensions. */
export interface PcaProjection {
  /** Row-major `[n, 2]`: each centred row projected on the two components. */
  readonly coordinates: Float32Array
  /**
   * Row-major `[2, dim]`: unit principal directions, each with its largest-magnitude loading
   * positive (the first such loading on ties). With dim = 1 the second row is 0.
   */
  readonly components: Float64Array
  /** Variance along each component over the total variance; `[0, 0]` when there is none. */
  readonly explainedVarianceRatio: readonly [number, number]
  /** Column means subtracted before projecting, `[dim]`. */
  readonly mean: Float64Array
}

/** Subspace-iteration limits: enough for display when eigenvalues are close, cheap otherwise. */
const PCA_MAX_ITERATIONS = 500
const PCA_TOLERANCE = 1e-11

/** Mean of each column of a row-major `[rows, dim]` matrix. */
function columnMeans(data: ArrayLike<number>, rows: number, dim: number): Float64Array {
  const mean = new Float64Array(dim)
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < dim; k++) mean[k] = (mean[k] ?? 0) + (data[row * dim + k] ?? 0) / rows
  }
  return mean
}

/** Sample covariance (divided by n) of the centred rows, `[dim, dim]`. */
function covariance(centred: Float64Array, rows: number, dim: number): Float64Array {
  const cov = new Float64Array(dim * dim)
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < dim; i++) {
      const xi = centred[row * dim + i] ?? 0
      for (let j = i; j < dim; j++)
        cov[i * dim + j] = (cov[i * dim + j] ?? 0) + xi * (centred[row * dim + j] ?? 0)
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const value = (cov[i * dim + j] ?? 0) / rows
      cov[i * dim + j] = value
      cov[j * dim + i] = value
    }
  }
  return cov
}

/** `matrix · vector` for a symmetric `[dim, dim]` matrix. */
function multiply(matrix: Float64Array, vector: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(dim)
  for (let i = 0; i < dim; i++) out[i] = rowDot(matrix, i, vector, 0, dim)
  return out
}

/** Scales `vector` to unit length in place; returns its former norm. */
function normalizeInPlace(vector: Float64Array): number {
  const norm = Math.sqrt(rowDot(vector, 0, vector, 0, vector.length))
  if (norm > 0) for (let k = 0; k < vector.length; k++) vector[k] = (vector[k] ?? 0) / norm
  return norm
}

/** Removes from `vector` its component along the unit vector `unit`, in place. */
function orthogonalizeInPlace(vector: Float64Array, unit: Float64Array): void {
  const along = rowDot(vector, 0, unit, 0, vector.length)
  for (let k = 0; k < vector.length; k++) vector[k] = (vector[k] ?? 0) - along * (unit[k] ?? 0)
}

/** ‖next ∓ previous‖ for unit vectors, sign chosen to match: about the angle between them. */
function directionChange(next: Float64Array, previous: Float64Array): number {
  const sign = rowDot(next, 0, previous, 0, next.length) < 0 ? -1 : 1
  let sum = 0
  for (let k = 0; k < next.length; k++) sum += ((next[k] ?? 0) - sign * (previous[k] ?? 0)) ** 2
  return Math.sqrt(sum)
}

/** Flips `vector` so that its largest-magnitude entry (the first, on ties) is positive. */
function normalizeSign(vector: Float64Array): void {
  let largest = 0
  for (let k = 1; k < vector.length; k++) {
    if (Math.abs(vector[k] ?? 0) > Math.abs(vector[largest] ?? 0)) largest = k
  }
  if ((vector[largest] ?? 0) < 0)
    for (let k = 0; k < vector.length; k++) vector[k] = -(vector[k] ?? 0)
}

/**
 * Top two eigenvectors of a symmetric positive semi-definite `[dim, dim]` matrix (dim ≥ 2, not
 * zero) by subspace iteration with a Rayleigh–Ritz step: multiply the pair by the matrix,
 * re-orthonormalise, and rotate it by the exact 2×2 Jacobi angle that diagonalises the matrix
 * restricted to the pair. Starts from fixed pseudo-random vectors (seed 0), so the result is
 * deterministic and no eigenvector is missed by a start orthogonal to it.
 */
function topTwoEigenvectors(matrix: Float64Array, dim: number): [Float64Array, Float64Array] {
  const random = mulberry32(0)
  const randomVector = () => Float64Array.from({ length: dim }, () => random() - 0.5)
  // A unit vector orthogonal to unit `a`, from `start` or, if that lies along `a`, at random.
  const orthogonalTo = (a: Float64Array, start: Float64Array) => {
    let b = start
    orthogonalizeInPlace(b, a)
    while (normalizeInPlace(b) <= 1e-10) {
      b = randomVector()
      orthogonalizeInPlace(b, a)
    }
    return b
  }
  let u: Float64Array = randomVector()
  normalizeInPlace(u)
  let v: Float64Array = orthogonalTo(u, randomVector())
  // M·u and M·v, carried along: after the rotation they are the same rotation of M·a and M·b,
  // so each iteration costs two matrix-vector products.
  let mu: Float64Array = multiply(matrix, u, dim)
  let mv: Float64Array = multiply(matrix, v, dim)
  for (let iteration = 0; iteration < PCA_MAX_ITERATIONS; iteration++) {
    const a = Float64Array.from(mu)
    if (normalizeInPlace(a) === 0) a.set(u)
    const b = Float64Array.from(mv)
    normalizeInPlace(b)
    orthogonalizeInPlace(b, a)
    // Rank 1 (all variance along a): M·v has nothing off a, so keep the previous direction.
    const isCollapsed = Math.sqrt(rowDot(b, 0, b, 0, dim)) <= 1e-10
    const second = orthogonalTo(a, isCollapsed ? Float64Array.from(v) : b)
    // Restricted matrix [[p, r], [r, q]] in the basis (a, second); θ diagonalises it with the
    // larger eigenvalue first.
    const ma = multiply(matrix, a, dim)
    const mb = multiply(matrix, second, dim)
    const p = rowDot(a, 0, ma, 0, dim)
    const r = rowDot(second, 0, ma, 0, dim)
    const q = rowDot(second, 0, mb, 0, dim)
    const theta = 0.5 * Math.atan2(2 * r, p - q)
    const [c, s] = [Math.cos(theta), Math.sin(theta)]
    const rotate = (x: Float64Array, y: Float64Array): [Float64Array, Float64Array] => [
      x.map((xk, k) => c * xk + s * (y[k] ?? 0)),
      x.map((xk, k) => -s * xk + c * (y[k] ?? 0)),
    ]
    const [nextU, nextV] = rotate(a, second)
    const change = Math.max(directionChange(nextU, u), directionChange(nextV, v))
    ;[u, v] = [nextU, nextV]
    ;[mu, mv] = rotate(ma, mb)
    if (change < PCA_TOLERANCE) break
  }
  return [u, v]
}

/**
 * PCA to 2-D: centre the rows, take the top two eigenvectors of the covariance (divided by n)
 * by {@link topTwoEigenvectors}, sign-normalise each so its largest-magnitude loading is
 * positive, and project. Explained-variance ratio = the Rayleigh quotient of each component
 * over the trace of the covariance. With dim = 1 the second coordinate is 0; with no variance
 * (n ≤ 1 or identical rows) coordinates and ratios are 0. Cost O(n·dim² + iterations·dim²).
 */
export function pca2d(data: ArrayLike<number>, dim: number): PcaProjection {
  const rows = rowCount(data, dim)
  const mean = columnMeans(data, rows, dim)
  const centred = Float64Array.from(data, (value, index) => value - (mean[index % dim] ?? 0))
  const cov = covariance(centred, Math.max(rows, 1), dim)
  let total = 0
  for (let k = 0; k < dim; k++) total += cov[k * dim + k] ?? 0

  // Without variance any directions do; take the first two axes.
  const axis = (k: number) => Float64Array.from({ length: dim }, (_, j) => (j === k ? 1 : 0))
  const [first, second] =
    dim === 1 || total === 0 ? [axis(0), axis(1)] : topTwoEigenvectors(cov, dim)
  normalizeSign(first)
  normalizeSign(second)
  const components = new Float64Array(2 * dim)
  components.set(first, 0)
  components.set(second, dim)

  const coordinates = new Float32Array(rows * 2)
  for (let row = 0; row < rows; row++) {
    coordinates[row * 2] = rowDot(centred, row, first, 0, dim)
    coordinates[row * 2 + 1] = rowDot(centred, row, second, 0, dim)
  }
  const ratio = (component: Float64Array) =>
    total > 0 ? rowDot(component, 0, multiply(cov, component, dim), 0, dim) / total : 0
  return {
    coordinates,
    components,
    explainedVarianceRatio: [ratio(first), ratio(second)],
    mean,
  }
}

/** Euclidean distance between two points, for umap-js. */
function euclideanDistance(x: readonly number[], y: readonly number[]): number {
  let sum = 0
  for (let k = 0; k < x.length; k++) sum += ((x[k] ?? 0) - (y[k] ?? 0)) ** 2
  return Math.sqrt(sum)
}

/** Cosine distance 1 − cos(x, y) for umap-js; 1 (orthogonal) when either point is zero. */
function cosineDistance(x: readonly number[], y: readonly number[]): number {
  let [dot, xx, yy] = [0, 0, 0]
  for (let k = 0; k < x.length; k++) {
    const [xk, yk] = [x[k] ?? 0, y[k] ?? 0]
    dot += xk * yk
    xx += xk * xk
    yy += yk * yk
  }
  return xx === 0 || yy === 0 ? 1 : 1 - dot / Math.sqrt(xx * yy)
}

/** Options of {@link umap2d}; the defaults are umap-js's except the seed and metric. */
export interface UmapOptions {
  /** Seed of the generator behind every random choice umap-js makes; default 0. */
  readonly seed?: number
  /** Neighbourhood size; default 15, lowered to n − 1 for small inputs. */
  readonly nNeighbors?: number
  /** Minimum distance between embedded points; default 0.1. */
  readonly minDist?: number
  /** Optimisation epochs; default umap-js's choice (500 for small inputs, 200 for large). */
  readonly nEpochs?: number
  /** Distance in the input space; default `'euclidean'` (use `'cosine'` for raw embeddings). */
  readonly metric?: 'euclidean' | 'cosine'
}

/**
 * UMAP to 2-D with umap-js (McInnes et al. 2018), deterministic: every random choice umap-js
 * makes (random-projection trees, nearest-neighbour descent, negative sampling) goes through
 * the `random` it is given, here mulberry32(seed). Synchronous; run it off the main thread for
 * thousands of points. UMAP needs n > nNeighbors ≥ 2, so fewer than 3 rows are laid out by
 * hand: one point at the origin, two at (−1, 0) and (1, 0). Returns row-major `[n, 2]`.
 */
export function umap2d(
  data: ArrayLike<number>,
  dim: number,
  options: UmapOptions = {},
): Float32Array {
  const rows = rowCount(data, dim)
  if (rows < 3) return Float32Array.from(rows === 2 ? [-1, 0, 1, 0] : rows === 1 ? [0, 0] : [])
  const points = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: dim }, (_, k) => data[row * dim + k] ?? 0),
  )
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(options.nNeighbors ?? 15, rows - 1)),
    minDist: options.minDist ?? 0.1,
    ...(options.nEpochs === undefined ? {} : { nEpochs: options.nEpochs }),
    distanceFn: options.metric === 'cosine' ? cosineDistance : euclideanDistance,
    random: mulberry32(options.seed ?? 0),
  })
  return Float32Array.from(umap.fit(points).flatMap((point) => [point[0] ?? 0, point[1] ?? 0]))
}
