/**
 * The graph library (DESIGN §8): graphs saved in the browser with an append-only revision
 * history, soft delete with undo, and a change feed so two tabs on the same graph notice each
 * other instead of silently overwriting.
 *
 * Every method is async and either resolves or rejects with a StorageError (stable code, a
 * sentence to show). A save whose base revision is stale is not an error: it resolves to a
 * `conflict` result, which the UI shows as a notice.
 */
import { Dexie } from 'dexie'
import type { Diagnostic } from '../../graph-core/diagnostics'
import { serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument } from '../../graph-core/loader'
import type { NodeRegistry } from '../../graph-core/registry'
import type { GraphRecord, GraphRevisionRecord, LabDatabase } from './labDatabase'
import { GRAPH_TEXT_LIMIT } from './limits'
import { StorageError, toStorageError } from './storageError'

/** The BroadcastChannel name every tab of Latent Lab listens on. */
export const CHANGE_CHANNEL_NAME = 'latent-lab'

/** What one tab tells the others (and its own listeners) after a write has committed. */
export type LibraryChange =
  | { type: 'graph-saved'; graphId: string; revisionId: number; tabId: string }
  | { type: 'graph-deleted'; graphId: string; tabId: string }
  | { type: 'graph-undeleted'; graphId: string; tabId: string }
  | { type: 'graph-purged'; graphId: string; tabId: string }

/** The part of BroadcastChannel the library needs; tests pass an in-memory one. */
export interface ChangeChannel {
  post(change: LibraryChange): void
  listen(onMessage: (data: unknown) => void): void
  close(): void
}

/** A ChangeChannel over the browser's BroadcastChannel, or undefined where there is none. */
export function broadcastChangeChannel(
  name: string = CHANGE_CHANNEL_NAME,
): ChangeChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined
  const channel = new BroadcastChannel(name)
  return {
    post: (change) => {
      channel.postMessage(change)
    },
    listen: (onMessage) => {
      channel.addEventListener('message', (event) => {
        onMessage(event.data)
      })
    },
    close: () => {
      channel.close()
    },
  }
}

/**
 * How many revisions a graph keeps. After each save: the newest `keepRecent` stay; of the older
 * ones, the last revision of each (UTC) day stays for the newest `keepDaily` days; the very first
 * revision always stays, so a graph can go back to how it was created or imported. At most
 * `keepRecent + keepDaily + 1` revisions per graph.
 */
export interface RevisionPolicy {
  keepRecent: number
  keepDaily: number
}

/** 50 recent + 50 daily + the first: about a month and a half of daily work, ≤ 101 rows. */
export const DEFAULT_REVISION_POLICY: RevisionPolicy = { keepRecent: 50, keepDaily: 50 }

const DAY_MS = 86_400_000

/**
 * The revision ids the policy drops. Pure. `revisions` may come in any order; ties in
 * `createdAt` are broken by id (ids grow with time).
 */
export function revisionsToThin(
  revisions: readonly { id: number; createdAt: number }[],
  policy: RevisionPolicy = DEFAULT_REVISION_POLICY,
): number[] {
  const ordered = [...revisions].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
  const older = ordered.slice(0, Math.max(0, ordered.length - policy.keepRecent))
  if (older.length === 0) return []
  const lastOfDay = new Map<number, number>()
  for (const revision of older) lastOfDay.set(Math.floor(revision.createdAt / DAY_MS), revision.id)
  const keptDays = [...lastOfDay.keys()].sort((a, b) => b - a).slice(0, policy.keepDaily)
  const kept = new Set(keptDays.map((day) => lastOfDay.get(day)))
  const first = ordered[0]
  if (first !== undefined) kept.add(first.id)
  return older.filter((revision) => !kept.has(revision.id)).map((revision) => revision.id)
}

/** A graph as the Library list shows it. */
export interface GraphSummary {
  id: string
  name: string
  createdAt: number
  updatedAt: number
  /** Pass it back as `baseRevisionId` when saving edits made to this state. */
  latestRevisionId: number
  nodeCount: number
}

/** A revision as the history list shows it (without the document). */
export interface RevisionSummary {
  id: number
  graphId: string
  createdAt: number
  name: string
  note: string
}

