import { describe, expect, it } from 'vitest'
import { mulberry32, uniformInt } from './random'

describe('mulberry32', () => {
  it('matches an independent implementation', () => {
    // Reference values from a Python port (32-bit masks in place of Math.imul and >>> 0).
    const zero = mulberry32(0)
    expect([zero(), zero(), zero()]).toEqual([
      0.26642920868471265, 0.0003297457005828619, 0.2232720274478197,
    ])
    const fortyTwo = mulberry32(42)
    expect([fortyTwo(), fortyTwo(), fortyTwo()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ])
  })

  it('gives independent generators and reduces the seed modulo 2³²', () => {
    const a = mulberry32(7)
    a()
    expect(mulberry32(7)()).not.toBe(a())
    expect(mulberry32(2 ** 32 + 42)()).toBe(mulberry32(42)())
  })
})

describe('uniformInt', () => {
  it('stays in range and reaches every value', () => {
    const random = mulberry32(1)
    const counts = [0, 0, 0, 0, 0]
    for (let draw = 0; draw < 5000; draw++) {
      const value = uniformInt(random, 5)
      counts[value] = (counts[value] ?? 0) + 1
    }
    expect(counts).toHaveLength(5)
    // 1000 expected each; the standard deviation is ≈ 28.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(150)
  })

  it('is below the bound even when the uniforms are at their maximum', () => {
    const almostOne = () => 1 - 2 ** -32
    expect(uniformInt(almostOne, 2 ** 53 - 1)).toBeLessThan(2 ** 53 - 1)
    expect(uniformInt(almostOne, 1)).toBe(0)
    expect(() => uniformInt(almostOne, 0)).toThrow(RangeError)
  })
})
