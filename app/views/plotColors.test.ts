import { describe, expect, it } from 'vitest'
import { categoryColor, labelIndices } from './plotColors'

describe('plot colours', () => {
  it('numbers labels in ascending order', () => {
    expect([...labelIndices([7, 3, 7, 10])]).toEqual([
      [3, 0],
      [7, 1],
      [10, 2],
    ])
  })

  it('gives Tableau colours first, then distinct hues', () => {
    expect(categoryColor(0)).toBe('#4e79a7')
    // 10 · 137.508° = 1375.08° ≡ 295.08°; 11 · 137.508° ≡ 72.6°.
    expect(categoryColor(10)).toBe('hsl(295 62% 52%)')
    expect(categoryColor(11)).toBe('hsl(73 62% 52%)')
  })
})
