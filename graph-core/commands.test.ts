import { describe, expect, it } from 'vitest'
import { applyCommand, applyCommands, changesStructure, freshEdgeId, freshNodeId } from './commands'
import { graph } from './testing/graphBuilder'

const gan = () =>
  graph()
    .node('noise', 'data.noise')
    .node('gen', 'model.generator')
    .node('disc', 'model.discriminator', {}, { applications: 2 })
    .node('real', 'data.toy2d')
    .edge('noise.z', 'gen.z')
    .edge('real.x', 'disc.x')
    .edge('gen.x', 'disc.x@1')
    .build()

describe('graph commands', () => {
  it('adds nodes and edges without touching the input document', () => {
    const before = graph().node('a', 'data.noise').build()
    const frozen = structuredClone(before)
    const after = applyCommand(before, {
      type: 'addNodes',
      nodes: [
        { id: 'b', type: 'model.generator', typeVersion: 1, position: { x: 1, y: 2 }, params: {} },
      ],
      edges: [{ id: 'e1', from: { node: 'a', port: 'z' }, to: { node: 'b', port: 'z' } }],
    })
    expect(after.nodes.map((node) => node.id)).toEqual(['a', 'b'])
    expect(after.edges).toHaveLength(1)
    expect(before).toEqual(frozen)
  })

  it('refuses a node id that exists', () => {
    const document = graph().node('a', 'data.noise').build()
    expect(() =>
      applyCommand(document, {
        type: 'addNodes',
        nodes: [
          { id: 'a', type: 'data.noise', typeVersion: 1, position: { x: 0, y: 0 }, params: {} },
        ],
      }),
    ).toThrow('"a" already exists')
  })

  it('returns the same document when nothing changes', () => {
    const document = gan()
    const position = document.nodes[0]?.position ?? { x: 0, y: 0 }
    expect(applyCommand(document, { type: 'moveNodes', positions: { noise: position } })).toBe(
      document,
    )
    expect(applyCommand(document, { type: 'removeElements', nodes: ['nope'] })).toBe(document)
    expect(
      applyCommand(document, {
        type: 'connect',
        id: 'x',
        from: { node: 'noise', port: 'z' },
        to: { node: 'gen', port: 'z' },
      }),
    ).toBe(document)
    expect(applyCommand(document, { type: 'renameNode', node: 'gen', title: '  ' })).toBe(document)
  })

  it('moves only the named nodes', () => {
    const after = applyCommand(gan(), { type: 'moveNodes', positions: { gen: { x: 5, y: -7 } } })
    expect(after.nodes.find((node) => node.id === 'gen')?.position).toEqual({ x: 5, y: -7 })
    expect(after.nodes.find((node) => node.id === 'noise')?.position).toEqual({ x: 0, y: 0 })
  })

  it('removing a node removes every edge that touches it', () => {
    const after = applyCommand(gan(), { type: 'removeElements', nodes: ['gen'] })
    expect(after.nodes.map((node) => node.id)).toEqual(['noise', 'disc', 'real'])
    expect(after.edges.map((edge) => `${edge.from.node}->${edge.to.node}`)).toEqual(['real->disc'])
  })

  it('an input takes one edge: connecting again replaces the old one', () => {
    const after = applyCommand(gan(), {
      type: 'connect',
      id: 'new',
      from: { node: 'gen', port: 'x' },
      to: { node: 'disc', port: 'x' },
    })
    const into = after.edges.filter((edge) => edge.to.node === 'disc' && edge.to.port === 'x')
    expect(into).toEqual([
      { id: 'new', from: { node: 'gen', port: 'x' }, to: { node: 'disc', port: 'x' } },
    ])
  })

  it('connecting to the next application of a shared block grows its applications', () => {
    const after = applyCommand(gan(), {
      type: 'connect',
      id: 'third',
      from: { node: 'noise', port: 'z' },
      to: { node: 'disc', port: 'x@2' },
    })
    expect(after.nodes.find((node) => node.id === 'disc')?.applications).toBe(3)
  })

  it('refuses a node feeding itself', () => {
    expect(() =>
      applyCommand(gan(), {
        type: 'connect',
        id: 'loop',
        from: { node: 'gen', port: 'x' },
        to: { node: 'gen', port: 'z' },
      }),
    ).toThrow('cannot feed itself')
  })

  it('removes an application and renumbers the later ones', () => {
    const three = applyCommand(gan(), {
      type: 'connect',
      id: 'third',
      from: { node: 'noise', port: 'z' },
      to: { node: 'disc', port: 'x@2' },
    })
    const withOutput = applyCommands(three, [
      {
        type: 'addNodes',
        nodes: [
          { id: 'loss', type: 'loss.gan', typeVersion: 1, position: { x: 0, y: 0 }, params: {} },
        ],
      },
      {
        type: 'connect',
        id: 'out',
        from: { node: 'disc', port: 'logit@2' },
        to: { node: 'loss', port: 'fake' },
      },
    ])
    const after = applyCommand(withOutput, {
      type: 'removeApplication',
      node: 'disc',
      application: 1,
    })
    expect(after.nodes.find((node) => node.id === 'disc')?.applications).toBe(2)
    const ports = after.edges
      .filter((edge) => edge.to.node === 'disc' || edge.from.node === 'disc')
      .map((edge) => `${edge.id}:${edge.from.node === 'disc' ? edge.from.port : edge.to.port}`)
    expect(ports).toEqual(['e1:x', 'third:x@1', 'out:logit@1'])
    const single = applyCommand(after, { type: 'removeApplication', node: 'disc', application: 1 })
    expect(single.nodes.find((node) => node.id === 'disc')).not.toHaveProperty('applications')
    expect(applyCommand(single, { type: 'removeApplication', node: 'disc', application: 0 })).toBe(
      single,
    )
  })

  it('sets params, renames nodes and clears a title', () => {
    const named = applyCommands(gan(), [
      { type: 'setParam', node: 'gen', param: 'hidden', value: [64, 64] },
      { type: 'renameNode', node: 'gen', title: ' G ' },
    ])
    const gen = named.nodes.find((node) => node.id === 'gen')
    expect(gen?.params.hidden).toEqual([64, 64])
    expect(gen?.title).toBe('G')
    const cleared = applyCommand(named, { type: 'renameNode', node: 'gen', title: '' })
    expect(cleared.nodes.find((node) => node.id === 'gen')).not.toHaveProperty('title')
  })

  it('knows which commands leave the analysis unchanged', () => {
    expect(changesStructure({ type: 'moveNodes', positions: {} })).toBe(false)
    expect(changesStructure({ type: 'renameNode', node: 'a', title: 'b' })).toBe(false)
    expect(changesStructure({ type: 'setParam', node: 'a', param: 'b', value: 1 })).toBe(true)
  })

  it('makes readable fresh ids', () => {
    expect(freshNodeId('model.generator', new Set(['generator1']))).toBe('generator2')
    expect(freshNodeId('loss.arcFace', new Set())).toBe('arcFace1')
    expect(freshEdgeId(new Set(['e1', 'e2']))).toBe('e3')
  })
})
