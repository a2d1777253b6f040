import { describe, expect, it } from 'vitest'
import { createDocument } from '../../graph-core/document'
import { graph } from '../../graph-core/testing/graphBuilder'
import { testRegistry } from '../../graph-core/testing/testNodes'
import { PREVIEW_NODE, previewLayout } from './previewLayout'

describe('previewLayout', () => {
  it('places a box per node and a wire per edge inside a padded view box', () => {
    const document = graph('g')
      .node('source', 'test.source', { width: 4 })
      .node('scale', 'test.scale', { factor: 2 }, { title: '<b>x</b>' })
      .edge('source.x', 'scale.x')
      .build()
    const [source, scale] = document.nodes
    if (source === undefined || scale === undefined) throw new Error('no nodes')
    source.position = { x: 0, y: 0 }
    scale.position = { x: 300, y: 100 }
    document.nodes.push({
      id: 'ghost',
      type: 'model.fromTheFuture',
      typeVersion: 1,
      position: { x: -100, y: 400 },
      params: {},
    })
    const layout = previewLayout(document, testRegistry)
    expect(layout.boxes.map((box) => [box.id, box.label, box.isUnknown])).toEqual([
      ['source', testRegistry.get('test.source')?.label, false],
      ['scale', '<b>x</b>', false],
      ['ghost', 'model.fromTheFuture', true],
    ])
    expect(layout.wires).toEqual([
      { id: document.edges[0]?.id, x1: PREVIEW_NODE.width, y1: 36, x2: 300, y2: 136 },
    ])
    expect(layout.viewBox).toBe(`-140 -40 ${500 + 140 + 40} ${472 + 80}`)
  })

  it('gives an empty graph a nominal view box', () => {
    expect(previewLayout(createDocument(), testRegistry)).toMatchObject({
      viewBox: '0 0 400 144',
      boxes: [],
      wires: [],
    })
  })
})
