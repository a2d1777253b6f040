/**
 * What one imported dataset may hold (issue #4). The limits keep a dataset small enough to sit
 * in the browser's database, be read by the worker in one piece and be uploaded batch by batch
 * without trouble on a laptop: at most 20,000 images and 64 MB of packed pixels (a 64×64 RGB
 * image is 12 KB, so about 5,400 of them). They are checked on the files found, before any is
 * decoded or anything is written.
 */

export const DATASET_LIMITS = {
  /** Images in one dataset. */
  maxImages: 20_000,
  /** Packed pixels of one dataset: count × size² × channels bytes. */
  maxPackedBytes: 64 * 1024 * 1024,
  /** One image file; bigger ones are skipped (a 50 MB photo is not a training image). */
  maxFileBytes: 50 * 1024 * 1024,
  /** A zip is read into memory whole; larger collections import as a folder. */
  maxZipBytes: 256 * 1024 * 1024,
} as const

/** The image sizes an import offers: side in pixels of the square images. */
export const IMAGE_SIZES = [16, 28, 32, 64] as const
export type ImageSize = (typeof IMAGE_SIZES)[number]

/** Packed bytes of `count` images of `size`×`size`×`channels`. */
export const packedBytes = (count: number, size: number, channels: number): number =>
  count * size * size * channels

/** "64 MB", "1.5 MB", "12 KB": sizes as people read them (binary units). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toPrecision(3))} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} B`
}

const count = (value: number) => value.toLocaleString('en-US')

/**
 * Why `images` images at `size`×`size`×`channels` are too many for one dataset, worded for the
 * person importing them, or undefined when they fit.
 */
export function datasetLimitProblem(
  images: number,
  size: number,
  channels: number,
): string | undefined {
  if (images > DATASET_LIMITS.maxImages) {
    return `This import has ${count(images)} images; a dataset holds at most ${count(DATASET_LIMITS.maxImages)}. Nothing was imported: import a smaller folder, or split it into several datasets.`
  }
  const bytes = packedBytes(images, size, channels)
  if (bytes > DATASET_LIMITS.maxPackedBytes) {
    const kind = channels === 3 ? 'RGB' : 'grayscale'
    return `${count(images)} images at ${size}×${size} ${kind} take ${formatBytes(bytes)}; a dataset holds at most ${formatBytes(DATASET_LIMITS.maxPackedBytes)}. Nothing was imported: pick a smaller size${channels === 3 ? ' or grayscale' : ''}, or import fewer images.`
  }
  return undefined
}
