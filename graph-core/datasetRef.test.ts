import { describe, expect, it } from 'vitest'
import { datasetRefProblem, formatDatasetRef, parseDatasetRef } from './datasetRef'

describe('dataset references', () => {
  it('round-trips the id, the image shape and the label count', () => {
    const ref = { id: 'ds-k3x9_q2', width: 32, height: 28, channels: 3 as const, labels: 5 }
    const text = formatDatasetRef(ref)
    expect(text).toBe('ds-k3x9_q2@32x28x3/5')
    expect(parseDatasetRef(text)).toEqual(ref)
  })

  it.each([
    [''],
    ['ds-1'],
    ['ds-1@32x32x1'],
    ['ds-1@32x32x2/5'],
    ['ds 1@32x32x1/5'],
    ['ds-1@0x32x1/5'],
    ['ds-1@32x32x1/0'],
    ['ds-1@2000x32x1/5'],
    [`${'a'.repeat(65)}@32x32x1/5`],
  ])('reads %j as no reference', (text) => {
    expect(parseDatasetRef(text)).toBeUndefined()
  })

  it('refuses to write parts that would not read back', () => {
    expect(() =>
      formatDatasetRef({ id: 'a/b', width: 32, height: 32, channels: 1, labels: 2 }),
    ).toThrow('A dataset reference has an id that is not 1–64 letters, digits, - or _')
    expect(() =>
      formatDatasetRef({ id: 'a', width: 32, height: 32, channels: 1, labels: 0 }),
    ).toThrow('label count outside 1…100000')
  })

  it('accepts the empty string (none picked) as a param value', () => {
    expect(datasetRefProblem('')).toBeUndefined()
    expect(datasetRefProblem('x@16x16x1/2')).toBeUndefined()
    expect(datasetRefProblem(['x'])).toBe('must be a dataset reference (text)')
  })
})
