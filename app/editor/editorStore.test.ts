import { describe, expect, it } from 'vitest'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { createEditorStore } from './editorStore'

const document = () =>
  graph()
    .node('noise', 'data.noise')
    .node('gen', 'model.generator')
    .edge('noise.z', 'gen.z')
    .build()

describe('editor store', () => {
  it('applies commands as one undo step and notifies subscribers', () => {
    const store = createEditorStore(document(), nodeRegistry)
    let notified = 0
    store.subscribe(() => notified++)
    store.dispatch([
      { type: 'setParam', node: 'noise', param: 'dim', value: 8 },
      { type: 'renameNode', node: 'gen', title: 'G' },
    ])
    expect(notified).toBe(1)
    expect(store.getState().history.past).toHaveLength(1)
    store.undo()
    expect(store.getState().document.nodes[0]?.params.dim).not.toBe(8)
    store.redo()
    expect(store.getState().document.nodes[1]?.title).toBe('G')
  })

  it('keeps the analysis across moves and recomputes it on structural edits', () => {
    const store = createEditorStore(document(), nodeRegistry)
    const before = store.getState().analysis
    store.dispatch({ type: 'moveNodes', positions: { gen: { x: 9, y: 9 } } })
    expect(store.getState().analysis).toBe(before)
    store.dispatch({ type: 'setParam', node: 'noise', param: 'dim', value: 8 })
    expect(store.getState().analysis).not.toBe(before)
    expect(store.getState().analysis.edgeShapes.get('e0')).toEqual([8])
  })

  it('refuses a bad command with a notice and changes nothing', () => {
    const store = createEditorStore(document(), nodeRegistry)
    const before = store.getState().document
    const isApplied = store.dispatch({
      type: 'connect',
      id: 'loop',
      from: { node: 'gen', port: 'x' },
      to: { node: 'gen', port: 'z' },
    })
    expect(isApplied).toBe(false)
    expect(store.getState().document).toBe(before)
    expect(store.getState().notice).toBe('A node cannot feed itself.')
    store.dispatch({ type: 'renameGraph', name: 'next' })
    expect(store.getState().notice).toBeUndefined()
  })

  it('drops deleted elements from the selection, and opening resets history', () => {
    const store = createEditorStore(document(), nodeRegistry)
    store.select({ nodes: ['noise', 'gen'], edges: ['e0'] })
    store.dispatch({ type: 'removeElements', nodes: ['noise'] })
    expect([...store.getState().selection.nodes]).toEqual(['gen'])
    expect([...store.getState().selection.edges]).toEqual([])
    store.open(graph().build())
    expect(store.getState().history.past).toEqual([])
    expect(store.getState().selection.nodes.size).toBe(0)
  })

  it('coalesces a drag into one undo step', () => {
    const store = createEditorStore(document(), nodeRegistry)
    for (let frame = 1; frame <= 20; frame++) {
      store.dispatch(
        { type: 'moveNodes', positions: { gen: { x: frame, y: 0 } } },
        { coalesceKey: 'drag:1' },
      )
    }
    expect(store.getState().history.past).toHaveLength(1)
    store.undo()
    expect(store.getState().document.nodes[1]?.position).toEqual({ x: 220, y: 0 })
  })

  it('keeps the selection object across a move, so nothing derived from it is rebuilt', () => {
    const store = createEditorStore(document(), nodeRegistry)
    store.select({ nodes: ['gen'], edges: ['e0'] })
    const { selection } = store.getState()
    store.dispatch({ type: 'moveNodes', positions: { gen: { x: 1, y: 0 } } })
    expect(store.getState().selection).toBe(selection)
  })

  it('focuses a param: selects its node alone and numbers each request, never for a missing node', () => {
    const store = createEditorStore(document(), nodeRegistry)
    store.select({ nodes: ['noise', 'gen'], edges: ['e0'] })
    store.focusParam('gen', 'hidden')
    const first = store.getState()
    expect([...first.selection.nodes]).toEqual(['gen'])
    expect(first.selection.edges.size).toBe(0)
    expect(first.paramFocus).toMatchObject({ node: 'gen', param: 'hidden' })
    store.focusParam('gen', 'hidden')
    expect(store.getState().paramFocus?.serial).toBe((first.paramFocus?.serial ?? 0) + 1)
    store.focusParam('gone', 'hidden')
    expect(store.getState().paramFocus?.node).toBe('gen')
    // The history is untouched: focusing is view state.
    expect(store.getState().history.past).toHaveLength(0)
    // Selecting anything cancels it, so selecting the node again later does not jump to the field.
    store.select({ nodes: ['gen'] })
    expect(store.getState().paramFocus).toBeUndefined()
  })
})
