import { describe, expect, it } from 'vitest'
import { loadDocument } from '../../graph-core/loader'
import { defaultParams } from '../../graph-core/params'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { graphKey, isSameTraining, snapshotDifferences, trainingSnapshot } from './graphSnapshot'

const base = (learningRate = 1e-3, seed = 1) =>
  graph('gan', seed)
    .node('noise', 'data.noise', { dim: 2 })
    .node('gen', 'model.generator', { hidden: [8] })
    .node('opt', 'optim.adam', { learningRate })
    .edge('noise.z', 'gen.z')
    .build()

describe('trainingSnapshot and graphKey', () => {
  it('ignore layout, names, titles and key order', () => {
    const a = base()
    const b = base()
    b.name = 'renamed'
    b.meta = { note: 'x' }
    for (const node of b.nodes) node.position = { x: 99, y: -4 }
    b.nodes.reverse()
    const gen = b.nodes.find((node) => node.id === 'gen')
    if (gen === undefined) throw new Error('no gen')
    gen.title = 'G'
    gen.params = { hidden: [8] }
    expect(trainingSnapshot(a)).toBe(trainingSnapshot(b))
    expect(graphKey(a)).toBe(graphKey(b))
    expect(graphKey(a)).toMatch(/^train:[0-9a-f]{14}$/)
    expect(isSameTraining(a, b)).toBe(true)
  })

  it('with the registry, count a param left out as its default (the loader fills them in)', () => {
    const bare = base()
    const filled = base()
    for (const node of filled.nodes) {
      const definition = nodeRegistry.get(node.type)
      if (definition !== undefined)
        node.params = { ...defaultParams(definition.params), ...node.params }
    }
    expect(graphKey(bare)).not.toBe(graphKey(filled))
    expect(graphKey(bare, nodeRegistry)).toBe(graphKey(filled, nodeRegistry))
    expect(snapshotDifferences([bare, filled], nodeRegistry)).toEqual([])
  })

  it('with the registry, take older nodes as the loader migrates them', () => {
    // A version-1 discriminator normalising every layer, and the same after loading.
    const saved = graph('gan')
      .node('disc', 'model.discriminator', { normalization: 'batchNorm' })
      .build()
    const loaded = loadDocument(saved, nodeRegistry)
    if (!loaded.ok) throw new Error('not loaded')
    expect(loaded.document.nodes[0]?.typeVersion).toBe(2)
    expect(graphKey(saved, nodeRegistry)).toBe(graphKey(loaded.document, nodeRegistry))
    // Not the same as a version-2 node that leaves the first layer out.
    const current = structuredClone(saved)
    for (const node of current.nodes) node.typeVersion = 2
    expect(isSameTraining(saved, current, nodeRegistry)).toBe(false)
  })

  it('change with params, seed and wires', () => {
    expect(graphKey(base(1e-3))).not.toBe(graphKey(base(2e-3)))
    expect(graphKey(base(1e-3, 1))).not.toBe(graphKey(base(1e-3, 2)))
    const unwired = base()
    unwired.edges = []
    expect(isSameTraining(base(), unwired)).toBe(false)
  })
})

describe('snapshotDifferences', () => {
  it('lists only what differs, one value per graph', () => {
    const a = base(1e-3, 1)
    const b = base(2e-3, 1)
    const c = base(1e-3, 3)
    c.nodes.push({
      id: 'extra',
      type: 'loss.mse',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    })
    c.edges = []
    expect(snapshotDifferences([a, b, c])).toEqual([
      { label: 'seed', values: ['1', '1', '3'] },
      { label: 'extra', values: [undefined, undefined, 'loss.mse'] },
      { label: 'opt.learningRate', values: ['0.001', '0.002', '0.001'] },
      { label: 'wire noise.z → gen.z', values: ['yes', 'yes', undefined] },
    ])
    expect(snapshotDifferences([a, base(1e-3, 1)])).toEqual([])
  })
})
