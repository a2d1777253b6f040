import { describe, expect, it } from 'vitest'
import { applyCommand } from '../../graph-core/commands'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { copyFragment, parseFragment, pasteCommand } from './clipboard'

const gan = () =>
  graph()
    .node('noise', 'data.noise')
    .node('gen', 'model.generator')
    .node('disc', 'model.discriminator')
    .node('adam', 'optim.adam', { trains: ['gen'] })
    .edge('noise.z', 'gen.z')
    .edge('gen.x', 'disc.x')
    .build()

describe('clipboard', () => {
  it('copies the selected nodes and only the edges among them', () => {
    const fragment = copyFragment(gan(), new Set(['noise', 'gen']))
    expect(fragment.nodes.map((node) => node.id)).toEqual(['noise', 'gen'])
    expect(fragment.edges.map((edge) => edge.id)).toEqual(['e0'])
  })

  it('round-trips through clipboard text and refuses other text', () => {
    const fragment = copyFragment(gan(), new Set(['gen']))
    expect(parseFragment(JSON.stringify(fragment))).toEqual(fragment)
    expect(parseFragment('hello')).toBeUndefined()
    expect(parseFragment('{"format":"latent-lab.fragment","nodes":[{}]}')).toBeUndefined()
    expect(parseFragment('{"format":"latent-lab.fragment"')).toBeUndefined()
  })

  it('pastes with fresh ids, offset positions, rewired edges and remapped node refs', () => {
    const document = gan()
    const fragment = copyFragment(document, new Set(['noise', 'gen', 'adam']))
    const { command, nodeIds } = pasteCommand(document, fragment, { x: 40, y: 40 }, nodeRegistry)
    const after = applyCommand(document, command)
    expect(nodeIds).toEqual(['noise1', 'generator1', 'adam1'])
    expect(after.nodes).toHaveLength(7)
    const pastedNoise = after.nodes.find((node) => node.id === 'noise1')
    expect(pastedNoise?.position).toEqual({ x: 40, y: 40 })
    const pastedEdge = after.edges.at(-1)
    expect(pastedEdge?.from).toEqual({ node: 'noise1', port: 'z' })
    expect(pastedEdge?.to).toEqual({ node: 'generator1', port: 'z' })
    expect(new Set(after.edges.map((edge) => edge.id)).size).toBe(after.edges.length)
    expect(after.nodes.find((node) => node.id === 'adam1')?.params.trains).toEqual(['generator1'])
  })

  it('migrates nodes copied from an older version, as opening a file does', () => {
    const old = graph()
      .node('disc', 'model.discriminator', { normalization: 'batchNorm' }, { typeVersion: 1 })
      .build()
    const fragment = copyFragment(old, new Set(['disc']))
    const { command } = pasteCommand(gan(), fragment, { x: 0, y: 0 }, nodeRegistry)
    const pasted = applyCommand(gan(), command).nodes.at(-1)
    expect(pasted).toMatchObject({
      typeVersion: 2,
      params: { normalization: 'batchNorm', isFirstLayerNormalized: true },
    })
    // Current nodes are pasted as copied.
    const current = copyFragment(gan(), new Set(['gen']))
    const again = pasteCommand(gan(), current, { x: 0, y: 0 }, nodeRegistry).command
    expect(applyCommand(gan(), again).nodes.at(-1)?.params).toEqual(
      gan().nodes.find((node) => node.id === 'gen')?.params,
    )
  })
})
