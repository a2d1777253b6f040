import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDocument, serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument } from '../../graph-core/loader'
import { graph } from '../../graph-core/testing/graphBuilder'
import { testRegistry } from '../../graph-core/testing/testNodes'
import { createEditorStore, type EditorStore } from '../editor/editorStore'
import { createGraphLibrary, type ChangeChannel, type GraphLibrary } from '../storage/graphLibrary'
import { createLabDatabase, type LabDatabase } from '../storage/labDatabase'
import { encodeShareFragment } from '../storage/shareLink'
import { StorageError } from '../storage/storageError'
import {
  AUTOSAVE_DELAY_MS,
  createWorkspace,
  PURGE_AFTER_MS,
  type Workspace,
  type WorkspaceEnvironment,
  type WorkspaceTimers,
} from './workspace'
import {
  createWorkspaceSettings,
  LAST_GRAPH_KEY,
  type WorkspaceSettings,
} from './workspaceSettings'

function sample(name = 'Sample', factor = 2): GraphDocument {
  const loaded = loadDocument(
    graph(name)
      .node('source', 'test.source', { width: 4 })
      .node('scale', 'test.scale', { factor })
      .edge('source.x', 'scale.x')
      .build(),
    testRegistry,
  )
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
  return loaded.document
}

/** Timers that run only when the test says so. */
function manualTimers() {
  let nextId = 1
  const pending = new Map<number, { run: () => void; ms: number }>()
  const timers: WorkspaceTimers = {
    setTimeout: (run, ms) => {
      const id = nextId++
      pending.set(id, { run, ms })
      return id
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number)
    },
  }
  return {
    timers,
    /** Delays of the timers waiting to run. */
    delays: () => [...pending.values()].map((timer) => timer.ms),
    /** Runs the timers with this delay. */
    fire(ms: number) {
      for (const [id, timer] of [...pending]) {
        if (timer.ms !== ms) continue
        pending.delete(id)
        timer.run()
      }
    },
  }
}

/** An in-memory BroadcastChannel shared by the tabs of one test. */
function channelHub() {
  const members = new Set<(data: unknown) => void>()
  return (): ChangeChannel => {
    let own: ((data: unknown) => void) | undefined
    return {
      post: (change) => {
        for (const member of members) if (member !== own) member(structuredClone(change))
      },
      listen: (onMessage) => {
        own = onMessage
        members.add(onMessage)
      },
      close: () => {
        if (own !== undefined) members.delete(own)
      },
    }
  }
}

interface Tab {
  workspace: Workspace
  store: EditorStore
  library: GraphLibrary
  timers: ReturnType<typeof manualTimers>
  environment: WorkspaceEnvironment & { cleared: number; copied: string[]; downloads: string[] }
  /** Runs the autosave timer and waits for the save to end. */
  autosave(): Promise<void>
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  vi.restoreAllMocks()
})

/** One database and a way to open tabs (workspace + editor) on it. */
function browser() {
  const db: LabDatabase = createLabDatabase('latent-lab', {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  })
  const hub = channelHub()
  let tabs = 0
  cleanups.push(() => {
    db.close()
  })
  return {
    db,
    open: async (
      options: { hash?: string; settings?: WorkspaceSettings; start?: boolean } = {},
    ): Promise<Tab> => {
      const store = createEditorStore(createDocument(), testRegistry)
      const library = createGraphLibrary({
        db,
        registry: testRegistry,
        tabId: `tab${tabs++}`,
        createChannel: hub,
      })
      const timers = manualTimers()
      let hash = options.hash ?? ''
      const environment = {
        cleared: 0,
        copied: [] as string[],
        downloads: [] as string[],
        pageUrl: () => 'https://lab.example/',
        hash: () => hash,
        clearFragment: () => {
          hash = ''
          environment.cleared++
        },
        copyText: (text: string) => {
          environment.copied.push(text)
          return Promise.resolve()
        },
        download: (fileName: string) => {
          environment.downloads.push(fileName)
        },
      }
      const workspace = createWorkspace({
        store,
        registry: testRegistry,
        library,
        settings: options.settings ?? createWorkspaceSettings(db),
        environment,
        timers: timers.timers,
      })
      cleanups.push(() => {
        workspace.dispose()
        library.close()
      })
      if (options.start !== false) await workspace.start()
      return {
        workspace,
        store,
        library,
        timers,
        environment,
        async autosave() {
          timers.fire(AUTOSAVE_DELAY_MS)
          await vi.waitFor(() => {
            expect(['saved', 'failed', 'conflict']).toContain(workspace.getState().saveState)
          })
        },
      }
    },
  }
}

