import { Dexie } from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument } from '../../graph-core/loader'
import { graph } from '../../graph-core/testing/graphBuilder'
import { testRegistry } from '../../graph-core/testing/testNodes'
import {
  createGraphLibrary,
  isLibraryChange,
  revisionsToThin,
  type ChangeChannel,
  type GraphLibrary,
  type GraphLibraryOptions,
  type LibraryChange,
  type SaveResult,
} from './graphLibrary'
import { createLabDatabase, type LabDatabase } from './labDatabase'
import { StorageError } from './storageError'

const DAY = 86_400_000

/** A document as the loader gives it (defaults filled), so round trips compare bytes. */
function sample(name = 'Sample', factor = 2): GraphDocument {
  const built = graph(name)
    .node('source', 'test.source', { width: 4 })
    .node('scale', 'test.scale', { factor })
    .edge('source.x', 'scale.x')
    .build()
  const loaded = loadDocument(built, testRegistry)
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
  return loaded.document
}

/** An in-memory BroadcastChannel: delivers to every other member, cloned like the real one. */
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

const opened: { db: LabDatabase; libraries: GraphLibrary[] }[] = []

/** A fresh database (its own fake IndexedDB) and one library per tab on it. */
function setup(tabs = 1, options: Partial<GraphLibraryOptions> = {}) {
  const db = createLabDatabase('latent-lab', { indexedDB: new IDBFactory(), IDBKeyRange })
  const hub = channelHub()
  let clock = Date.UTC(2025, 0, 1)
  const libraries = Array.from({ length: tabs }, (_, tab) =>
    createGraphLibrary({
      db,
      registry: testRegistry,
      tabId: `tab${tab}`,
      createChannel: hub,
      now: () => (clock += 1000),
      ...options,
    }),
  )
  opened.push({ db, libraries })
  const [library] = libraries
  if (library === undefined) throw new Error('no tab')
  return {
    db,
    library,
    libraries,
    advance: (ms: number) => {
      clock += ms
    },
  }
}

afterEach(() => {
  for (const { db, libraries } of opened.splice(0)) {
    for (const library of libraries) library.close()
    db.close()
  }
  vi.restoreAllMocks()
})

function saved(result: SaveResult) {
  if (result.status !== 'saved') throw new Error(`expected saved, got ${result.status}`)
  return result
}

async function rejection(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise
  } catch (cause) {
    if (cause instanceof StorageError) return cause
    throw cause
  }
  throw new Error('expected a StorageError')
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError')

describe('save and open', () => {
  it('creates a graph, then opens the same bytes through the loader', async () => {
    const { library } = setup()
    const document = sample('Triplet')
    const result = saved(await library.save(document))
    expect(result.isNew).toBe(true)

    const back = await library.open(result.graphId)
    expect(serializeDocument(back.document)).toBe(serializeDocument(document))
    expect(back.diagnostics).toEqual([])
    expect(back.graph).toMatchObject({
      id: result.graphId,
      name: 'Triplet',
      nodeCount: 2,
      latestRevisionId: result.revisionId,
    })
  })

  it('appends a revision only when the serialized document changed', async () => {
    const { library } = setup()
    const first = saved(await library.save(sample()))
    // Same content, different key order and object identity: still unchanged.
    const shuffled = JSON.parse(JSON.stringify(sample())) as GraphDocument
    const again = await library.save(shuffled, { graphId: first.graphId })
    expect(again).toEqual({
      status: 'unchanged',
      graphId: first.graphId,
      revisionId: first.revisionId,
    })
    const second = saved(await library.save(sample('Sample', 3), { graphId: first.graphId }))
    expect(second.isNew).toBe(false)
    expect(second.revisionId).toBeGreaterThan(first.revisionId)

    const history = await library.revisions(first.graphId)
    expect(history.map((revision) => revision.id)).toEqual([second.revisionId, first.revisionId])
    expect(history.map((revision) => revision.note)).toEqual(['Saved', 'Created'])
  })

  it('refuses to save into a graph that no longer exists', async () => {
    const { library } = setup()
    const error = await rejection(library.save(sample(), { graphId: 'nope' }))
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toMatch(/no longer in the library/)
  })

  it('opens a stored graph with unknown node types as placeholders', async () => {
    const { library } = setup()
    const document = sample()
    document.nodes.push({
      id: 'future',
      type: 'model.fromTheFuture',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    })
    const { graphId } = saved(await library.save(document))
    const back = await library.open(graphId)
    expect(back.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['UNKNOWN_NODE_TYPE'])
    expect(back.document.nodes.map((node) => node.id)).toContain('future')
  })

  it('gives a CORRUPT error with the loader diagnostics when the stored graph is unreadable', async () => {
    const { db, library } = setup()
    const { graphId } = saved(await library.save(sample('Damaged')))
    const row = await db.graphs.get(graphId)
    if (row === undefined) throw new Error('missing row')
    await db.graphs.put({ ...row, documentJson: '{"format":"latent-lab.graph","schemaVersion":9' })
    const error = await rejection(library.open(graphId))
    expect(error.code).toBe('CORRUPT')
    expect(error.message).toMatch(
      /“Damaged” is stored in this browser but could not be read: This is not valid JSON/,
    )
    expect(error.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['INVALID_JSON'])

    await db.graphs.put({
      ...row,
      documentJson: serializeDocument({
        ...sample(),
        schemaVersion: 9,
      } as unknown as GraphDocument),
    })
    const newer = await rejection(library.open(graphId))
    expect(newer.code).toBe('CORRUPT')
    expect(newer.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['NEWER_SCHEMA_VERSION'])
  })
})

