import { describe, expect, it } from 'vitest'
import { error, warning } from '../../graph-core/diagnostics'
import { MAX_LISTED_DIAGNOSTICS, problemsNotice, refusalNotice } from './loadMessages'

describe('refusalNotice', () => {
  it('names the source, gives the first reason and says nothing changed', () => {
    const notice = refusalNotice('The file “gan.json”', [
      error('INVALID_JSON', 'This is not valid JSON: Unexpected end of JSON input.'),
    ])
    expect(notice).toMatchObject({ key: 'load-refused', tone: 'error' })
    expect(notice.message).toBe(
      'The file “gan.json” could not be opened: This is not valid JSON: Unexpected end of JSON input. Your graph and the library are unchanged.',
    )
    expect(notice.details).toBeUndefined()
  })
})

describe('problemsNotice', () => {
  it('is absent for a clean load and counts and lists the problems otherwise', () => {
    expect(problemsNotice('G', [])).toBeUndefined()
    const many = Array.from({ length: MAX_LISTED_DIAGNOSTICS + 2 }, (_, i) =>
      i === 0
        ? error('UNKNOWN_NODE_TYPE', '"x.y" is not a node type this version knows.')
        : warning('UNKNOWN_PARAM', `param ${i}`),
    )
    const notice = problemsNotice('G', many)
    expect(notice?.message).toMatch(/^“G” opened with 7 problems; nothing was dropped/)
    expect(notice?.details).toHaveLength(MAX_LISTED_DIAGNOSTICS + 1)
    expect(notice?.details?.at(-1)).toBe('…and 2 more.')
    expect(problemsNotice('G', many.slice(0, 1))?.message).toMatch(/with 1 problem;/)
  })
})