const json = (document: GraphDocument) => serializeDocument(document)
const messages = (workspace: Workspace) => workspace.getState().notices.map((n) => n.message)
const notice = (workspace: Workspace, key: string) =>
  workspace.getState().notices.find((candidate) => candidate.key === key)

function runAction(workspace: Workspace, key: string, label: string) {
  const action = notice(workspace, key)?.actions?.find((candidate) => candidate.label === label)
  if (action === undefined) throw new Error(`no “${label}” on the ${key} notice`)
  action.run()
}

describe('autosave', () => {
  it('starts with an empty, unsaved graph and saves it a moment after the last edit', async () => {
    const { db, open } = browser()
    const tab = await open()
    expect(tab.workspace.getState()).toMatchObject({ isReady: true, saveState: 'new' })
    expect(await db.graphs.count()).toBe(0)

    tab.store.open(sample('Mine'))
    tab.store.dispatch({ type: 'setSeed', seed: 5 })
    tab.store.dispatch({ type: 'setSeed', seed: 6 })
    expect(tab.workspace.getState().saveState).toBe('unsaved')
    // Debounced: one timer however many edits, and nothing written before it runs.
    expect(tab.timers.delays()).toEqual([AUTOSAVE_DELAY_MS])
    expect(await db.graphs.count()).toBe(0)

    await tab.autosave()
    const state = tab.workspace.getState()
    expect(state.saveState).toBe('saved')
    expect(state.graphId).toBeDefined()
    const graphId = state.graphId ?? ''
    const stored = await tab.library.open(graphId)
    expect(json(stored.document)).toBe(json(tab.store.getState().document))
    expect(state.baseRevisionId).toBe(stored.graph.latestRevisionId)
    expect((await db.settings.get(LAST_GRAPH_KEY))?.value).toBe(graphId)
  })

  it('saves at once on Save, and an undo back to the stored state needs no save', async () => {
    const { open } = browser()
    const tab = await open()
    tab.store.dispatch({ type: 'renameGraph', name: 'Now' })
    expect(await tab.workspace.save()).toBe(true)
    expect(tab.timers.delays()).toEqual([])
    const graphId = tab.workspace.getState().graphId ?? ''
    expect((await tab.library.revisions(graphId)).length).toBe(1)

    tab.store.dispatch({ type: 'setSeed', seed: 9 })
    expect(tab.workspace.getState().saveState).toBe('unsaved')
    tab.store.undo()
    expect(tab.workspace.getState().saveState).toBe('saved')
    expect(tab.timers.delays()).toEqual([])
  })

  it('reopens the last graph on the next visit', async () => {
    const { open } = browser()
    const first = await open()
    first.store.open(sample('Kept'))
    await first.workspace.save()

    const second = await open()
    expect(second.store.getState().document.name).toBe('Kept')
    expect(json(second.store.getState().document)).toBe(json(first.store.getState().document))
    expect(second.workspace.getState()).toMatchObject({
      saveState: 'saved',
      graphId: first.workspace.getState().graphId,
    })
  })

  it('keeps what was edited while the library was opening instead of the last graph', async () => {
    const { open } = browser()
    const first = await open()
    first.store.open(sample('Old'))
    await first.workspace.save()

    const second = await open({ start: false })
    second.store.dispatch({ type: 'renameGraph', name: 'Typed meanwhile' })
    await second.workspace.start()
    expect(second.store.getState().document.name).toBe('Typed meanwhile')
  })
})

