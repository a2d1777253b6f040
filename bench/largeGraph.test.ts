import { describe, expect, it } from 'vitest'
import { analyzeGraph } from '../graph-core/analysis'
import { nodeRegistry } from '../nodes/registry'
import { largeGraph } from './largeGraph'

describe('largeGraph', () => {
  it('builds a valid 300-node graph for the analysis benchmark', () => {
    const document = largeGraph(300)
    expect(document.nodes.length).toBe(300)
    expect(analyzeGraph(document, nodeRegistry).diagnostics).toEqual([])
  })
})
