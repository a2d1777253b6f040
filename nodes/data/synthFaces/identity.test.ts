import { describe, expect, it } from 'vitest'
import {
  faceIdentity,
  founderOf,
  HAIR_STYLES,
  identityDistance,
  SIBLING_RATE,
  SIBLING_WINDOW,
  TRAIT_RANGES,
  TRAITS,
} from './identity'

const ids = Array.from({ length: 500 }, (_, id) => id)

describe('synthFaces identities', () => {
  it('are a pure function of seed and id', () => {
    expect(faceIdentity(1, 42)).toEqual(faceIdentity(1, 42))
    expect(faceIdentity(1, 42)).not.toEqual(faceIdentity(2, 42))
    expect(faceIdentity(1, 42)).not.toEqual(faceIdentity(1, 43))
  })

  it('keep every trait in its range', () => {
    const outOfRange: string[] = []
    for (const id of ids) {
      const identity = faceIdentity(3, id)
      for (const trait of TRAITS) {
        const [low, high] = TRAIT_RANGES[trait]
        if (!(identity[trait] >= low && identity[trait] <= high))
          outOfRange.push(`${id}.${trait} = ${identity[trait]}`)
      }
      if (!HAIR_STYLES.includes(identity.hairStyle)) outOfRange.push(`${id}.hairStyle`)
    }
    expect(outOfRange).toEqual([])
  })

  it('make about a third siblings of a founder shortly before them', () => {
    const siblings = ids.map((id) => faceIdentity(1, id)).filter((i) => i.founder !== undefined)
    expect(siblings.length / ids.length).toBeGreaterThan(SIBLING_RATE - 0.08)
    expect(siblings.length / ids.length).toBeLessThan(SIBLING_RATE + 0.08)
    for (const sibling of siblings) {
      const founder = sibling.founder ?? -1
      expect(founder).toBeLessThan(sibling.id)
      expect(founderOf(1, founder)).toBe(founder)
      // Chains of siblings stay within a few windows.
      expect(sibling.id - founder).toBeLessThanOrEqual(4 * SIBLING_WINDOW)
    }
  })

  it('make siblings look alike: much closer to their founder than unrelated people are', () => {
    const siblings = ids.map((id) => faceIdentity(1, id)).filter((i) => i.founder !== undefined)
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
    const toFounder = siblings.map((s) => identityDistance(s, faceIdentity(1, s.founder ?? 0)))
    const founders = ids.map((id) => faceIdentity(1, id)).filter((i) => i.founder === undefined)
    const unrelated = founders.slice(1).map((f, k) => identityDistance(f, founders[k] ?? f))
    expect(mean(toFounder)).toBeLessThan(0.16)
    expect(mean(unrelated)).toBeGreaterThan(0.6)
    for (const sibling of siblings) {
      expect(sibling.hairStyle).toBe(faceIdentity(1, sibling.founder ?? 0).hairStyle)
    }
  })

  it('give glasses to some identities only', () => {
    const rates = ids.map((id) => faceIdentity(1, id).glassesRate)
    const wearers = rates.filter((rate) => rate > 0).length
    expect(wearers).toBeGreaterThan(100)
    expect(wearers).toBeLessThan(250)
  })
})