describe('two tabs on one graph', () => {
  async function twoTabs() {
    const { open, db } = browser()
    const a = await open()
    a.store.open(sample('Shared'))
    await a.workspace.save()
    const b = await open()
    expect(b.workspace.getState().graphId).toBe(a.workspace.getState().graphId)
    return { a, b, db }
  }

  it('shows the other tab’s save at once when this tab has no edits', async () => {
    const { a, b } = await twoTabs()
    b.store.dispatch({ type: 'setSeed', seed: 42 })
    await b.autosave()
    await vi.waitFor(() => {
      expect(a.store.getState().document.seed).toBe(42)
    })
    expect(a.workspace.getState().baseRevisionId).toBe(b.workspace.getState().baseRevisionId)
    expect(messages(a.workspace).join(' ')).toMatch(/updated from another tab/)
  })

  it('shows a notice instead of overwriting when both edit, then keeps mine as a copy', async () => {
    const { a, b, db } = await twoTabs()
    a.store.dispatch({ type: 'setSeed', seed: 1111 })
    b.store.dispatch({ type: 'setSeed', seed: 2222 })
    await b.autosave()
    await vi.waitFor(() => {
      expect(a.workspace.getState().saveState).toBe('conflict')
    })
    // Autosave is stopped and Save does not overwrite either.
    expect(a.timers.delays()).not.toContain(AUTOSAVE_DELAY_MS)
    expect(await a.workspace.save()).toBe(false)
    const graphId = a.workspace.getState().graphId ?? ''
    expect((await a.library.open(graphId)).document.seed).toBe(2222)
    const conflict = notice(a.workspace, 'conflict')
    expect(conflict?.message).toMatch(/changed in another tab/)
    expect(conflict?.actions?.map((action) => action.label)).toEqual([
      'Keep mine as a copy',
      'Load theirs',
    ])

    runAction(a.workspace, 'conflict', 'Keep mine as a copy')
    await vi.waitFor(() => {
      expect(a.workspace.getState().saveState).toBe('saved')
    })
    const copyId = a.workspace.getState().graphId ?? ''
    expect(copyId).not.toBe(graphId)
    const copy = await a.library.open(copyId)
    expect(copy.document).toMatchObject({ name: 'Shared (my copy)', seed: 1111 })
    expect((await a.library.open(graphId)).document.seed).toBe(2222)
    expect(await db.graphs.count()).toBe(2)
  })

  it('loads theirs on request, dropping this tab’s edits', async () => {
    const { a, b } = await twoTabs()
    a.store.dispatch({ type: 'setSeed', seed: 1111 })
    // B saves first; A's autosave then conflicts.
    b.store.dispatch({ type: 'setSeed', seed: 2222 })
    await b.workspace.save()
    await vi.waitFor(() => {
      expect(a.workspace.getState().saveState).toBe('conflict')
    })
    runAction(a.workspace, 'conflict', 'Load theirs')
    await vi.waitFor(() => {
      expect(a.store.getState().document.seed).toBe(2222)
    })
    expect(a.workspace.getState()).toMatchObject({ saveState: 'saved', conflict: undefined })
  })

  it('detects a conflict from the save itself when no message came', async () => {
    const { a, b } = await twoTabs()
    b.library.close() // B's saves are not announced
    b.store.dispatch({ type: 'setSeed', seed: 2222 })
    await b.workspace.save()
    a.store.dispatch({ type: 'setSeed', seed: 1111 })
    await a.autosave()
    expect(a.workspace.getState().saveState).toBe('conflict')
    expect((await a.library.open(a.workspace.getState().graphId ?? '')).document.seed).toBe(2222)
  })
})