/** A stored graph read back through the loader. */
export interface OpenedGraph {
  graph: GraphSummary
  document: GraphDocument
  /** The loader's warnings, e.g. unknown node types kept as placeholders. */
  diagnostics: Diagnostic[]
}

/** One old revision read back through the loader, for a preview before restoring. */
export interface OpenedRevision {
  revision: RevisionSummary
  document: GraphDocument
  diagnostics: Diagnostic[]
}

/** Options of `save`. */
export interface SaveOptions {
  /** The graph to update; a new graph is created when absent. */
  graphId?: string
  /**
   * The revision the edits started from (`GraphSummary.latestRevisionId`). When given and no
   * longer the latest, the save is refused with a conflict instead of overwriting another
   * tab's work. Without it the save always wins.
   */
  baseRevisionId?: number
  /** Shown in the history list. */
  note?: string
}

/** How a save ended. Failures (quota, unavailable storage, a purged graph) reject instead. */
export type SaveResult =
  | { status: 'saved'; graphId: string; revisionId: number; isNew: boolean }
  /** The document equals the latest revision: nothing was written. */
  | { status: 'unchanged'; graphId: string; revisionId: number }
  | {
      status: 'conflict'
      graphId: string
      /** `changed`: another save came first; `deleted`: the graph was deleted meanwhile. */
      reason: 'changed' | 'deleted'
      latestRevisionId: number
      /** Code `CONFLICT`, with a sentence for the notice. */
      error: StorageError
    }

/** Options of `list`. */
export interface ListOptions {
  /** Case-insensitive part of the name. */
  search?: string
  /** `updated`: most recently saved first (default); `name`: alphabetical. */
  sort?: 'updated' | 'name'
}

/** Hands back a soft-deleted graph; see `undoDelete`. */
export interface DeleteToken {
  readonly graphId: string
  readonly deletedAt: number
}

/** What `createGraphLibrary` needs. */
export interface GraphLibraryOptions {
  db: LabDatabase
  /** The node types the loader checks stored graphs against. */
  registry: NodeRegistry
  /** Identifies this tab in change messages; random by default. */
  tabId?: string
  /** Defaults to `broadcastChangeChannel`; return undefined for no cross-tab feed. */
  createChannel?: (name: string) => ChangeChannel | undefined
  revisionPolicy?: RevisionPolicy
  now?: () => number
  createId?: () => string
}

/** The library API; one per tab, shared by the Library panel, autosave and share-link import. */
export interface GraphLibrary {
  readonly tabId: string
  /**
   * Creates or updates a graph. A revision is appended only when the serialized document
   * differs from the latest one; the graph row and its revision are written in one
   * transaction, so a failure leaves neither.
   */
  save(document: GraphDocument, options?: SaveOptions): Promise<SaveResult>
  /** Graphs that are not deleted. */
  list(options?: ListOptions): Promise<GraphSummary[]>
  /** The latest document through the loader. Rejects with NOT_FOUND, or CORRUPT if unreadable. */
  open(graphId: string): Promise<OpenedGraph>
  /** Renames the graph (its document's `name`) as a new revision. */
  rename(graphId: string, name: string): Promise<SaveResult>
  /** A new graph with the latest document of this one and no history. */
  duplicate(graphId: string, options?: { name?: string }): Promise<SaveResult>
  /** Hides the graph from the list; its data stays until `purge`. */
  delete(graphId: string): Promise<DeleteToken>
  /** Brings back a soft-deleted graph. Rejects with NOT_FOUND once purged. */
  undoDelete(token: DeleteToken): Promise<void>
  /** Removes a graph and its whole history for good. Runs keep their own graph snapshot. */
  purge(graphId: string): Promise<void>
  /** Purges graphs deleted before the given time (e.g. a week ago); returns how many. */
  purgeDeleted(deletedBefore: number): Promise<number>
  /** The history of a graph, newest first. */
  revisions(graphId: string): Promise<RevisionSummary[]>
  /** One revision through the loader, for a preview. */
  openRevision(graphId: string, revisionId: number): Promise<OpenedRevision>
  /**
   * Makes an old revision the latest by appending a copy of it; history is never rewritten.
   * `baseRevisionId` works as in `save`.
   */
  restoreRevision(
    graphId: string,
    revisionId: number,
    options?: { baseRevisionId?: number },
  ): Promise<SaveResult>
  /** Calls `listener` after every committed change, from this tab or another. */
  subscribe(listener: (change: LibraryChange) => void): () => void
  /** Stops listening to other tabs. The database stays open (it is not the library's). */
  close(): void
}

