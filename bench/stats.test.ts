import { describe, expect, it } from 'vitest'
import { intervals, median, percentile } from './stats'

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
  it('ignores NaN and is NaN for nothing', () => {
    expect(median([Number.NaN, 2, 4])).toBe(3)
    expect(median([])).toBeNaN()
  })
})

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1)
    expect(percentile(values, 95)).toBe(19)
    expect(percentile(values, 50)).toBe(10)
    expect(percentile(values, 100)).toBe(20)
    expect(percentile(values, 0)).toBe(1)
  })
})

describe('intervals', () => {
  it('gives the durations between timestamps', () => {
    expect(intervals([10, 15, 25])).toEqual([5, 10])
    expect(intervals([7])).toEqual([])
  })
})
