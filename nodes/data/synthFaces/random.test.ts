import { describe, expect, it } from 'vitest'
import { distinctInts, hashSeed, mix32, Rng } from './random'

describe('synthFaces random', () => {
  it('gives the same stream for a seed and another for another seed', () => {
    const a = new Rng(7)
    const b = new Rng(7)
    const c = new Rng(8)
    const first = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first)
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first)
  })

  it('draws uniformly on [0, 1)', () => {
    const rng = new Rng(123)
    const bins = new Array<number>(10).fill(0)
    for (let k = 0; k < 100_000; k++) {
      const value = rng.next()
      if (!(value >= 0 && value < 1)) throw new Error(`${value} is outside [0, 1)`)
      const bin = Math.floor(value * 10)
      bins[bin] = (bins[bin] ?? 0) + 1
    }
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500)
  })

  it('draws roughly standard normal values', () => {
    const rng = new Rng(5)
    let sum = 0
    let squares = 0
    const n = 50_000
    for (let k = 0; k < n; k++) {
      const value = rng.normal()
      sum += value
      squares += value * value
    }
    expect(sum / n).toBeCloseTo(0, 1)
    expect(squares / n).toBeCloseTo(1, 1)
  })

  it('hashes parts in order to unrelated 32-bit seeds', () => {
    expect(hashSeed(1, 2, 3)).toBe(hashSeed(1, 2, 3))
    expect(hashSeed(1, 2, 3)).not.toBe(hashSeed(1, 3, 2))
    expect(hashSeed(1, 2)).not.toBe(hashSeed(1, 2, 0))
    const seeds = new Set(Array.from({ length: 10_000 }, (_, k) => hashSeed(1, k)))
    expect(seeds.size).toBe(10_000)
    expect(mix32(0)).toBe(0)
    expect(mix32(1)).toBeGreaterThan(0)
  })

  it('draws distinct integers below the bound, all of them when count = bound', () => {
    const rng = new Rng(9)
    const some = distinctInts(rng, 10, 1_000_000)
    expect(new Set(some).size).toBe(10)
    for (const value of some) expect(value >= 0 && value < 1_000_000).toBe(true)
    expect([...distinctInts(rng, 20, 20)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, k) => k),
    )
    expect(() => distinctInts(rng, 3, 2)).toThrow(RangeError)
  })
})
