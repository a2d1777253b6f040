import { describe, expect, it } from 'vitest'
import { resolvePicks } from './latentPicks'

describe('resolvePicks', () => {
  it('keeps picks that name a face, and falls back to the defaults otherwise', () => {
    expect(resolvePicks({ from: 3, to: 7, face: 11 }, 12)).toEqual({ from: 3, to: 7, face: 11 })
    expect(resolvePicks({ from: 3, to: 7, face: 11 }, 5)).toEqual({ from: 3, to: 1, face: 0 })
    expect(resolvePicks(undefined, 12)).toEqual({ from: 0, to: 1, face: 0 })
  })

  it('stays on the one face there is, or face 0 when there are none', () => {
    expect(resolvePicks(undefined, 1)).toEqual({ from: 0, to: 0, face: 0 })
    expect(resolvePicks({ from: 4, to: 4, face: 4 }, 0)).toEqual({ from: 0, to: 0, face: 0 })
  })
})
