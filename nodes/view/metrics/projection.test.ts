import { afterEach, describe, expect, it, vi } from 'vitest'
import { pca2d, umap2d } from './projection'
import { mulberry32 } from './random'

const closeAll = (actual: ArrayLike<number>, expected: readonly number[], digits = 9) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, digits)
  })
}

/** Sample covariance (÷ n) of row-major data, as a `[dim][dim]` array: the test's own version. */
function covarianceOf(data: readonly number[], dim: number): number[][] {
  const rows = data.length / dim
  const mean = Array.from({ length: dim }, (_, k) => {
    let sum = 0
    for (let row = 0; row < rows; row++) sum += data[row * dim + k] ?? 0
    return sum / rows
  })
  return mean.map((mi, i) =>
    mean.map((mj, j) => {
      let sum = 0
      for (let row = 0; row < rows; row++)
        sum += ((data[row * dim + i] ?? 0) - mi) * ((data[row * dim + j] ?? 0) - mj)
      return sum / rows
    }),
  )
}

const rayleigh = (cov: number[][], v: readonly number[]) =>
  cov.reduce(
    (sum, row, i) => sum + (v[i] ?? 0) * row.reduce((s, c, j) => s + c * (v[j] ?? 0), 0),
    0,
  )

describe('pca2d', () => {
  it('finds the direction of points on a line, sign-normalised, with ratio 1', () => {
    // x = (1, 1, 1) + t·(−0.6, 0.8, 0), t ∈ {−2, −1, 0, 1, 2, 5}; mean t = 5/6. The largest
    // loading 0.8 must be positive, so component 1 = (−0.6, 0.8, 0) and coordinate = t − 5/6.
    const ts = [-2, -1, 0, 1, 2, 5]
    const data = ts.flatMap((t) => [1 - 0.6 * t, 1 + 0.8 * t, 1])
    const { components, coordinates, explainedVarianceRatio, mean } = pca2d(data, 3)
    closeAll(components.subarray(0, 3), [-0.6, 0.8, 0])
    closeAll(
      coordinates.filter((_, index) => index % 2 === 0),
      ts.map((t) => t - 5 / 6),
      5, // coordinates are Float32
    )
    closeAll(
      coordinates.filter((_, index) => index % 2 === 1),
      ts.map(() => 0),
      5,
    )
    closeAll(explainedVarianceRatio, [1, 0])
    closeAll(mean, [1 - 0.6 * (5 / 6), 1 + 0.8 * (5 / 6), 1])
    // The second direction is still a unit vector orthogonal to the first.
    const second = Array.from(components.subarray(3, 6))
    expect(Math.hypot(...second)).toBeCloseTo(1, 9)
    expect(-0.6 * (second[0] ?? 0) + 0.8 * (second[1] ?? 0)).toBeCloseTo(0, 9)
  })

  it('recovers rotated axes with known variances', () => {
    // Points ±2·e1, ±1·e2, ±0.5·e3 (mean 0), then rotated in the x-y plane: e1 → (0.6, 0.8, 0),
    // e2 → (−0.8, 0.6, 0). Variances (÷ 6): 8/6, 2/6, 0.5/6; total 10.5/6.
    // Ratios 8/10.5 and 2/10.5. Component 2 flips to (0.8, −0.6, 0) (largest loading positive).
    // Coordinates: ±2e1 → (±2, 0); ±e2 → (0, ∓1) after the flip; ±0.5e3 → (0, 0).
    const rotate = (x: number, y: number, z: number) => [0.6 * x - 0.8 * y, 0.8 * x + 0.6 * y, z]
    const data = [
      ...rotate(2, 0, 0),
      ...rotate(-2, 0, 0),
      ...rotate(0, 1, 0),
      ...rotate(0, -1, 0),
      ...rotate(0, 0, 0.5),
      ...rotate(0, 0, -0.5),
    ]
    const result = pca2d(data, 3)
    closeAll(result.components, [0.6, 0.8, 0, 0.8, -0.6, 0])
    closeAll(result.explainedVarianceRatio, [8 / 10.5, 2 / 10.5])
    closeAll(result.coordinates, [2, 0, -2, 0, 0, -1, 0, 1, 0, 0, 0, 0], 5)
  })

  it('returns the top two eigenvectors of the covariance on random data, deterministically', () => {
    const random = mulberry32(5)
    // 200 rows in 6-D with per-axis scales 3, 2.5, 2, 1, 0.5, 0.1 and correlations from mixing.
    const scales = [3, 2.5, 2, 1, 0.5, 0.1]
    const data = Array.from({ length: 200 }, () => {
      const x = scales.map((scale) => scale * (random() - 0.5))
      return x.map((value, k) => value + 0.3 * (x[(k + 1) % 6] ?? 0))
    }).flat()
    const result = pca2d(data, 6)
    expect(pca2d(data, 6)).toEqual(result)

    const cov = covarianceOf(data, 6)
    const first = Array.from(result.components.subarray(0, 6))
    const second = Array.from(result.components.subarray(6, 12))
    const [lambda1, lambda2] = [rayleigh(cov, first), rayleigh(cov, second)]
    // Eigen-equation residuals ‖C·v − λv‖.
    for (const [v, lambda] of [
      [first, lambda1],
      [second, lambda2],
    ] as const) {
      const residual = cov.map(
        (row, i) => row.reduce((s, c, j) => s + c * (v[j] ?? 0), 0) - lambda * (v[i] ?? 0),
      )
      expect(Math.hypot(...residual)).toBeLessThan(1e-8)
    }
    // No direction has more variance than λ1, nor any direction orthogonal to v1 more than λ2.
    for (let trial = 0; trial < 500; trial++) {
      const w = Array.from({ length: 6 }, () => random() - 0.5)
      const along = w.reduce((s, wk, k) => s + wk * (first[k] ?? 0), 0)
      const orthogonal = w.map((wk, k) => wk - along * (first[k] ?? 0))
      const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v))
      expect(rayleigh(cov, unit(w))).toBeLessThanOrEqual(lambda1 + 1e-12)
      expect(rayleigh(cov, unit(orthogonal))).toBeLessThanOrEqual(lambda2 + 1e-12)
    }
    const trace = cov.reduce((sum, row, i) => sum + (row[i] ?? 0), 0)
    closeAll(result.explainedVarianceRatio, [lambda1 / trace, lambda2 / trace])
  })

  it('handles no variance and one dimension', () => {
    const flat = pca2d([1, 2, 1, 2, 1, 2], 2)
    expect(flat.explainedVarianceRatio).toEqual([0, 0])
    expect(Array.from(flat.coordinates)).toEqual([0, 0, 0, 0, 0, 0])
    // 1-D values 1, 2, 6 (mean 3): coordinates −2, −1, 3 on the only axis.
    const line = pca2d([1, 2, 6], 1)
    expect(Array.from(line.coordinates)).toEqual([-2, 0, -1, 0, 3, 0])
    expect(line.explainedVarianceRatio).toEqual([1, 0])
  })
})

