import { describe, expect, it } from 'vitest'
import { parseViewRequestOptions } from './viewRequestOptions'

describe('parseViewRequestOptions', () => {
  it('accepts no options, empty options, and picks among the 12 faces', () => {
    expect(parseViewRequestOptions(undefined)).toEqual({})
    expect(parseViewRequestOptions({})).toEqual({})
    expect(parseViewRequestOptions({ picks: { from: 0, to: 11, face: 5 } })).toEqual({
      picks: { from: 0, to: 11, face: 5 },
    })
  })

  it.each([
    [null, /must be an object/],
    [[1, 2], /must be an object/],
    [{ pick: {} }, /unknown view option "pick"/],
    [{ picks: 3 }, /picks must be an object/],
    [
      { picks: { from: 0, to: 1 } },
      /picks\.face must be a whole number from 0 to 11, got undefined/,
    ],
    [{ picks: { from: 0, to: 12, face: 0 } }, /picks\.to .* got 12/],
    [{ picks: { from: -1, to: 1, face: 0 } }, /picks\.from .* got -1/],
    [{ picks: { from: 0.5, to: 1, face: 0 } }, /picks\.from .* got 0.5/],
    [{ picks: { from: '0', to: 1, face: 0 } }, /picks\.from .* got 0/],
    [{ picks: { from: 0, to: 1, face: 0, extra: 1 } }, /unknown pick "extra"/],
  ])('refuses %j', (options, message) => {
    expect(() => parseViewRequestOptions(options)).toThrow(message)
  })
})
