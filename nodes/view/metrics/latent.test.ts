import { describe, expect, it } from 'vitest'
import {
  applyAttribute,
  attributeMask,
  attributeVector,
  interpolateLatents,
  sampleLatents,
} from './latent'

const closeAll = (actual: ArrayLike<number>, expected: readonly number[], digits = 6) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, digits)
  })
}

describe('interpolateLatents', () => {
  it('walks linearly with both endpoints included', () => {
    // a = (0, 2), b = (4, −2): t = 0, ½, 1 → (0, 2), (2, 0), (4, −2).
    expect(Array.from(interpolateLatents([0, 2], [4, -2], 3))).toEqual([0, 2, 2, 0, 4, -2])
    // Five steps: t = ¼ → (1, 1).
    closeAll(interpolateLatents([0, 2], [4, -2], 5).subarray(2, 4), [1, 1])
    expect(Array.from(interpolateLatents([0, 2], [4, -2], 1))).toEqual([0, 2])
  })

  it('walks along the arc in spherical mode, ending exactly on both latents', () => {
    // a = (2, 0), b = (0, 2), Ω = π/2: midpoint = sin(π/4)/sin(π/2)·(a + b) = (√2, √2), norm 2;
    // lerp would give (1, 1), norm √2.
    const path = interpolateLatents([2, 0], [0, 2], 3, 'spherical')
    closeAll(path, [2, 0, Math.SQRT2, Math.SQRT2, 0, 2])
    // t = ⅓ on the unit arc from (1, 0) to (0, 1): (cos 30°, sin 30°).
    const thirds = interpolateLatents([1, 0], [0, 1], 4, 'spherical')
    closeAll(thirds.subarray(2, 4), [Math.sqrt(3) / 2, 0.5])
    // Endpoints are exact, not merely close, for an arbitrary pair (Ω ≈ 1.26 rad here).
    const [a, b] = [
      [0.1, 0.7, -0.3],
      [Math.cos(0.3), Math.sin(0.3), 0.2],
    ]
    const long = interpolateLatents(a, b, 7, 'spherical')
    expect(Array.from(long.subarray(0, 3))).toEqual(Array.from(Float32Array.from(a)))
    expect(Array.from(long.subarray(18, 21))).toEqual(Array.from(Float32Array.from(b)))
  })

  it('falls back to lerp for parallel latents and rejects bad arguments', () => {
    // (1, 0) and (3, 0) are parallel: Ω = 0, so the midpoint is the lerp (2, 0).
    closeAll(interpolateLatents([1, 0], [3, 0], 3, 'spherical'), [1, 0, 2, 0, 3, 0])
    expect(() => interpolateLatents([1, 0], [1, 0, 0], 3)).toThrow(RangeError)
    expect(() => interpolateLatents([1, 0], [0, 1], 0)).toThrow(RangeError)
    expect(() => interpolateLatents([1, 0], [0, 1], 2.5)).toThrow(RangeError)
  })
})

describe('sampleLatents', () => {
  it('applies Box–Muller to the seeded stream', () => {
    // mulberry32(0) starts 0.26642920868471265, 0.00032974570058286. u₁ = 1 − 0.2664… =
    // 0.73357079, ln u₁ = −0.30983117, r = √0.61966235 = 0.78718635; 2πu₂ = 0.00207187:
    // z₀ = r·cos = 0.78718466, z₁ = r·sin = 0.00163093.
    closeAll(sampleLatents(1, 2, 0), [0.78718466, 0.00163093])
  })

  it('is deterministic per seed, prefix-stable, and different across seeds', () => {
    const a = sampleLatents(5, 3, 42)
    expect(sampleLatents(5, 3, 42)).toEqual(a)
    // 5·3 = 15 values (odd), then 7·3 = 21: the first 15 agree.
    expect(sampleLatents(7, 3, 42).subarray(0, 15)).toEqual(a)
    expect(sampleLatents(5, 3, 43)).not.toEqual(a)
    expect(sampleLatents(0, 3, 1)).toHaveLength(0)
  })

  it('has mean 0, variance 1 and uncorrelated dimensions', () => {
    // 20 000 × 2 draws: standard errors ≈ 0.007 (mean) and ≈ 0.01 (variance, covariance).
    const samples = sampleLatents(20_000, 2, 7)
    let [m0, m1, s00, s11, s01] = [0, 0, 0, 0, 0]
    for (let row = 0; row < 20_000; row++) {
      const [x, y] = [samples[2 * row] ?? 0, samples[2 * row + 1] ?? 0]
      ;[m0, m1, s00, s11, s01] = [m0 + x, m1 + y, s00 + x * x, s11 + y * y, s01 + x * y]
    }
    const n = 20_000
    expect(Math.abs(m0 / n)).toBeLessThan(0.03)
    expect(Math.abs(m1 / n)).toBeLessThan(0.03)
    expect(Math.abs(s00 / n - 1)).toBeLessThan(0.05)
    expect(Math.abs(s11 / n - 1)).toBeLessThan(0.05)
    expect(Math.abs(s01 / n)).toBeLessThan(0.05)
  })
})

describe('attribute arithmetic', () => {
  // Smiling (1, 2), (3, 4): mean (2, 3). Neutral (0, 0), (2, −2): mean (1, −1). Vector (1, 4).
  const latents = [1, 2, 0, 0, 3, 4, 2, -2]
  const smile = [0.9, 0.1, 0.5, Number.NaN]

  it('thresholds a continuous attribute, NaN as absent', () => {
    expect(attributeMask(smile, 0.5)).toEqual([true, false, true, false])
  })

  it('subtracts the mean latent without the attribute from the mean with it', () => {
    const result = attributeVector(latents, 2, attributeMask(smile, 0.5))
    expect(result).toEqual({ vector: Float32Array.from([1, 4]), withCount: 2, withoutCount: 2 })
    expect(attributeVector(latents, 2, [true, true, true, true])).toBeUndefined()
    expect(() => attributeVector(latents, 2, [true])).toThrow(RangeError)
  })

  it('moves every latent along the vector by the strength', () => {
    // (0, 0) + 0.5·(1, 4) = (0.5, 2); (2, −2) + 0.5·(1, 4) = (2.5, 0); strength −1 removes it.
    expect(Array.from(applyAttribute([0, 0, 2, -2], 2, [1, 4], 0.5))).toEqual([0.5, 2, 2.5, 0])
    expect(Array.from(applyAttribute([1, 4], 2, [1, 4], -1))).toEqual([0, 0])
    expect(() => applyAttribute([0, 0], 2, [1, 4, 0], 1)).toThrow(RangeError)
  })
})
