/**
 * How an imported dataset sits in the browser's database, as both sides need to know it: the
 * app writes it (app/datasets/, a `DatasetRecord` of app/storage/labDatabase.ts) and the
 * training worker reads it (workers/datasetResources.ts), which may not import app/. The app's
 * tests check that these names and fields match its own.
 *
 * A stored dataset keeps its images **grouped by label**, in the order of `labels`:
 * `countsPerLabel[0]` images of label 0, then those of label 1, …; so the counts give every
 * image's label and no per-image label array is stored.
 */
import { encodeImageFolder, labelsFromCounts } from './format'

/** The IndexedDB database of Latent Lab (app/storage's `LAB_DATABASE_NAME`). */
export const LAB_DATABASE = 'latent-lab'
/** Its object store of imported datasets, keyed by `id`. */
export const DATASETS_STORE = 'datasets'

/** The fields of a stored dataset the worker reads: a structural subset of `DatasetRecord`. */
export interface StoredDataset {
  id: string
  name: string
  width: number
  height: number
  channels: number
  /** Label names; the label of an image is its index here. */
  labels: string[]
  /** Images per label, in the order of `labels` (images are stored grouped by label). */
  countsPerLabel: number[]
  /** Images one after another, `height × width × channels` bytes each, grouped by label. */
  pixels: Blob | ArrayBuffer
}

/**
 * The packed bytes (nodes/data/imageFolder/format.ts) of a stored dataset. Throws an error
 * naming the dataset when the record does not hold together.
 */
export async function packStoredDataset(record: StoredDataset): Promise<Uint8Array> {
  const pixels = new Uint8Array(
    record.pixels instanceof ArrayBuffer ? record.pixels : await record.pixels.arrayBuffer(),
  )
  if (record.countsPerLabel.length !== record.labels.length) {
    throw new Error(
      `The dataset "${record.name}" is damaged: ${record.labels.length} labels but ${record.countsPerLabel.length} counts`,
    )
  }
  if (record.channels !== 1 && record.channels !== 3)
    throw new Error(`The dataset "${record.name}" is damaged: ${record.channels} channels`)
  try {
    return encodeImageFolder({
      width: record.width,
      height: record.height,
      channels: record.channels,
      labelNames: record.labels,
      labels: labelsFromCounts(record.countsPerLabel),
      pixels,
    })
  } catch (cause) {
    throw new Error(
      `The dataset "${record.name}" is damaged: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
  }
}