describe('list', () => {
  it('searches names without case and sorts by update or by name', async () => {
    const { library, advance } = setup()
    for (const name of ['beta GAN', 'Alpha VAE', 'gamma gan 10', 'gamma GAN 9']) {
      await library.save(sample(name))
      advance(DAY)
    }
    const names = async (options: Parameters<GraphLibrary['list']>[0]) =>
      (await library.list(options)).map((graph) => graph.name)
    expect(await names({})).toEqual(['gamma GAN 9', 'gamma gan 10', 'Alpha VAE', 'beta GAN'])
    expect(await names({ sort: 'name' })).toEqual([
      'Alpha VAE',
      'beta GAN',
      'gamma GAN 9',
      'gamma gan 10',
    ])
    expect(await names({ search: ' gan ', sort: 'name' })).toEqual([
      'beta GAN',
      'gamma GAN 9',
      'gamma gan 10',
    ])
    expect(await names({ search: 'nothing' })).toEqual([])
  })

  it('leaves out deleted graphs', async () => {
    const { library } = setup()
    const { graphId } = saved(await library.save(sample('Gone')))
    await library.save(sample('Kept'))
    await library.delete(graphId)
    expect((await library.list()).map((graph) => graph.name)).toEqual(['Kept'])
  })
})

describe('rename and duplicate', () => {
  it('renames as a new revision, in the list and in the document', async () => {
    const { library } = setup()
    const { graphId, revisionId } = saved(await library.save(sample('Old')))
    const renamed = saved(await library.rename(graphId, 'New'))
    expect(renamed.revisionId).toBeGreaterThan(revisionId)
    expect((await library.open(graphId)).document.name).toBe('New')
    expect((await library.list()).map((graph) => graph.name)).toEqual(['New'])
    expect((await library.revisions(graphId))[0]?.note).toBe('Renamed to “New”')
  })

  it('duplicates the latest document into a new graph with its own history', async () => {
    const { library } = setup()
    const original = saved(await library.save(sample('Model')))
    await library.save(sample('Model', 5), { graphId: original.graphId })
    const copy = saved(await library.duplicate(original.graphId))
    expect(copy.isNew).toBe(true)
    expect(copy.graphId).not.toBe(original.graphId)
    const opened = await library.open(copy.graphId)
    expect(opened.document.name).toBe('Model (copy)')
    expect(serializeDocument({ ...opened.document, name: 'Model' })).toBe(
      serializeDocument(sample('Model', 5)),
    )
    expect(await library.revisions(copy.graphId)).toHaveLength(1)
    expect(await library.revisions(original.graphId)).toHaveLength(2)
  })
})

