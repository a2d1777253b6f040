/**
 * Imported datasets as worker resources: `dataset:<id>` is read from the app's IndexedDB
 * database (nodes/data/imageFolder/stored.ts says where and how) and packed into the bytes
 * `data.imageFolder` reads. Raw IndexedDB, read-only: the worker declares no schema, never
 * creates or upgrades the database, and closes its connection after each read so it never holds
 * up an upgrade by the app. Not cached: a dataset can be tens of megabytes and is read once per
 * compile. The IndexedDB factory is injected so this is tested on Node with fake-indexeddb.
 */
import type { ResourceMap } from '../graph-core/resources'
import { DATASET_RESOURCE_PREFIX } from '../nodes/data/imageFolder/format'
import {
  DATASETS_STORE,
  LAB_DATABASE,
  packStoredDataset,
  type StoredDataset,
} from '../nodes/data/imageFolder/stored'

/** Whether a resource id names an imported dataset (`dataset:<id>`). */
export const isDatasetResource = (id: string): boolean => id.startsWith(DATASET_RESOURCE_PREFIX)

export interface DatasetResourceOptions {
  /** The browser's (or worker's) `indexedDB` by default. */
  indexedDB?: IDBFactory
  /** `latent-lab` by default. */
  databaseName?: string
}

const NOT_IMPORTED = (id: string) =>
  `The imported dataset "${id}" is not in this browser: it was deleted, or the graph came from another browser. Import the images in the Datasets panel and pick them in the node again.`

/** Opens the existing database; rejects, creating nothing, when there is none. */
function openExisting(factory: IDBFactory, name: string, datasetId: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name)
    let isMissing = false
    request.onupgradeneeded = () => {
      // Opening without a version creates a database that does not exist: undo that.
      isMissing = true
      request.transaction?.abort()
    }
    request.onsuccess = () => {
      const db = request.result
      db.onversionchange = () => {
        db.close()
      }
      resolve(db)
    }
    request.onerror = () => {
      reject(
        new Error(
          isMissing
            ? NOT_IMPORTED(datasetId)
            : `Could not open the browser's database: ${request.error?.message ?? 'unknown error'}`,
        ),
      )
    }
  })
}

function readRecord(db: IDBDatabase, id: string): Promise<StoredDataset | undefined> {
  return new Promise((resolve, reject) => {
    if (!db.objectStoreNames.contains(DATASETS_STORE)) {
      resolve(undefined)
      return
    }
    const request = db.transaction(DATASETS_STORE, 'readonly').objectStore(DATASETS_STORE).get(id)
    request.onsuccess = () => {
      resolve(request.result as StoredDataset | undefined)
    }
    request.onerror = () => {
      reject(new Error(`Could not read the dataset "${id}": ${request.error?.message ?? ''}`))
    }
  })
}

/** The packed bytes of one imported dataset, by its dataset id (without the prefix). */
export async function loadDataset(
  datasetId: string,
  options: DatasetResourceOptions = {},
): Promise<Uint8Array> {
  const factory = options.indexedDB ?? globalThis.indexedDB
  if (typeof factory === 'undefined')
    throw new Error(`Cannot load the dataset "${datasetId}": this browser has no IndexedDB`)
  const db = await openExisting(factory, options.databaseName ?? LAB_DATABASE, datasetId)
  let record: StoredDataset | undefined
  try {
    record = await readRecord(db, datasetId)
  } finally {
    db.close()
  }
  if (record === undefined) throw new Error(NOT_IMPORTED(datasetId))
  return packStoredDataset(record)
}

/** Loads every `dataset:<id>` resource in `ids` (others are ignored), keyed by resource id. */
export async function loadDatasetResources(
  ids: readonly string[],
  options: DatasetResourceOptions = {},
): Promise<ResourceMap> {
  const entries = await Promise.all(
    ids
      .filter(isDatasetResource)
      .map(
        async (id) =>
          [id, await loadDataset(id.slice(DATASET_RESOURCE_PREFIX.length), options)] as const,
      ),
  )
  return new Map(entries)
}
