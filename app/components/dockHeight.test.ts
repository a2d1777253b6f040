import { describe, expect, it } from 'vitest'
import { clampDockHeight, DEFAULT_DOCK, maxDockHeight, MIN_DOCK } from './dockHeight'

describe('clampDockHeight', () => {
  it('keeps heights that fit, rounded to whole pixels', () => {
    expect(clampDockHeight(400.4, 900)).toBe(400)
  })

  it('never goes below the dock minimum', () => {
    expect(clampDockHeight(20, 900)).toBe(MIN_DOCK)
  })

  it('leaves the canvas 200 px of the window', () => {
    expect(clampDockHeight(880, 900)).toBe(700)
    expect(maxDockHeight(900)).toBe(700)
  })

  it('keeps the dock minimum in a window too small for both', () => {
    expect(clampDockHeight(300, 250)).toBe(MIN_DOCK)
  })

  it('falls back to the default for a value that is not a number', () => {
    expect(clampDockHeight(Number.NaN, 900)).toBe(DEFAULT_DOCK)
  })
})
