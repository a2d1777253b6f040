import { describe, expect, it } from 'vitest'
import { bicubicUpsample, keysCubic } from './bicubic'

const closeAll = (actual: ArrayLike<number>, expected: readonly number[], digits = 6) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index], `index ${index}`).toBeCloseTo(value, digits)
  })
}

// Hand-computed kernel values, a = −0.5:
// W(¼) = 1.5/64 − 2.5/16 + 1 = 0.8671875      W(¾) = 1.5·27/64 − 2.5·9/16 + 1 = 0.2265625
// W(5/4) = −0.5·125/64 + 2.5·25/16 − 5 + 2 = −0.0703125
// W(7/4) = −0.5·343/64 + 2.5·49/16 − 7 + 2 = −0.0234375
const W = { quarter: 0.8671875, threeQuarters: 0.2265625, fiveQuarters: -0.0703125 }
const SEVEN_QUARTERS = -0.0234375

describe('keysCubic', () => {
  it('interpolates (1 at 0, 0 at the other integers) and matches hand-computed values', () => {
    expect([-2, -1, 0, 1, 2, 3].map(keysCubic)).toEqual([0, 0, 1, 0, 0, 0])
    expect(keysCubic(0.25)).toBe(W.quarter)
    expect(keysCubic(-0.75)).toBe(W.threeQuarters)
    expect(keysCubic(1.25)).toBe(W.fiveQuarters)
    expect(keysCubic(-1.75)).toBe(SEVEN_QUARTERS)
    // The four taps of s = ¼ sum to 1.
    expect(W.quarter + W.threeQuarters + W.fiveQuarters + SEVEN_QUARTERS).toBe(1)
  })
})

describe('bicubicUpsample', () => {
  it('keeps a constant image constant, and factor 1 is the identity', () => {
    closeAll(bicubicUpsample(new Array(6).fill(0.4), 1, [2, 3, 1], 2), new Array(24).fill(0.4))
    const image = [0.1, 0.9, 0.3, 0.7, 0.5, 0.2]
    closeAll(bicubicUpsample(image, 1, [2, 3, 1], 1), image)
  })

  it('reproduces a linear ramp exactly away from the borders', () => {
    // A row 0 1 2 3 4 5, ×2: output x samples s = (x + ½)/2 − ½. Where all four taps are inside
    // (1 ≤ s < 4, x = 3 … 8) the value is s itself: 1.25, 1.75, …, 3.75.
    const out = bicubicUpsample([0, 1, 2, 3, 4, 5], 1, [1, 6, 1], 2)
    closeAll(out.slice(3, 9), [1.25, 1.75, 2.25, 2.75, 3.25, 3.75])
    // At the left border the taps repeat pixel 0: s = −¼ reads 0, 0, 0, 1 with weights
    // W(7/4), W(¾), W(¼), W(5/4), so the value is W(5/4) = −0.0703125, not −¼.
    expect(out[0]).toBeCloseTo(W.fiveQuarters, 7)
    // s = ¼ reads 0, 0, 1, 2: W(¾) + 2·W(7/4) = 0.1796875.
    expect(out[1]).toBeCloseTo(W.threeQuarters + 2 * SEVEN_QUARTERS, 7)
  })

  it('reproduces a quadratic away from the borders (a = −0.5 is third-order)', () => {
    const row = [0, 1, 4, 9, 16, 25]
    const out = bicubicUpsample(row, 1, [1, 6, 1], 2)
    closeAll(
      out.slice(3, 9),
      [1.25, 1.75, 2.25, 2.75, 3.25, 3.75].map((s) => s * s),
      5,
    )
  })

  it('upsamples a 2×2 delta to the hand-computed 4×4 outer product', () => {
    // One axis, pixels (1, 0): s = −¼, ¼, ¾, 5/4 give
    //   W(7/4) + W(¾) + W(¼) = 1.0703125, W(5/4) + W(¼) = 0.796875,
    //   W(7/4) + W(¾) = 0.203125, W(5/4) = −0.0703125 (the clamped taps add up).
    const r = [1.0703125, 0.796875, 0.203125, -0.0703125]
    const out = bicubicUpsample([1, 0, 0, 0], 1, [2, 2, 1], 2)
    closeAll(
      out,
      r.flatMap((ry) => r.map((rx) => ry * rx)),
      7,
    )
    expect(out[1 * 4 + 2]).toBeCloseTo(0.161865234375, 7) // 0.796875 · 0.203125
    // Clipped to [0, 1]: the overshoot of 1.0703125² and the negative lobes are cut.
    const clipped = bicubicUpsample([1, 0, 0, 0], 1, [2, 2, 1], 2, [0, 1])
    expect([clipped[0], clipped[3], clipped[5]]).toEqual([1, 0, 0.796875 ** 2])
  })

  it('keeps images and channels apart', () => {
    // Two 1×1 RGB images: each upsamples to a 2×2 block of its own colour.
    const out = bicubicUpsample([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], 2, [1, 1, 3], 2)
    closeAll(out, [
      ...new Array<number[]>(4).fill([0.1, 0.2, 0.3]).flat(),
      ...new Array<number[]>(4).fill([0.7, 0.8, 0.9]).flat(),
    ])
  })

  it('refuses a factor that is not a positive integer', () => {
    expect(() => bicubicUpsample([0], 1, [1, 1, 1], 1.5)).toThrow(RangeError)
    expect(() => bicubicUpsample([0], 1, [1, 1, 1], 0)).toThrow(RangeError)
  })
})