/** Creates the library of one tab. */
export function createGraphLibrary(options: GraphLibraryOptions): GraphLibrary {
  const { db, registry } = options
  const now = options.now ?? Date.now
  const createId = options.createId ?? randomId
  const policy = options.revisionPolicy ?? DEFAULT_REVISION_POLICY
  const tabId = options.tabId ?? randomId()
  const listeners = new Set<(change: LibraryChange) => void>()
  const channel = (options.createChannel ?? broadcastChangeChannel)(CHANGE_CHANNEL_NAME)

  let isClosed = false

  // The write has committed by the time anyone hears of it: a failing listener or channel must
  // not turn a successful save into a rejected promise, so their errors are only logged.
  const dispatch = (change: LibraryChange) => {
    for (const listener of [...listeners]) {
      try {
        listener(change)
      } catch (cause) {
        logListenerFailure(cause)
      }
    }
  }
  const announce = (change: LibraryChange) => {
    dispatch(change)
    if (isClosed) return
    try {
      channel?.post(change)
    } catch (cause) {
      logListenerFailure(cause)
    }
  }
  channel?.listen((data) => {
    // Another tab may run another version of Latent Lab: trust only well-formed messages.
    if (isLibraryChange(data) && data.tabId !== tabId) dispatch(data)
  })

  async function guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (cause) {
      throw toStorageError(cause, action)
    }
  }

  async function liveGraph(graphId: string): Promise<GraphRecord> {
    const row = await db.graphs.get(graphId)
    if (row === undefined || row.deletedAt !== undefined) throw notFound(graphId)
    return row
  }

  /** The write path of save, rename, duplicate and restore: one transaction, or nothing. */
  async function writeRevision(
    documentJson: string,
    name: string,
    nodeCount: number,
    saveOptions: SaveOptions,
  ): Promise<SaveResult> {
    const result = await db.transaction('rw', db.graphs, db.graphRevisions, async () => {
      const time = now()
      const existing =
        saveOptions.graphId === undefined ? undefined : await db.graphs.get(saveOptions.graphId)
      if (saveOptions.graphId !== undefined && existing === undefined) {
        throw notFound(saveOptions.graphId)
      }
      if (existing?.deletedAt !== undefined) {
        return conflict(existing, 'deleted')
      }
      if (existing !== undefined && existing.documentJson === documentJson) {
        // Nothing would be overwritten, so a stale base does not matter here.
        const unchanged: SaveResult = {
          status: 'unchanged',
          graphId: existing.id,
          revisionId: existing.latestRevisionId,
        }
        return unchanged
      }
      if (
        existing !== undefined &&
        saveOptions.baseRevisionId !== undefined &&
        saveOptions.baseRevisionId !== existing.latestRevisionId
      ) {
        return conflict(existing, 'changed')
      }
      const graphId = existing?.id ?? saveOptions.graphId ?? createId()
      const revisionId = await db.graphRevisions.add({
        graphId,
        createdAt: time,
        name,
        documentJson,
        note: saveOptions.note ?? (existing === undefined ? 'Created' : 'Saved'),
      })
      await db.graphs.put({
        id: graphId,
        name,
        createdAt: existing?.createdAt ?? time,
        updatedAt: time,
        documentJson,
        latestRevisionId: revisionId,
        nodeCount,
      })
      await thinRevisions(graphId)
      const saved: SaveResult = {
        status: 'saved',
        graphId,
        revisionId,
        isNew: existing === undefined,
      }
      return saved
    })
    if (result.status === 'saved') {
      announce({
        type: 'graph-saved',
        graphId: result.graphId,
        revisionId: result.revisionId,
        tabId,
      })
    }
    return result
  }

  async function thinRevisions(graphId: string): Promise<void> {
    const count = await db.graphRevisions.where('graphId').equals(graphId).count()
    if (count <= policy.keepRecent) return
    // The compound index gives ids and times without reading the documents.
    const stamps: { id: number; createdAt: number }[] = []
    await db.graphRevisions
      .where('[graphId+createdAt]')
      .between([graphId, Dexie.minKey], [graphId, Dexie.maxKey])
      .eachKey((key, cursor) => {
        const createdAt = Array.isArray(key) ? key[1] : undefined
        if (typeof createdAt === 'number' && typeof cursor.primaryKey === 'number') {
          stamps.push({ id: cursor.primaryKey, createdAt })
        }
      })
    const drop = revisionsToThin(stamps, policy)
    if (drop.length > 0) await db.graphRevisions.bulkDelete(drop)
  }

  async function saveDocument(document: GraphDocument, options: SaveOptions = {}) {
    const documentJson = serializeDocument(document, 0)
    return writeRevision(documentJson, document.name, document.nodes.length, options)
  }

  function readStored(documentJson: string, name: string, what: string) {
    const loaded = loadDocument(documentJson, registry, { maxLength: GRAPH_TEXT_LIMIT })
    if (loaded.ok) return loaded
    const reason = loaded.diagnostics[0]?.message ?? 'it is not a valid graph.'
    throw new StorageError(
      'CORRUPT',
      `${what} of “${name}” is stored in this browser but could not be read: ${reason} Earlier revisions may still open from its history.`,
      { diagnostics: loaded.diagnostics },
    )
  }

  async function open(graphId: string): Promise<OpenedGraph> {
    const row = await guard('opening the graph', () => liveGraph(graphId))
    const loaded = readStored(row.documentJson, row.name, 'The latest version')
    return { graph: summary(row), document: loaded.document, diagnostics: loaded.diagnostics }
  }

  return {
    tabId,

    save: (document, options = {}) =>
      guard(`saving “${document.name}”`, () => saveDocument(document, options)),

    list: (options = {}) =>
      guard('reading the library', async () => {
        const search = (options.search ?? '').trim().toLocaleLowerCase()
        const rows = await db.graphs
          .filter(
            (row) =>
              row.deletedAt === undefined &&
              (search === '' || row.name.toLocaleLowerCase().includes(search)),
          )
          .toArray()
        const byUpdated = (a: GraphRecord, b: GraphRecord) => b.updatedAt - a.updatedAt
        const byName = (a: GraphRecord, b: GraphRecord) =>
          a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }) ||
          byUpdated(a, b)
        return rows.sort(options.sort === 'name' ? byName : byUpdated).map(summary)
      }),

    open,

    rename: async (graphId, name) => {
      const opened = await open(graphId)
      return guard(`renaming “${opened.graph.name}”`, () =>
        saveDocument(
          { ...opened.document, name },
          { graphId, baseRevisionId: opened.graph.latestRevisionId, note: `Renamed to “${name}”` },
        ),
      )
    },

    duplicate: async (graphId, options = {}) => {
      const opened = await open(graphId)
      const name = options.name ?? `${opened.graph.name} (copy)`
      return guard(`duplicating “${opened.graph.name}”`, () =>
        saveDocument(
          { ...opened.document, name },
          { note: `Duplicated from “${opened.graph.name}”` },
        ),
      )
    },

    delete: async (graphId) => {
      const token = await guard('deleting the graph', () =>
        db.transaction('rw', db.graphs, async () => {
          const row = await liveGraph(graphId)
          const deletedAt = now()
          await db.graphs.put({ ...row, deletedAt })
          return { graphId, deletedAt }
        }),
      )
      announce({ type: 'graph-deleted', graphId, tabId })
      return token
    },

    undoDelete: async (token) => {
      const restored = await guard('undoing the delete', () =>
        db.transaction('rw', db.graphs, async () => {
          const row = await db.graphs.get(token.graphId)
          if (row === undefined) throw notFound(token.graphId)
          // Already undone (perhaps in another tab): nothing to do, and nothing to announce.
          if (row.deletedAt === undefined) return false
          const restored: GraphRecord = { ...row }
          delete restored.deletedAt
          await db.graphs.put(restored)
          return true
        }),
      )
      if (restored) announce({ type: 'graph-undeleted', graphId: token.graphId, tabId })
    },

    purge: async (graphId) => {
      const existed = await guard('deleting the graph for good', () =>
        db.transaction('rw', db.graphs, db.graphRevisions, () => purgeRows(db, graphId)),
      )
      if (existed) announce({ type: 'graph-purged', graphId, tabId })
    },

    purgeDeleted: async (deletedBefore) => {
      const purged = await guard('emptying deleted graphs', () =>
        db.transaction('rw', db.graphs, db.graphRevisions, async () => {
          const ids = await db.graphs.where('deletedAt').below(deletedBefore).primaryKeys()
          for (const id of ids) await purgeRows(db, id)
          return ids
        }),
      )
      for (const graphId of purged) announce({ type: 'graph-purged', graphId, tabId })
      return purged.length
    },

    revisions: (graphId) =>
      guard('reading the history', async () => {
        await liveGraph(graphId)
        const rows = await db.graphRevisions.where('graphId').equals(graphId).toArray()
        return rows.map(revisionSummary).sort((a, b) => b.id - a.id)
      }),

    openRevision: async (graphId, revisionId) => {
      const row = await guard('opening the revision', () => liveRevision(graphId, revisionId))
      const loaded = readStored(row.documentJson, row.name, 'An earlier version')
      return {
        revision: revisionSummary(row),
        document: loaded.document,
        diagnostics: loaded.diagnostics,
      }
    },

    restoreRevision: (graphId, revisionId, options = {}) =>
      guard('restoring the revision', async () => {
        const row = await liveRevision(graphId, revisionId)
        const nodeCount = readStored(row.documentJson, row.name, 'An earlier version').document
          .nodes.length
        const note = `Restored the version of ${new Date(row.createdAt).toISOString()}`
        return writeRevision(row.documentJson, row.name, nodeCount, { ...options, graphId, note })
      }),

    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    close: () => {
      if (isClosed) return
      isClosed = true
      listeners.clear()
      channel?.close()
    },
  }

  async function liveRevision(graphId: string, revisionId: number): Promise<GraphRevisionRecord> {
    await liveGraph(graphId)
    const row = await db.graphRevisions.get(revisionId)
    if (row?.graphId !== graphId) {
      throw new StorageError(
        'NOT_FOUND',
        'This revision is no longer in the history (old revisions are thinned over time).',
      )
    }
    return row
  }
}

