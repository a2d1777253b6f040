import { bench, describe } from 'vitest'
import { analyzeGraph } from '../graph-core/analysis'
import { loadDocument } from '../graph-core/loader'
import { serializeDocument } from '../graph-core/document'
import { nodeRegistry } from '../nodes/registry'
import { largeGraph } from './largeGraph'

const document = largeGraph(300)
const text = serializeDocument(document)

describe(`editor analysis of a ${document.nodes.length}-node graph (target < 10 ms)`, () => {
  bench('analyzeGraph', () => {
    analyzeGraph(document, nodeRegistry)
  })
  bench('loadDocument + analyzeGraph (opening a file)', () => {
    const loaded = loadDocument(text, nodeRegistry)
    if (loaded.ok) analyzeGraph(loaded.document, nodeRegistry)
  })
})
