import { describe, expect, it } from 'vitest'
import { loadDocument } from '../../graph-core/loader'
import { testRegistry } from '../../graph-core/testing/testNodes'
import { formatMegabytes, GRAPH_TEXT_LIMIT } from './limits'

describe('GRAPH_TEXT_LIMIT', () => {
  it("is the loader's own default limit", () => {
    const codes = (text: string) => loadDocument(text, testRegistry).diagnostics.map((d) => d.code)
    expect(codes(' '.repeat(GRAPH_TEXT_LIMIT))).toEqual(['INVALID_JSON'])
    expect(codes(' '.repeat(GRAPH_TEXT_LIMIT + 1))).toEqual(['FILE_TOO_LARGE'])
  })

  it('is shown in megabytes', () => {
    expect(formatMegabytes(GRAPH_TEXT_LIMIT)).toBe('5.0 MB')
  })
})
