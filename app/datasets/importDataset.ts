/**
 * Importing a folder of images or a zip as one dataset (issue #4): plan from names and sizes
 * (importPlan.ts), refuse over the limits before reading anything (limits.ts), decode every
 * image (skipping and reporting the unreadable ones), pack the pixels grouped by label and
 * write one record in one transaction (datasetStore.ts). Nothing is written until every image
 * is decoded, and the write is atomic, so a failure or a cancel at any point leaves nothing
 * behind. The decoder and the store are injected, so all of it is tested on Node.
 */
import type { DatasetRecord } from '../storage/labDatabase'
import {
  datasetNameProblem,
  DATASET_NAME_MAX,
  newDatasetId,
  summarize,
  type DatasetStore,
  type DatasetSummary,
} from './datasetStore'
import type { ImageDecoder } from './decodeImage'
import { planImport, type SkippedFile } from './importPlan'
import { datasetLimitProblem, type ImageSize } from './limits'
import type { ImportSource } from './zipSource'

export interface ImportSettings {
  /** The dataset's name; trimmed, cut to the name limit. */
  name: string
  size: ImageSize
  channels: 1 | 3
  /** How the sources name their files (importPlan.ts). */
  root: 'picked' | 'zip'
}

export interface ImportProgress {
  /** Images decoded so far (readable or not). */
  done: number
  total: number
}

export interface ImportDependencies {
  store: DatasetStore
  decode: ImageDecoder
  onProgress?: (progress: ImportProgress) => void
  /** Aborting stops before the write; nothing is written. */
  signal?: AbortSignal
  /** For tests: ids and clocks. */
  newId?: () => string
  now?: () => number
}

export type ImportResult =
  | { ok: true; dataset: DatasetSummary; skipped: SkippedFile[] }
  | { ok: false; message: string; skipped: SkippedFile[] }

/** Images decoded at once: createImageBitmap works off the main thread, so a few overlap. */
const CONCURRENCY = 4

/** Sorted, unique, readable paths of skipped files for the report. */
const bySkippedPath = (a: SkippedFile, b: SkippedFile) => a.path.localeCompare(b.path)

/** Imports `sources` as a new dataset; resolves to what was imported and skipped, or why not. */
export async function importDataset(
  sources: readonly ImportSource[],
  settings: ImportSettings,
  dependencies: ImportDependencies,
): Promise<ImportResult> {
  const { store, decode, onProgress, signal } = dependencies
  const name = settings.name.trim().slice(0, DATASET_NAME_MAX)
  const nameProblem = datasetNameProblem(name)
  if (nameProblem !== undefined) return { ok: false, message: `${nameProblem}.`, skipped: [] }

  const plan = planImport(sources, settings.root)
  const skipped = [...plan.skipped]
  if (plan.images.length === 0) {
    return {
      ok: false,
      message:
        sources.length === 0
          ? 'The folder is empty: nothing was imported.'
          : 'No PNG, JPEG, GIF, BMP, WebP or AVIF images were found: nothing was imported.',
      skipped: skipped.sort(bySkippedPath),
    }
  }
  const limit = datasetLimitProblem(plan.images.length, settings.size, settings.channels)
  if (limit !== undefined)
    return { ok: false, message: limit, skipped: skipped.sort(bySkippedPath) }

  // Decode in source order (a zip inflates in archive order), keep results by plan position.
  const decoded: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(plan.images.length)
  const order = plan.images
    .map((_, at) => at)
    .sort((a, b) => (plan.images[a]?.entry ?? 0) - (plan.images[b]?.entry ?? 0))
  let next = 0
  let done = 0
  const imageBytes = settings.size * settings.size * settings.channels
  const worker = async () => {
    while (next < order.length) {
      if (signal?.aborted === true) return
      const at = order[next++] ?? 0
      const image = plan.images[at]
      const source = image === undefined ? undefined : sources[image.entry]
      if (image === undefined || source === undefined) continue
      try {
        const pixels = await decode(await source.read())
        if (pixels.length !== imageBytes) throw new Error('decoded to the wrong size')
        decoded[at] = pixels
      } catch (cause) {
        skipped.push({
          path: image.path,
          reason: cause instanceof Error ? cause.message : 'not a readable image',
        })
      }
      done++
      onProgress?.({ done, total: order.length })
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  skipped.sort(bySkippedPath)
  if (signal?.aborted === true)
    return { ok: false, message: 'Import cancelled: nothing was imported.', skipped }

  const record = packRecord(plan.labels, plan.images, decoded, settings, {
    id: (dependencies.newId ?? newDatasetId)(),
    name,
    createdAt: (dependencies.now ?? Date.now)(),
  })
  if (record === undefined) {
    return {
      ok: false,
      message: `None of the ${plan.images.length} images could be read: nothing was imported.`,
      skipped,
    }
  }
  try {
    await store.add(record)
  } catch (cause) {
    return { ok: false, message: cause instanceof Error ? cause.message : String(cause), skipped }
  }
  return { ok: true, dataset: summarize(record), skipped }
}

/**
 * The record of the decoded images, grouped by label in plan order (plan images are sorted by
 * label); labels whose images were all unreadable are dropped. Undefined when none decoded.
 */
export function packRecord(
  labels: readonly string[],
  images: readonly { label: number }[],
  decoded: readonly (Uint8Array | undefined)[],
  settings: Pick<ImportSettings, 'size' | 'channels'>,
  identity: Pick<DatasetRecord, 'id' | 'name' | 'createdAt'>,
): DatasetRecord | undefined {
  const imageBytes = settings.size * settings.size * settings.channels
  const counts = new Array<number>(labels.length).fill(0)
  let total = 0
  images.forEach((image, at) => {
    if (decoded[at] !== undefined) {
      counts[image.label] = (counts[image.label] ?? 0) + 1
      total++
    }
  })
  if (total === 0) return undefined
  const pixels = new Uint8Array(total * imageBytes)
  let offset = 0
  let lastLabel = -1
  images.forEach((image, at) => {
    const data = decoded[at]
    if (data === undefined) return
    if (image.label < lastLabel) throw new Error('packRecord needs images sorted by label')
    lastLabel = image.label
    pixels.set(data, offset)
    offset += imageBytes
  })
  const kept = labels.map((_, label) => label).filter((label) => (counts[label] ?? 0) > 0)
  return {
    ...identity,
    width: settings.size,
    height: settings.size,
    channels: settings.channels,
    labels: kept.map((label) => labels[label] ?? ''),
    countsPerLabel: kept.map((label) => counts[label] ?? 0),
    pixels: new Blob([pixels]),
  }
}