async function purgeRows(db: LabDatabase, graphId: string): Promise<boolean> {
  const existed = (await db.graphs.get(graphId)) !== undefined
  await db.graphRevisions.where('graphId').equals(graphId).delete()
  await db.graphs.delete(graphId)
  return existed
}

function conflict(existing: GraphRecord, reason: 'changed' | 'deleted'): SaveResult {
  const message =
    reason === 'deleted'
      ? `“${existing.name}” was deleted, perhaps in another tab, so your edits were not saved into it. Undo the delete from the Library, or save your version as a new graph.`
      : `“${existing.name}” was changed in another tab since you opened it, so your edits were not saved over it. Open the latest version, or save yours as a copy.`
  return {
    status: 'conflict',
    graphId: existing.id,
    reason,
    latestRevisionId: existing.latestRevisionId,
    error: new StorageError('CONFLICT', message),
  }
}

function notFound(graphId: string): StorageError {
  return new StorageError(
    'NOT_FOUND',
    `This graph is no longer in the library (id ${graphId}); it may have been deleted in another tab.`,
  )
}

function summary(row: GraphRecord): GraphSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    latestRevisionId: row.latestRevisionId,
    nodeCount: row.nodeCount,
  }
}

function revisionSummary(row: GraphRevisionRecord): RevisionSummary {
  return {
    id: row.id,
    graphId: row.graphId,
    createdAt: row.createdAt,
    name: row.name,
    note: row.note,
  }
}

/** Validates a message from another tab. */
export function isLibraryChange(value: unknown): value is LibraryChange {
  if (typeof value !== 'object' || value === null) return false
  const change = value as Record<string, unknown>
  if (typeof change.graphId !== 'string' || typeof change.tabId !== 'string') return false
  switch (change.type) {
    case 'graph-saved':
      return typeof change.revisionId === 'number'
    case 'graph-deleted':
    case 'graph-undeleted':
    case 'graph-purged':
      return true
    default:
      return false
  }
}

function logListenerFailure(cause: unknown): void {
  console.error('Latent Lab: a library change listener failed', cause)
}

function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  // randomUUID exists only in secure contexts; a page served over plain http still gets an id.
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