describe('graphs from outside', () => {
  it('leaves a link to the next workspace when disposed while starting (StrictMode remount)', async () => {
    const { open } = browser()
    const fragment = await encodeShareFragment(sample('Shared'))
    const first = await open({ hash: fragment, start: false })
    const starting = first.workspace.start()
    first.workspace.dispose()
    await starting
    expect(first.environment.cleared).toBe(0)
    expect(first.store.getState().document.nodes).toEqual([])
  })

  it('opens a share link as a new graph, clears the fragment and leaves the rest alone', async () => {
    const { open, db } = browser()
    const first = await open()
    first.store.open(sample('Existing'))
    await first.workspace.save()
    const existingId = first.workspace.getState().graphId ?? ''

    const shared = sample('From a friend', 7)
    const tab = await open({ hash: await encodeShareFragment(shared) })
    expect(tab.environment.cleared).toBe(1)
    expect(json(tab.store.getState().document)).toBe(json(shared))
    const newId = tab.workspace.getState().graphId
    expect(newId).toBeDefined()
    expect(newId).not.toBe(existingId)
    expect(await db.graphs.count()).toBe(2)
    expect((await tab.library.open(existingId)).document.name).toBe('Existing')
  })

  it('refuses a corrupted link with a message, keeping the open graph and the library', async () => {
    const { open, db } = browser()
    const first = await open()
    first.store.open(sample('Existing'))
    await first.workspace.save()
    const fragment = await encodeShareFragment(sample('Shared'))
    const at = Math.floor(fragment.length / 2)
    const broken =
      fragment.slice(0, at) + (fragment[at] === 'A' ? 'B' : 'A') + fragment.slice(at + 1)

    const tab = await open({ hash: broken })
    expect(tab.store.getState().document.name).toBe('Existing')
    expect(await db.graphs.count()).toBe(1)
    const refused = notice(tab.workspace, 'load-refused')
    expect(refused?.tone).toBe('error')
    expect(refused?.message).toMatch(
      /^This share link could not be opened: This share link is damaged.*unchanged\.$/,
    )
  })

  it('opens unknown node types as placeholders and lists the loader’s diagnostics', async () => {
    const { open } = browser()
    const tab = await open()
    const document = sample('Future')
    document.nodes.push({
      id: 'x',
      type: 'model.fromTheFuture',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    })
    await tab.workspace.pasteText(JSON.stringify(document))
    expect(tab.store.getState().document.nodes.map((node) => node.type)).toContain(
      'model.fromTheFuture',
    )
    const problems = notice(tab.workspace, 'load-problems')
    expect(problems?.message).toMatch(/“Future” opened with 1 problem/)
    expect(problems?.details?.[0]).toMatch(/model\.fromTheFuture.*placeholder/)
  })

  it('refuses malformed JSON, another format and a newer schema without touching anything', async () => {
    const { open, db } = browser()
    const tab = await open()
    tab.store.open(sample('Mine'))
    await tab.workspace.save()
    const before = json(tab.store.getState().document)
    const newer = JSON.stringify({ ...sample(), schemaVersion: 99 })
    for (const [text, pattern] of [
      ['{"format": "latent-lab.graph", nodes', /not valid JSON/],
      ['{"format": "excalidraw"}', /not a Latent Lab graph/],
      [newer, /newer Latent Lab/],
    ] as const) {
      await tab.workspace.pasteText(text)
      expect(notice(tab.workspace, 'load-refused')?.message).toMatch(pattern)
      expect(json(tab.store.getState().document)).toBe(before)
    }
    expect(await db.graphs.count()).toBe(1)
  })
})

