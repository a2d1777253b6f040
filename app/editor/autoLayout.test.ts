import { describe, expect, it } from 'vitest'
import { graph } from '../../graph-core/testing/graphBuilder'
import { layoutPositions } from './autoLayout'

describe('auto layout', () => {
  it('places every node left to right along the data flow without overlaps', async () => {
    const document = graph()
      .node('noise', 'data.noise')
      .node('gen', 'model.generator')
      .node('real', 'data.toy2d')
      .node('disc', 'model.discriminator', {}, { applications: 2 })
      .node('loss', 'loss.gan')
      .edge('noise.z', 'gen.z')
      .edge('real.x', 'disc.x')
      .edge('gen.x', 'disc.x@1')
      .edge('disc.logit', 'loss.real')
      .edge('disc.logit@1', 'loss.fake')
      .build()
    for (const node of document.nodes) node.position = { x: 0, y: 0 }
    const positions = await layoutPositions(document, new Map())
    const x = (id: string) => positions[id]?.x ?? Number.NaN
    expect(x('noise')).toBeLessThan(x('gen'))
    expect(x('gen')).toBeLessThan(x('disc'))
    expect(x('disc')).toBeLessThan(x('loss'))
    const boxes = Object.values(positions)
    expect(boxes).toHaveLength(5)
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        const overlaps = Math.abs(a.x - b.x) < 220 && Math.abs(a.y - b.y) < 140
        expect(overlaps).toBe(false)
      }
    }
    // The first call loads ELK (1.4 MB of JavaScript): seconds on a busy machine.
  }, 60_000)

  it('lays out nothing for an empty graph', async () => {
    expect(await layoutPositions(graph().build(), new Map())).toEqual({})
  })
})