describe('delete, undo and purge', () => {
  it('soft-deletes, undoes with the token, and purges the graph with its history', async () => {
    const { db, library } = setup()
    const { graphId } = saved(await library.save(sample()))
    const token = await library.delete(graphId)
    expect((await rejection(library.open(graphId))).code).toBe('NOT_FOUND')

    await library.undoDelete(token)
    expect((await library.open(graphId)).graph.id).toBe(graphId)
    // Undoing twice (say from another tab) changes nothing.
    await library.undoDelete(token)
    expect(await library.list()).toHaveLength(1)

    await library.purge(graphId)
    expect(await db.graphs.count()).toBe(0)
    expect(await db.graphRevisions.count()).toBe(0)
    expect((await rejection(library.undoDelete(token))).code).toBe('NOT_FOUND')
  })

  it('purges only graphs deleted before the given time', async () => {
    const { library, advance } = setup()
    const old = saved(await library.save(sample('Old')))
    const recent = saved(await library.save(sample('Recent')))
    await library.delete(old.graphId)
    advance(7 * DAY)
    const cutoff = Date.UTC(2025, 0, 1) + 7 * DAY
    const token = await library.delete(recent.graphId)
    expect(await library.purgeDeleted(cutoff)).toBe(1)
    await library.undoDelete(token)
    expect((await library.list()).map((graph) => graph.name)).toEqual(['Recent'])
  })
})

describe('revisions', () => {
  it('restores an old revision by appending a copy, keeping the whole history', async () => {
    const { library } = setup()
    const first = saved(await library.save(sample('Graph', 1)))
    const second = saved(await library.save(sample('Graph', 2), { graphId: first.graphId }))
    const restored = saved(await library.restoreRevision(first.graphId, first.revisionId))

    expect(restored.revisionId).toBeGreaterThan(second.revisionId)
    expect(serializeDocument((await library.open(first.graphId)).document)).toBe(
      serializeDocument(sample('Graph', 1)),
    )
    const history = await library.revisions(first.graphId)
    expect(history.map((revision) => revision.id)).toEqual([
      restored.revisionId,
      second.revisionId,
      first.revisionId,
    ])
    expect(history[0]?.note).toMatch(/^Restored the version of 2025-01-01T/)
    const old = await library.openRevision(first.graphId, second.revisionId)
    expect(serializeDocument(old.document)).toBe(serializeDocument(sample('Graph', 2)))
    // Restoring what is already the latest writes nothing.
    expect((await library.restoreRevision(first.graphId, restored.revisionId)).status).toBe(
      'unchanged',
    )
  })

  it('does not restore a revision of another graph', async () => {
    const { library } = setup()
    const a = saved(await library.save(sample('A')))
    const b = saved(await library.save(sample('B')))
    expect((await rejection(library.restoreRevision(a.graphId, b.revisionId))).code).toBe(
      'NOT_FOUND',
    )
  })

  it('thins old revisions after each save: recent ones, one per day, and the first', async () => {
    const { db, library, advance } = setup(1, { revisionPolicy: { keepRecent: 3, keepDaily: 2 } })
    const first = saved(await library.save(sample('G', 0)))
    // Four days with two saves each, then three more saves.
    for (let day = 1; day <= 4; day++) {
      advance(DAY)
      await library.save(sample('G', day * 10), { graphId: first.graphId })
      await library.save(sample('G', day * 10 + 1), { graphId: first.graphId })
    }
    const factors = async () =>
      (await db.graphRevisions.where('graphId').equals(first.graphId).sortBy('id')).map(
        (revision) =>
          (JSON.parse(revision.documentJson) as GraphDocument).nodes[1]?.params.factor as number,
      )
    // 9 saves; the newest 3 are 41, 40, 31; of the older ones stay the last of the two newest
    // days, day 3 (30) and day 2 (21), and the very first (0).
    expect(await factors()).toEqual([0, 21, 30, 31, 40, 41])
  })
})

describe('revisionsToThin', () => {
  const at = (id: number, day: number, hour = 0) => ({
    id,
    createdAt: day * DAY + hour * 3_600_000,
  })

  it('keeps everything up to the recent count', () => {
    expect(
      revisionsToThin([at(1, 0), at(2, 0), at(3, 0)], { keepRecent: 3, keepDaily: 0 }),
    ).toEqual([])
  })

  it('keeps the last of each older day, newest days first, and always the first', () => {
    const revisions = [
      at(1, 0, 1),
      at(2, 0, 2),
      at(3, 1, 1),
      at(4, 1, 5),
      at(5, 2, 1),
      at(6, 3, 1),
      at(7, 3, 2),
    ]
    expect(revisionsToThin(revisions, { keepRecent: 2, keepDaily: 2 }).sort()).toEqual([2, 3])
    expect(revisionsToThin(revisions, { keepRecent: 2, keepDaily: 0 }).sort()).toEqual([2, 3, 4, 5])
  })

  it('orders by time, then id, whatever the input order', () => {
    const revisions = [at(3, 0), at(1, 0), at(2, 0)]
    expect(revisionsToThin(revisions, { keepRecent: 1, keepDaily: 0 })).toEqual([2])
  })
})