describe('umap2d', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  // Two clusters of 20 points in 5-D: offsets ±10 on the first axis, unit-box noise.
  const random = mulberry32(9)
  const clusterData = Array.from({ length: 40 }, (_, row) =>
    Array.from({ length: 5 }, (_, k) => (k === 0 ? (row < 20 ? -10 : 10) : 0) + random() - 0.5),
  ).flat()

  it('is deterministic for a seed, differs across seeds, and never uses Math.random', () => {
    const spy = vi.spyOn(Math, 'random')
    const a = umap2d(clusterData, 5, { seed: 1, nEpochs: 50 })
    const b = umap2d(clusterData, 5, { seed: 1, nEpochs: 50 })
    const c = umap2d(clusterData, 5, { seed: 2, nEpochs: 50 })
    expect(spy).not.toHaveBeenCalled()
    expect(a).toHaveLength(80)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
  })

  it('keeps separated clusters apart: every point’s nearest 2-D neighbour is in its cluster', () => {
    const map = umap2d(clusterData, 5, { seed: 3, nNeighbors: 10 })
    const point = (i: number) => [map[2 * i] ?? 0, map[2 * i + 1] ?? 0] as const
    for (let i = 0; i < 40; i++) {
      let nearest = -1
      let best = Infinity
      for (let j = 0; j < 40; j++) {
        const distance =
          j === i ? Infinity : Math.hypot(point(i)[0] - point(j)[0], point(i)[1] - point(j)[1])
        if (distance < best) [nearest, best] = [j, distance]
      }
      expect(nearest < 20).toBe(i < 20)
    }
  })

  it('lays out fewer than three points by hand and accepts three', () => {
    expect(Array.from(umap2d([], 2))).toEqual([])
    expect(Array.from(umap2d([5, 5], 2))).toEqual([0, 0])
    expect(Array.from(umap2d([0, 0, 1, 1], 2))).toEqual([-1, 0, 1, 0])
    const three = umap2d([0, 0, 1, 0, 0, 1], 2, { nEpochs: 20 })
    expect(three).toHaveLength(6)
    expect(three.every(Number.isFinite)).toBe(true)
  })
})
