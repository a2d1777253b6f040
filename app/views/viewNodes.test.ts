import { describe, expect, it } from 'vitest'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { sameViewNodes, viewNodesOf } from './viewNodes'

describe('viewNodesOf', () => {
  it('lists view nodes in order, named by title or label', () => {
    const document = graph('views')
      .node('data', 'data.toy2d')
      .node('scatter', 'view.scatter2d', {}, { title: 'GAN points' })
      .node('samples', 'view.samples')
      .build()
    const nodes = viewNodesOf(document, nodeRegistry)
    expect(nodes).toEqual([
      { id: 'scatter', type: 'view.scatter2d', name: 'GAN points' },
      { id: 'samples', type: 'view.samples', name: 'Sample grid' },
    ])
    expect(sameViewNodes(nodes, [...nodes])).toBe(true)
    expect(sameViewNodes(nodes, nodes.slice(1))).toBe(false)
    expect(sameViewNodes(nodes, [{ ...nodes[0], name: 'other' } as never, nodes[1] as never])).toBe(
      false,
    )
  })
})
