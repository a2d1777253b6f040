import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { createDocument } from '../../graph-core/document'
import { nodeRegistry } from '../../nodes/registry'
import * as catalog from '../../presets/catalog'
import { createEditorStore } from '../editor/editorStore'
import { createWorkspace } from '../library/workspace'
import { createWorkspaceSettings } from '../library/workspaceSettings'
import { createGraphLibrary } from '../storage/graphLibrary'
import { createLabDatabase } from '../storage/labDatabase'
import { openPreset } from './openPreset'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** A tab on a fresh in-memory database: the editor and its workspace, started. */
async function tab() {
  const db = createLabDatabase('presets-test', { indexedDB: new IDBFactory(), IDBKeyRange })
  const library = createGraphLibrary({ db, registry: nodeRegistry, createChannel: () => undefined })
  const store = createEditorStore(createDocument(), nodeRegistry)
  const workspace = createWorkspace({
    store,
    registry: nodeRegistry,
    library,
    settings: createWorkspaceSettings(db),
    environment: {
      pageUrl: () => 'https://lab.example/',
      hash: () => '',
      clearFragment: () => undefined,
      copyText: () => Promise.resolve(),
      download: () => undefined,
    },
  })
  cleanups.push(() => {
    workspace.dispose()
    library.close()
    db.close()
  })
  await workspace.start()
  return { store, workspace, library }
}

describe('openPreset', () => {
  it('opens a preset as a new graph; the edited graph that was open is saved and stays', async () => {
    const { store, workspace, library } = await tab()
    store.dispatch({ type: 'renameGraph', name: 'My sketch' })
    expect(await workspace.save()).toBe(true)
    const mine = workspace.getState().graphId
    store.dispatch({ type: 'setSeed', seed: 99 })

    const explainer = await openPreset('arcface', {
      catalog,
      registry: nodeRegistry,
      workspace,
      store,
    })

    expect(explainer?.title).toBe('ArcFace')
    const state = store.getState()
    expect(state.document.name).toBe('ArcFace')
    expect(state.analysis.diagnostics).toEqual([])
    // A fresh history: Undo cannot step back into the other graph.
    expect(state.history.past).toEqual([])
    const { graphId } = workspace.getState()
    expect(graphId).not.toBe(mine)
    expect(workspace.getState().saveState).toBe('saved')
    const graphs = await library.list({ sort: 'name' })
    expect(graphs.map((graph) => graph.name)).toEqual(['ArcFace', 'My sketch'])
    // The edit made just before opening the preset was kept.
    if (mine === undefined) throw new Error('the sketch was not saved')
    expect((await library.open(mine)).document.seed).toBe(99)
  })

  it('opens the same preset twice as two graphs, never over the first', async () => {
    const { store, workspace, library } = await tab()
    const options = { catalog, registry: nodeRegistry, workspace, store }
    await openPreset('gan-2d', options)
    const first = workspace.getState().graphId
    store.dispatch({ type: 'setSeed', seed: 5 })
    await openPreset('gan-2d', options)
    expect(workspace.getState().graphId).not.toBe(first)
    const graphs = await library.list()
    expect(graphs).toHaveLength(2)
    if (first === undefined) throw new Error('the first copy was not saved')
    expect((await library.open(first)).document.seed).toBe(5)
  })

  it('leaves everything as it was when the preset does not load, and says so', async () => {
    const { store, workspace } = await tab()
    store.dispatch({ type: 'renameGraph', name: 'Kept' })
    const before = store.getState().document
    const broken = {
      PRESETS: catalog.PRESETS,
      loadPreset: () => ({
        ok: false as const,
        diagnostics: [
          { code: 'SCHEMA_INVALID' as const, severity: 'error' as const, message: 'Broken.' },
        ],
      }),
    }
    const explainer = await openPreset('vae', {
      catalog: broken,
      registry: nodeRegistry,
      workspace,
      store,
    })
    expect(explainer).toBeUndefined()
    expect(store.getState().document).toBe(before)
    const notice = workspace.getState().notices.find((entry) => entry.key === 'load-refused')
    expect(notice?.message).toContain('The preset “Variational autoencoder” could not be opened')
  })
})
