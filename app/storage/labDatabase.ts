/**
 * The browser database of Latent Lab (DESIGN §8): graphs with their revision history, runs with
 * their metrics and checkpoints, imported datasets and settings, in IndexedDB through Dexie.
 *
 * The schema is a list of versions that only grows. Version 1 is frozen: to change a table,
 * append `{ version: 2, stores: { …only the tables that change… }, upgrade }` to
 * `LAB_SCHEMA_VERSIONS` (Dexie's `db.version(2).stores(…).upgrade(…)`), never edit an old entry:
 * a browser that already holds version 1 must be able to step up from it. Test the upgrade by
 * opening a version-1 database and reopening it with the new list (see labDatabase.test.ts).
 */
import { Dexie, type DexieOptions, type EntityTable, type Table, type Transaction } from 'dexie'

/** The IndexedDB database name; one per origin. */
export const LAB_DATABASE_NAME = 'latent-lab'

/** A graph in the library: its latest document and what the list shows. */
export interface GraphRecord {
  id: string
  /** The document's own `name`, copied so the list can sort and search without parsing. */
  name: string
  createdAt: number
  updatedAt: number
  /** Set by a soft delete (undoable); the row is removed only by a purge. */
  deletedAt?: number
  /** The latest document as `serializeDocument(document, 0)`: the exact bytes, read by the loader. */
  documentJson: string
  /** The revision `documentJson` equals; a save based on an older one is a conflict. */
  latestRevisionId: number
  nodeCount: number
}

/** One saved state of a graph. History is append-only; old revisions are only thinned. */
export interface GraphRevisionRecord {
  /** Auto-incremented by IndexedDB (absent when adding), so later revisions have larger ids. */
  id: number
  graphId: string
  createdAt: number
  name: string
  documentJson: string
  /** Why this revision exists, for the history list ("Renamed", "Restored from …"). */
  note: string
}

/** What a run is doing or how it ended. Persisted: never rename a value. */
export type RunStatus = 'running' | 'paused' | 'finished' | 'stopped' | 'failed'

/** A training run: what was trained, how, and how it ended. */
export interface RunRecord {
  id: string
  graphId: string
  createdAt: number
  /** The TF.js backend the run used (`webgpu`, `wasm`, …). */
  backend: string
  /** The graph exactly as trained, so a run stays meaningful after the graph changes. */
  graphJson: string
  /** Run settings (steps, view interval, …): plain data. */
  params: Record<string, unknown>
  status: RunStatus
  finishedAt?: number
  /** The last value of each metric (`loss/opt`, `auc`, …). */
  finalMetrics?: Record<string, number>
  /** Why a failed run failed, for people. */
  message?: string
}

/** One sample of a run's metrics. */
export interface MetricPoint {
  step: number
  /** Milliseconds since the run started. */
  time: number
  values: Record<string, number>
}

/**
 * A run's metrics in chunks, so a long run appends small rows instead of rewriting one that
 * grows without bound. Keyed by `[runId, chunk]`.
 */
export interface RunMetricsChunk {
  runId: string
  chunk: number
  points: MetricPoint[]
}

/** Training state at a step. Keyed by `[runId, step]`. */
export interface CheckpointRecord {
  runId: string
  step: number
  createdAt: number
  /**
   * Variables and optimizer slots as plain data: objects, arrays, numbers, strings and typed
   * arrays (IndexedDB stores them by structured clone, so no encoding is needed).
   */
  state: Record<string, unknown>
}

/** A dataset the user imported, with its pixels packed in one binary value. */
export interface DatasetRecord {
  id: string
  name: string
  createdAt: number
  width: number
  height: number
  channels: number
  /** Class names; the label of an image is its index in this list. */
  labels: string[]
  /** Images per label, in the order of `labels`. */
  countsPerLabel: number[]
  /**
   * Images one after another, `height × width × channels` bytes each, grouped by label in the
   * order of `labels` (so `countsPerLabel` gives each image's label). app/datasets writes a Blob,
   * which IndexedDB keeps out of line: listing datasets never reads pixels.
   */
  pixels: Blob | ArrayBuffer
}

/** One user setting. */
export interface SettingRecord {
  key: string
  value: unknown
}

/** One step of the schema: Dexie's store specs for the tables it adds or changes. */
export interface LabSchemaVersion {
  version: number
  stores: Record<string, string | null>
  /** Rewrites existing rows when stepping up to this version; runs inside Dexie's upgrade. */
  upgrade?: (transaction: Transaction) => Promise<void>
}

/**
 * Every schema version, oldest first. Frozen once released: append, never edit.
 * Index syntax: first entry is the primary key (`++` auto-increments, `[a+b]` is compound).
 */
export const LAB_SCHEMA_VERSIONS: readonly LabSchemaVersion[] = [
  {
    version: 1,
    stores: {
      graphs: 'id, name, updatedAt, deletedAt',
      graphRevisions: '++id, graphId, [graphId+createdAt]',
      runs: 'id, graphId, createdAt',
      runMetrics: '[runId+chunk], runId',
      checkpoints: '[runId+step], runId',
      datasets: 'id, name, createdAt',
      settings: 'key',
    },
  },
]

/** The database with its typed tables. Create it with `createLabDatabase`. */
export type LabDatabase = Dexie & {
  graphs: EntityTable<GraphRecord, 'id'>
  graphRevisions: EntityTable<GraphRevisionRecord, 'id'>
  runs: EntityTable<RunRecord, 'id'>
  runMetrics: Table<RunMetricsChunk, [string, number]>
  checkpoints: Table<CheckpointRecord, [string, number]>
  datasets: EntityTable<DatasetRecord, 'id'>
  settings: EntityTable<SettingRecord, 'key'>
}

/** Where IndexedDB comes from: the browser's by default, fake-indexeddb's in Node tests. */
export interface LabDatabaseOptions {
  indexedDB?: DexieOptions['indexedDB']
  IDBKeyRange?: DexieOptions['IDBKeyRange']
  /** Replaces `LAB_SCHEMA_VERSIONS`; for testing upgrades. */
  versions?: readonly LabSchemaVersion[]
}

/**
 * Declares the database; nothing touches IndexedDB until the first query (Dexie opens lazily),
 * so a missing or blocked IndexedDB surfaces there as a StorageError, not here.
 */
export function createLabDatabase(
  name: string = LAB_DATABASE_NAME,
  options: LabDatabaseOptions = {},
): LabDatabase {
  const dexieOptions: DexieOptions = {}
  if (options.indexedDB !== undefined) dexieOptions.indexedDB = options.indexedDB
  if (options.IDBKeyRange !== undefined) dexieOptions.IDBKeyRange = options.IDBKeyRange
  const db = new Dexie(name, dexieOptions)
  for (const step of options.versions ?? LAB_SCHEMA_VERSIONS) {
    const version = db.version(step.version).stores(step.stores)
    if (step.upgrade !== undefined) version.upgrade(step.upgrade)
  }
  // Dexie adds one property per declared table; the type above names them.
  return db as LabDatabase
}