describe('failures', () => {
  it('keeps working without storage: autosave off, a notice, edits and export still work', async () => {
    const { open } = browser()
    const settings: WorkspaceSettings = {
      lastGraphId: () =>
        Promise.reject(
          new StorageError('UNAVAILABLE', 'This browser gives Latent Lab no storage.'),
        ),
      setLastGraphId: () => Promise.resolve(),
    }
    const tab = await open({ settings })
    expect(tab.workspace.getState()).toMatchObject({ isStorageAvailable: false, saveState: 'off' })
    expect(notice(tab.workspace, 'storage-off')?.message).toMatch(
      /^Autosave is off: This browser gives Latent Lab no storage\. Your edits stay in this tab only\.$/,
    )
    const save = vi.spyOn(tab.library, 'save')
    tab.store.dispatch({ type: 'renameGraph', name: 'Still editable' })
    expect(tab.timers.delays()).toEqual([])
    expect(await tab.workspace.save()).toBe(false)
    expect(save).not.toHaveBeenCalled()
    expect(tab.workspace.hasUnsavedWork()).toBe(true)
    tab.workspace.exportJson()
    expect(tab.environment.downloads).toEqual(['still-editable.latent-lab.json'])

    // Opening a file would leave the edits behind: asked first.
    await tab.workspace.pasteText(JSON.stringify(sample('Pasted')))
    expect(tab.store.getState().document.name).toBe('Still editable')
    expect(notice(tab.workspace, 'leave')?.message).toMatch(/not saved \(storage is off/)
    runAction(tab.workspace, 'leave', 'Continue without them')
    await vi.waitFor(() => {
      expect(tab.store.getState().document.name).toBe('Pasted')
    })
  })

  it('reports a full disk, keeps the edits in the editor and the stored revision as it was', async () => {
    const { open } = browser()
    const tab = await open()
    tab.store.open(sample('Big'))
    await tab.workspace.save()
    const graphId = tab.workspace.getState().graphId ?? ''

    vi.spyOn(tab.library, 'save').mockRejectedValue(
      new StorageError('QUOTA_EXCEEDED', 'Your browser’s storage is full.'),
    )
    tab.store.dispatch({ type: 'setSeed', seed: 77 })
    await tab.autosave()
    expect(tab.workspace.getState().saveState).toBe('failed')
    expect(notice(tab.workspace, 'save-error')).toMatchObject({
      tone: 'error',
      message: 'Your browser’s storage is full.',
    })
    expect(tab.store.getState().document.seed).toBe(77)
    expect(tab.workspace.hasUnsavedWork()).toBe(true)
    vi.restoreAllMocks()
    expect((await tab.library.open(graphId)).document.seed).toBe(1)

    // Space freed: the next save goes through and the notice goes.
    expect(await tab.workspace.save()).toBe(true)
    expect(notice(tab.workspace, 'save-error')).toBeUndefined()
    expect((await tab.library.open(graphId)).document.seed).toBe(77)
  })
})

describe('Library actions', () => {
  it('deletes the open graph with Undo, which brings it back into the editor', async () => {
    const { open } = browser()
    const tab = await open()
    tab.store.open(sample('Doomed'))
    await tab.workspace.save()
    const graphId = tab.workspace.getState().graphId ?? ''
    tab.store.dispatch({ type: 'setSeed', seed: 3 })

    await tab.workspace.deleteGraph({ id: graphId, name: 'Doomed' })
    expect(tab.store.getState().document.nodes).toEqual([])
    expect(tab.workspace.getState()).toMatchObject({ graphId: undefined, saveState: 'new' })
    expect(await tab.library.list()).toEqual([])

    runAction(tab.workspace, 'deleted', 'Undo')
    await vi.waitFor(() => {
      expect(tab.workspace.getState().graphId).toBe(graphId)
    })
    // The edit made just before the delete was saved first, so it is back too.
    expect(tab.store.getState().document.seed).toBe(3)
  })

  it('purges graphs deleted more than a week ago at startup, and only those', async () => {
    const { open, db } = browser()
    const tab = await open()
    const old = (await tab.library.save(sample('Old'))) as { graphId: string }
    const recent = (await tab.library.save(sample('Recent'))) as { graphId: string }
    await tab.library.delete(old.graphId)
    await tab.library.delete(recent.graphId)
    await db.graphs.update(old.graphId, { deletedAt: Date.now() - PURGE_AFTER_MS - 1000 })

    await open()
    await vi.waitFor(async () => {
      expect(await db.graphs.get(old.graphId)).toBeUndefined()
    })
    expect(await db.graphs.get(recent.graphId)).toBeDefined()
  })

  it('renames the open graph through the editor, others through the library', async () => {
    const { open } = browser()
    const tab = await open()
    const other = (await tab.library.save(sample('Other'))) as { graphId: string }
    tab.store.open(sample('Open'))
    await tab.workspace.save()
    const graphId = tab.workspace.getState().graphId ?? ''

    await tab.workspace.renameGraph({ id: graphId, name: 'Open' }, 'Renamed')
    expect(tab.store.getState().document.name).toBe('Renamed')
    expect((await tab.library.open(graphId)).graph.name).toBe('Renamed')
    expect(tab.workspace.getState().saveState).toBe('saved')

    await tab.workspace.renameGraph({ id: other.graphId, name: 'Other' }, 'Elsewhere')
    expect((await tab.library.open(other.graphId)).graph.name).toBe('Elsewhere')
    expect(tab.store.getState().document.name).toBe('Renamed')
  })

  it('restores an old revision of the open graph and shows it', async () => {
    const { open } = browser()
    const tab = await open()
    tab.store.open(sample('History', 2))
    await tab.workspace.save()
    const graphId = tab.workspace.getState().graphId ?? ''
    const [first] = await tab.library.revisions(graphId)
    tab.store.dispatch({ type: 'setSeed', seed: 10 })
    await tab.workspace.save()
    tab.store.dispatch({ type: 'setSeed', seed: 20 })

    if (first === undefined) throw new Error('no revision')
    await tab.workspace.restoreRevision({ id: graphId, name: 'History' }, first.id, first.createdAt)
    expect(tab.store.getState().document.seed).toBe(1)
    const revisions = await tab.library.revisions(graphId)
    // Created, seed 10, seed 20 (saved before restoring), restored: history is never rewritten.
    expect(revisions).toHaveLength(4)
    expect(revisions[0]?.note).toMatch(/^Restored/)
    expect(tab.workspace.getState()).toMatchObject({
      saveState: 'saved',
      baseRevisionId: revisions[0]?.id,
    })
  })

  it('copies a share link with its length and exports the document', async () => {
    const { open } = browser()
    const tab = await open()
    tab.store.open(sample('Linked'))
    await tab.workspace.shareLink()
    const [link] = tab.environment.copied
    expect(link).toMatch(/^https:\/\/lab\.example\/#graph=v1\./)
    const share = notice(tab.workspace, 'share')
    expect(share?.link).toBe(link)
    expect(share?.message).toContain(`(${String(link?.length)} characters)`)
    expect(share?.details).toBeUndefined()

    // Past the safe length the notice says to share a file instead. Random titles do not
    // compress, so 800 nodes make a long link.
    const big = sample('Big')
    for (let index = 0; index < 800; index++) {
      big.nodes.push({
        id: `n${index}`,
        type: 'test.source',
        typeVersion: 1,
        position: { x: index, y: 0 },
        params: { width: 4 },
        title: Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2),
      })
    }
    tab.store.open(big)
    await tab.workspace.shareLink()
    const long = notice(tab.workspace, 'share')
    expect(long?.tone).toBe('warning')
    expect(long?.link?.length).toBeGreaterThan(8_000)
    expect(long?.details?.[0]).toMatch(
      /many apps cut links past 8,000 characters\. Use Export JSON/,
    )
  })
})
