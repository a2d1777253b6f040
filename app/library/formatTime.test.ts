import { describe, expect, it } from 'vitest'
import { formatAge, formatStamp } from './formatTime'

describe('formatAge', () => {
  const now = new Date(2025, 0, 31, 14, 5).getTime()
  it('counts minutes and hours, then gives the date', () => {
    expect(formatAge(now - 10_000, now)).toBe('just now')
    expect(formatAge(now + 10_000, now)).toBe('just now')
    expect(formatAge(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatAge(now - 3 * 3_600_000 - 1, now)).toBe('3 h ago')
    expect(formatAge(now - 2 * 86_400_000, now)).toBe('2025-01-29 14:05')
  })

  it('pads the stamp', () => {
    expect(formatStamp(new Date(2025, 2, 4, 7, 9, 5).getTime())).toBe('2025-03-04 07:09')
    expect(formatStamp(new Date(2025, 2, 4, 7, 9, 5).getTime(), true)).toBe('2025-03-04 07:09:05')
  })
})
