import { describe, expect, it } from 'vitest'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { createEditorStore } from './editorStore'
import { createFlowMapper } from './flowElements'

const setup = () => {
  const store = createEditorStore(
    graph()
      .node('noise', 'data.noise', { dim: 8 })
      .node('gen', 'model.generator')
      .node('dense', 'model.dense')
      .node('enc', 'model.encoder', { form: 'conv' })
      .edge('noise.z', 'gen.z')
      .edge('noise.z', 'enc.x')
      .build(),
    nodeRegistry,
  )
  return { store, mapper: createFlowMapper(nodeRegistry) }
}

describe('flow elements', () => {
  it('derives nodes with their type, id and validity for automation', () => {
    const { store, mapper } = setup()
    const nodes = mapper.nodes(store.getState())
    expect(nodes.map((node) => node.id)).toEqual(['noise', 'gen', 'dense', 'enc'])
    const attributes = nodes.map((node) => node.domAttributes as Record<string, unknown>)
    expect(attributes[0]).toMatchObject({ 'data-node-type': 'data.noise', 'data-node-id': 'noise' })
    expect(attributes[0]?.['aria-invalid']).toBeUndefined()
    // The dense layer has no input; the conv encoder gets vectors instead of images.
    expect(attributes[2]?.['aria-invalid']).toBe('true')
    expect(attributes[3]?.['aria-invalid']).toBe('true')
  })

  it('labels edges with their shape and flags a mismatch with expected and actual', () => {
    const { store, mapper } = setup()
    const [toGenerator, toEncoder] = mapper.edges(store.getState())
    expect(toGenerator?.data).toEqual({ shape: '[8]', problem: undefined })
    expect(toEncoder?.data?.problem).toMatchObject({ code: 'SHAPE_MISMATCH', actual: '[8]' })
  })

  it('hands back the same objects for what did not change, so a drag re-renders one node', () => {
    const { store, mapper } = setup()
    const first = mapper.nodes(store.getState())
    const firstEdges = mapper.edges(store.getState())
    store.dispatch({ type: 'moveNodes', positions: { gen: { x: 1, y: 2 } } })
    const second = mapper.nodes(store.getState())
    expect(second[0]).toBe(first[0])
    expect(second[1]).not.toBe(first[1])
    expect(second[1]?.position).toEqual({ x: 1, y: 2 })
    expect(mapper.edges(store.getState())).toBe(firstEdges)
    store.select({ edges: ['e0'] })
    const selectedEdges = mapper.edges(store.getState())
    expect(selectedEdges[0]?.selected).toBe(true)
    expect(selectedEdges[1]).toBe(firstEdges[1])
    store.select({ nodes: ['dense'] })
    const third = mapper.nodes(store.getState())
    expect(third[2]?.selected).toBe(true)
    expect(third[0]).toBe(second[0])
  })
})
