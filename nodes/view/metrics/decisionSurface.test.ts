import { describe, expect, it } from 'vitest'
import type { Bounds } from './decisionSurface'
import { boundsCovering, gridPoints, probabilityGrid, sigmoid } from './decisionSurface'

const closeAll = (actual: ArrayLike<number>, expected: readonly number[], digits = 12) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, digits)
  })
}

const boundsArray = ({ xMin, xMax, yMin, yMax }: Bounds) => [xMin, xMax, yMin, yMax]

describe('gridPoints', () => {
  it('lists pixel centres row by row from the top', () => {
    // x ∈ [0, 4], y ∈ [−2, 2], 2 × 2 pixels of 2 × 2: centres x = 1, 3; y = 1 (top), −1.
    expect(Array.from(gridPoints({ xMin: 0, xMax: 4, yMin: -2, yMax: 2 }, 2))).toEqual([
      1, 1, 3, 1, 1, -1, 3, -1,
    ])
    // 3 × 3 over [−3, 3]²: pixel 2 wide, centres −2, 0, 2; row 1 column 2 → (2, 0) at index 5.
    const grid = gridPoints({ xMin: -3, xMax: 3, yMin: -3, yMax: 3 }, 3)
    expect(grid).toHaveLength(18)
    expect(Array.from(grid.subarray(10, 12))).toEqual([2, 0])
    expect(() => gridPoints({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 0)).toThrow(RangeError)
  })
})

describe('probabilityGrid', () => {
  it('maps logits to σ(logit) without overflow', () => {
    // σ(0) = ½; σ(ln 3) = 1/(1 + ⅓) = ¾; σ(−ln 3) = ¼; σ(±1000) = 1 and 0, not NaN.
    const probabilities = probabilityGrid([0, Math.log(3), -Math.log(3), 1000], 2)
    closeAll(probabilities, [0.5, 0.75, 0.25, 1], 6)
    expect(sigmoid(-1000)).toBe(0)
    expect(Number.isNaN(sigmoid(-1000))).toBe(false)
    expect(() => probabilityGrid([0, 0, 0], 2)).toThrow(RangeError)
  })
})

describe('boundsCovering', () => {
  it('pads both clouds by the margin, square by default', () => {
    // The fake (NaN, 50) cannot be drawn and is ignored, y = 50 included.
    // x ∈ [−1, 3] (span 4), y ∈ [0, 1] (span 1); 10 % margin: x [−1.4, 3.4], y [−0.1, 1.1].
    const real = [-1, 0, 3, 1]
    const fake = [0, 0.5, Number.NaN, 50]
    closeAll(boundsArray(boundsCovering(real, fake, { isSquare: false })), [-1.4, 3.4, -0.1, 1.1])
    // Square: y widened to the x span 4.8 about its centre 0.5 → [−1.9, 2.9].
    closeAll(boundsArray(boundsCovering(real, fake)), [-1.4, 3.4, -1.9, 2.9])
  })

  it('handles a single point and no finite points', () => {
    // One point (2, 5): no spread, ±1 on both axes.
    expect(boundsCovering([2, 5], [])).toEqual({ xMin: 1, xMax: 3, yMin: 4, yMax: 6 })
    expect(boundsCovering([], [Infinity, Number.NaN])).toEqual({
      xMin: -1,
      xMax: 1,
      yMin: -1,
      yMax: 1,
    })
  })
})