describe('two tabs', () => {
  it('refuses a save based on a stale revision with a conflict, and keeps the other tab’s work', async () => {
    const { libraries } = setup(2)
    const [tabA, tabB] = libraries as [GraphLibrary, GraphLibrary]
    const created = saved(await tabA.save(sample('Shared', 1)))
    const base = (await tabB.open(created.graphId)).graph.latestRevisionId

    saved(await tabA.save(sample('Shared', 2), { graphId: created.graphId, baseRevisionId: base }))
    const result = await tabB.save(sample('Shared', 3), {
      graphId: created.graphId,
      baseRevisionId: base,
    })
    if (result.status !== 'conflict') throw new Error(`expected a conflict, got ${result.status}`)
    expect(result.reason).toBe('changed')
    expect(result.error.code).toBe('CONFLICT')
    expect(result.error.message).toMatch(
      /“Shared” was changed in another tab.*save yours as a copy/,
    )

    expect(serializeDocument((await tabB.open(created.graphId)).document)).toBe(
      serializeDocument(sample('Shared', 2)),
    )
    // Tab B keeps its edits by saving a copy.
    const copy = saved(await tabB.save(sample('Shared', 3)))
    expect(copy.graphId).not.toBe(created.graphId)
  })

  it('reports a save into a graph deleted meanwhile as a conflict', async () => {
    const { libraries } = setup(2)
    const [tabA, tabB] = libraries as [GraphLibrary, GraphLibrary]
    const created = saved(await tabA.save(sample('Shared', 1)))
    await tabA.delete(created.graphId)
    const result = await tabB.save(sample('Shared', 2), {
      graphId: created.graphId,
      baseRevisionId: created.revisionId,
    })
    expect(result).toMatchObject({ status: 'conflict', reason: 'deleted' })
  })

  it('announces committed changes to its own listeners and to other tabs', async () => {
    const { libraries } = setup(2)
    const [tabA, tabB] = libraries as [GraphLibrary, GraphLibrary]
    const seenByA: LibraryChange[] = []
    const seenByB: LibraryChange[] = []
    tabA.subscribe((change) => seenByA.push(change))
    const unsubscribe = tabB.subscribe((change) => seenByB.push(change))

    const created = saved(await tabA.save(sample()))
    await tabA.save(sample(), { graphId: created.graphId }) // unchanged: no announcement
    const token = await tabA.delete(created.graphId)
    await tabA.undoDelete(token)
    const expected: LibraryChange[] = [
      {
        type: 'graph-saved',
        graphId: created.graphId,
        revisionId: created.revisionId,
        tabId: 'tab0',
      },
      { type: 'graph-deleted', graphId: created.graphId, tabId: 'tab0' },
      { type: 'graph-undeleted', graphId: created.graphId, tabId: 'tab0' },
    ]
    expect(seenByA).toEqual(expected)
    expect(seenByB).toEqual(expected)

    unsubscribe()
    await tabA.purge(created.graphId)
    expect(seenByB).toHaveLength(3)
    expect(seenByA.at(-1)).toEqual({
      type: 'graph-purged',
      graphId: created.graphId,
      tabId: 'tab0',
    })
  })

  it('keeps a committed save when a listener or the channel fails', async () => {
    const { library } = setup(1, {
      createChannel: () => ({
        post: () => {
          throw new DOMException('Channel is closed', 'InvalidStateError')
        },
        listen: () => undefined,
        close: () => undefined,
      }),
    })
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    library.subscribe(() => {
      throw new Error('listener bug')
    })
    const result = saved(await library.save(sample()))
    expect((await library.open(result.graphId)).graph.latestRevisionId).toBe(result.revisionId)
    expect(log).toHaveBeenCalledTimes(2)
  })

  it('ignores malformed messages and its own echoes', () => {
    let deliver: (data: unknown) => void = () => undefined
    const { library } = setup(1, {
      tabId: 'me',
      createChannel: () => ({
        post: () => undefined,
        listen: (onMessage) => {
          deliver = onMessage
        },
        close: () => undefined,
      }),
    })
    const seen: LibraryChange[] = []
    library.subscribe((change) => seen.push(change))
    deliver({ type: 'graph-saved', graphId: 'g' })
    deliver('hello')
    deliver(null)
    deliver({ type: 'graph-saved', graphId: 'g', revisionId: 1, tabId: 'me' })
    deliver({ type: 'graph-exploded', graphId: 'g', tabId: 'other' })
    deliver({ type: 'graph-saved', graphId: 'g', revisionId: 4, tabId: 'other' })
    expect(seen).toEqual([{ type: 'graph-saved', graphId: 'g', revisionId: 4, tabId: 'other' }])
  })

  it('validates change messages', () => {
    expect(isLibraryChange({ type: 'graph-purged', graphId: 'g', tabId: 't' })).toBe(true)
    expect(
      isLibraryChange({ type: 'graph-saved', graphId: 'g', tabId: 't', revisionId: '1' }),
    ).toBe(false)
  })
})

