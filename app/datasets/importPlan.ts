/**
 * Which files of a picked folder or zip become images of which label, and which are skipped and
 * why — from names and sizes alone, before anything is read. Pure.
 *
 * - Labels are sub-folder names: `cats/a.png` is a "cats" image; deeper folders belong to their
 *   top folder (`cats/kittens/b.png` is "cats" too).
 * - A folder pick always names the picked folder first (`pets/cats/a.png`): that segment is
 *   dropped. A zip is often made of one wrapping folder: its single top folder is dropped when
 *   there are label folders beneath it, and kept as the one label otherwise.
 * - Images at the top level: when every image is there, they form one label, `unlabelled`
 *   (for autoencoders and GANs); when there are label folders too, the loose images are
 *   skipped and reported, since they have no label.
 * - System files (names starting with `.`, `__MACOSX/`, `Thumbs.db`, `desktop.ini`) are ignored
 *   silently; other files that are not PNG, JPEG, GIF, BMP, WebP or AVIF are skipped and
 *   reported, as are images over the per-file limit.
 * - Labels are sorted by name, numbers in names by value (`2` before `10`); images by path.
 */
import { DATASET_LIMITS, formatBytes } from './limits'

/** A file as the import sees it before reading it. */
export interface FileEntry {
  /** `/`-separated path, as the folder pick (`webkitRelativePath`) or the zip names it. */
  path: string
  /** Bytes. */
  size: number
}

/** A file that is not imported, and why, for the report. */
export interface SkippedFile {
  path: string
  reason: string
}

/** One image to read: which entry and which label. */
export interface PlannedImage {
  /** Index into the entries given to `planImport`. */
  entry: number
  path: string
  label: number
}

export interface ImportPlan {
  labels: string[]
  /** Sorted by label, then path. */
  images: PlannedImage[]
  skipped: SkippedFile[]
  /** System files left out without a word. */
  ignored: number
}

/** The label of images that sit at the top level of the import. */
export const UNLABELLED = 'unlabelled'

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'avif'] as const

const collator = new Intl.Collator('en', { numeric: true })

const IGNORED_NAMES = new Set(['thumbs.db', 'desktop.ini'])

function isIgnored(segments: readonly string[]): boolean {
  return segments.some(
    (segment) =>
      segment.startsWith('.') || segment === '__MACOSX' || IGNORED_NAMES.has(segment.toLowerCase()),
  )
}

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase()
}

const isImageName = (name: string) =>
  (IMAGE_EXTENSIONS as readonly string[]).includes(extensionOf(name))

/**
 * Whether a file may become an image, by its name and size alone: not a system file, an image
 * extension, within the per-file limit. The zip reader extracts only these.
 */
export function isImageCandidate(file: FileEntry): boolean {
  const segments = segmentsOf(file.path)
  return (
    segments.length > 0 &&
    !isIgnored(segments) &&
    isImageName(segments.at(-1) ?? '') &&
    file.size <= DATASET_LIMITS.maxFileBytes
  )
}

/** Splits a path into its non-empty segments, accepting `\` from odd zip tools. */
const segmentsOf = (path: string) => path.replaceAll('\\', '/').split('/').filter(Boolean)

/**
 * The plan for a folder pick (`root: 'picked'`: the first segment is the picked folder) or a
 * zip (`root: 'zip'`: a single wrapping folder is dropped when label folders sit beneath it).
 */
export function planImport(entries: readonly FileEntry[], root: 'picked' | 'zip'): ImportPlan {
  const skipped: SkippedFile[] = []
  let ignored = 0
  const kept: { entry: number; path: string; segments: string[] }[] = []
  entries.forEach((file, entry) => {
    const all = segmentsOf(file.path)
    if (all.length === 0 || isIgnored(all)) {
      ignored++
      return
    }
    if (!isImageName(all.at(-1) ?? '')) {
      skipped.push({
        path: file.path,
        reason: 'not an image file (PNG, JPEG, GIF, BMP, WebP, AVIF)',
      })
      return
    }
    if (file.size > DATASET_LIMITS.maxFileBytes) {
      skipped.push({
        path: file.path,
        reason: `larger than ${formatBytes(DATASET_LIMITS.maxFileBytes)}`,
      })
      return
    }
    kept.push({ entry, path: file.path, segments: all })
  })

  const tops = new Set(kept.map((file) => file.segments[0]))
  const shouldDrop =
    root === 'picked'
      ? kept.every((file) => file.segments.length > 1)
      : tops.size === 1 &&
        kept.every((file) => file.segments.length > 1) &&
        kept.some((file) => file.segments.length > 2)
  const relative = kept.map((file) => ({
    ...file,
    segments: shouldDrop ? file.segments.slice(1) : file.segments,
  }))

  const hasFolders = relative.some((file) => file.segments.length > 1)
  const labelled: { entry: number; path: string; name: string }[] = []
  for (const file of relative) {
    if (file.segments.length > 1) {
      labelled.push({ entry: file.entry, path: file.path, name: file.segments[0] ?? '' })
    } else if (hasFolders) {
      skipped.push({ path: file.path, reason: 'not in a label folder' })
    } else {
      labelled.push({ entry: file.entry, path: file.path, name: UNLABELLED })
    }
  }

  const labels = [...new Set(labelled.map((file) => file.name))].sort(collator.compare)
  const indexOf = new Map(labels.map((name, index) => [name, index]))
  const images = labelled
    .map((file) => ({ entry: file.entry, path: file.path, label: indexOf.get(file.name) ?? 0 }))
    .sort((a, b) => a.label - b.label || collator.compare(a.path, b.path))
  return { labels, images, skipped, ignored }
}
