import { describe, expect, it } from 'vitest'
import { normalizeRows, rowCount, rowDot } from './vectors'

const closeAll = (actual: ArrayLike<number>, expected: readonly number[], digits = 12) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, digits)
  })
}

describe('row helpers', () => {
  it('counts rows and rejects lengths that do not fit', () => {
    expect(rowCount(new Float32Array(6), 3)).toBe(2)
    expect(() => rowCount(new Float32Array(5), 3)).toThrow(RangeError)
    expect(() => rowCount(new Float32Array(4), 0)).toThrow(RangeError)
  })

  it('takes dot products of rows of two matrices', () => {
    // Row 1 of [[1, 2], [3, 4]] · row 0 of [[5, 6]] = 3·5 + 4·6 = 39.
    expect(rowDot([1, 2, 3, 4], 1, [5, 6], 0, 2)).toBe(39)
  })

  it('normalises rows to unit length and leaves zero rows at zero', () => {
    // (3, 4) / 5 = (0.6, 0.8); (0, 0) stays (0, 0) rather than NaN.
    const unit = normalizeRows(Float32Array.from([3, 4, 0, 0]), 2)
    closeAll(unit, [0.6, 0.8, 0, 0])
  })
})
