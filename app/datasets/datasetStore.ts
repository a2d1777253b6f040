/**
 * The imported datasets in the browser's database (the `datasets` table of
 * app/storage/labDatabase.ts): list, read, add, rename, delete. A dataset is one record whose
 * pixels are one Blob, so listing never reads pixels (IndexedDB keeps Blobs out of line) and a
 * preview reads a few images by slicing the Blob. Every write is one Dexie transaction: a
 * failed add leaves nothing behind.
 *
 * Stored images are grouped by label in the order of `labels` (nodes/data/imageFolder/stored.ts),
 * which is how the worker gives each image its label.
 */
import { formatDatasetRef } from '../../graph-core/datasetRef'
import type { DatasetRecord, LabDatabase } from '../storage/labDatabase'
import { toStorageError } from '../storage/storageError'
import { formatBytes } from './limits'

/** What the Datasets panel and the inspector show of a dataset: everything but the pixels. */
export type DatasetSummary = Omit<DatasetRecord, 'pixels'> & {
  /** Images in all labels. */
  count: number
  /** Bytes of the packed pixels. */
  bytes: number
  /** The `datasetRef` param value that picks this dataset (graph-core/datasetRef.ts). */
  ref: string
}

/** Names are trimmed and at most this long. */
export const DATASET_NAME_MAX = 80

/** Why a dataset name cannot be used, or undefined. */
export function datasetNameProblem(name: string): string | undefined {
  const trimmed = name.trim()
  if (trimmed === '') return 'A dataset needs a name'
  if (trimmed.length > DATASET_NAME_MAX)
    return `A dataset name has at most ${DATASET_NAME_MAX} characters`
  return undefined
}

/** A fresh dataset id: short, URL- and reference-safe, random. */
export function newDatasetId(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let id = 'ds-'
  for (let index = 0; index < 10; index++)
    id += alphabet.charAt(Math.floor(random() * alphabet.length))
  return id
}

const sizeOf = (pixels: Blob | ArrayBuffer) =>
  pixels instanceof Blob ? pixels.size : pixels.byteLength

/** The summary of a record. */
export function summarize(record: DatasetRecord): DatasetSummary {
  const { pixels, ...rest } = record
  return {
    ...rest,
    count: record.countsPerLabel.reduce((sum, count) => sum + count, 0),
    bytes: sizeOf(pixels),
    ref: formatDatasetRef({
      id: record.id,
      width: record.width,
      height: record.height,
      channels: record.channels === 3 ? 3 : 1,
      labels: record.labels.length,
    }),
  }
}

/** A failure of the dataset store, worded for people; nothing was changed. */
export class DatasetStoreError extends Error {
  override name = 'DatasetStoreError'
}

function storeError(cause: unknown, action: string): DatasetStoreError {
  const error = toStorageError(cause, action)
  if (error.code === 'QUOTA_EXCEEDED') {
    return new DatasetStoreError(
      `The browser's storage is full: ${action} failed and nothing was written. Delete datasets you no longer need, or import at a smaller size or in grayscale.`,
    )
  }
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new DatasetStoreError(
    `The browser's storage failed while ${action} (${detail}); nothing was written.`,
  )
}

export interface DatasetStore {
  /** Every dataset, newest first, without pixels. */
  list(): Promise<DatasetSummary[]>
  /** One dataset with its pixels, or undefined when it is not there. */
  get(id: string): Promise<DatasetRecord | undefined>
  /** Writes a new dataset in one transaction; rejects with a DatasetStoreError. */
  add(record: DatasetRecord): Promise<void>
  rename(id: string, name: string): Promise<void>
  delete(id: string): Promise<void>
}

export function createDatasetStore(db: LabDatabase): DatasetStore {
  return {
    async list() {
      try {
        const records = await db.datasets.orderBy('createdAt').reverse().toArray()
        return records.map(summarize)
      } catch (cause) {
        throw storeError(cause, 'listing the datasets')
      }
    },
    async get(id) {
      try {
        return await db.datasets.get(id)
      } catch (cause) {
        throw storeError(cause, 'reading a dataset')
      }
    },
    async add(record) {
      const action = `saving the dataset “${record.name}” (${formatBytes(sizeOf(record.pixels))})`
      try {
        await db.transaction('rw', db.datasets, async () => {
          await db.datasets.add(record)
        })
      } catch (cause) {
        throw storeError(cause, action)
      }
    },
    async rename(id, name) {
      const problem = datasetNameProblem(name)
      if (problem !== undefined) throw new DatasetStoreError(problem)
      let isThere: boolean
      try {
        isThere = await db.transaction('rw', db.datasets, async () => {
          if ((await db.datasets.where('id').equals(id).count()) === 0) return false
          await db.datasets.update(id, { name: name.trim() })
          return true
        })
      } catch (cause) {
        throw storeError(cause, 'renaming a dataset')
      }
      if (!isThere) throw new DatasetStoreError('That dataset is no longer here')
    },
    async delete(id) {
      try {
        await db.datasets.delete(id)
      } catch (cause) {
        throw storeError(cause, 'deleting a dataset')
      }
    },
  }
}