describe('failures', () => {
  it('maps a full disk to QUOTA_EXCEEDED and leaves neither graph nor revision behind', async () => {
    const { db, library } = setup()
    const created = saved(await library.save(sample('Kept', 1)))
    vi.spyOn(db.graphs, 'put').mockImplementation(() => {
      throw quotaError()
    })

    const update = await rejection(library.save(sample('Kept', 2), { graphId: created.graphId }))
    expect(update.code).toBe('QUOTA_EXCEEDED')
    expect(update.message).toBe(
      "Your browser's storage is full: saving “Kept” failed; nothing was changed. Export the graph as JSON to keep it. Deleting old runs or graphs frees space.",
    )
    const fresh = await rejection(library.save(sample('New')))
    expect(fresh.code).toBe('QUOTA_EXCEEDED')

    vi.restoreAllMocks()
    // The revision added before the failing put was rolled back with it.
    expect(await db.graphRevisions.count()).toBe(1)
    expect(await db.graphs.count()).toBe(1)
    expect(serializeDocument((await library.open(created.graphId)).document)).toBe(
      serializeDocument(sample('Kept', 1)),
    )
  })

  it('maps a quota failure of the revision write too', async () => {
    const { db, library } = setup()
    vi.spyOn(db.graphRevisions, 'add').mockImplementation(() => Dexie.Promise.reject(quotaError()))
    expect((await rejection(library.save(sample()))).code).toBe('QUOTA_EXCEEDED')
    vi.restoreAllMocks()
    expect(await db.graphs.count()).toBe(0)
  })

  it('reports a browser without IndexedDB as UNAVAILABLE', async () => {
    expect(globalThis.indexedDB).toBeUndefined()
    const db = createLabDatabase('latent-lab')
    const library = createGraphLibrary({
      db,
      registry: testRegistry,
      createChannel: () => undefined,
    })
    const error = await rejection(library.save(sample('Draft')))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toMatch(
      /^This browser gives Latent Lab no storage \(IndexedDB is missing.*saving “Draft” is not possible\. Export the graph as JSON to keep it\.$/,
    )
    expect((await rejection(library.list())).code).toBe('UNAVAILABLE')
    library.close()
  })

  it('reports storage that refuses to open as UNAVAILABLE', async () => {
    const refusing = {
      open: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      },
    }
    const db = createLabDatabase('latent-lab', { indexedDB: refusing, IDBKeyRange })
    const library = createGraphLibrary({
      db,
      registry: testRegistry,
      createChannel: () => undefined,
    })
    const error = await rejection(library.list())
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toMatch(
      /could not be opened \(The operation is insecure\): reading the library failed/,
    )
    library.close()
  })

  it('reports a database closed under it (a newer version in another tab) as UNAVAILABLE', async () => {
    const { db, library } = setup()
    await library.save(sample())
    db.close({ disableAutoOpen: true })
    const error = await rejection(library.list())
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toMatch(/newer Latent Lab opened it in another tab.*reload this page/)
  })
})
