/**
 * The files of a zip as import sources, with fflate. The archive is listed first (names and
 * sizes only); image files are then inflated in batches in archive order as the import reads
 * them, so a large zip is never inflated whole at once. Pure apart from `Blob`, so it is tested
 * on Node with zips made by fflate.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate'
import { isImageCandidate, type FileEntry } from './importPlan'

/** A file to import: its path and size, and its bytes on demand. */
export interface ImportSource extends FileEntry {
  read: () => Promise<Blob>
}

/** Thrown when the bytes are not a zip fflate can list. */
export class ZipReadError extends Error {
  override name = 'ZipReadError'
}

/** Images inflated per pass over the archive: bounds memory, keeps passes few. */
const BATCH_FILES = 128
const BATCH_BYTES = 32 * 1024 * 1024

/** Stored (0) and deflate (8) are what fflate inflates; anything else is skipped. */
const isReadableMethod = (compression: number) => compression === 0 || compression === 8

/** The files (not folders) of a zip as import sources, in archive order. */
export function zipSources(bytes: Uint8Array): ImportSource[] {
  const listed: UnzipFileInfo[] = []
  try {
    unzipSync(bytes, {
      filter: (file) => {
        if (!file.name.endsWith('/')) listed.push({ ...file })
        return false
      },
    })
  } catch (cause) {
    throw new ZipReadError(
      `This file is not a zip archive, or it is damaged (${cause instanceof Error ? cause.message : String(cause)}).`,
    )
  }
  const inflated = new Map<string, Uint8Array>()
  const failed = new Map<string, string>()

  /** Inflates `listed[start]` and the image files after it, up to a batch. */
  function inflateFrom(start: number): void {
    const names = new Set<string>()
    let bytesInBatch = 0
    for (let index = start; index < listed.length && names.size < BATCH_FILES; index++) {
      const file = listed[index]
      if (file === undefined || inflated.has(file.name) || failed.has(file.name)) continue
      if (index !== start && !isImageCandidate({ path: file.name, size: file.originalSize }))
        continue
      if (!isReadableMethod(file.compression)) {
        failed.set(file.name, `compressed with method ${file.compression}, which cannot be read`)
        continue
      }
      if (names.size > 0 && bytesInBatch + file.originalSize > BATCH_BYTES) break
      names.add(file.name)
      bytesInBatch += file.originalSize
    }
    if (names.size === 0) return
    try {
      const out = unzipSync(bytes, { filter: (file) => names.has(file.name) })
      for (const [name, data] of Object.entries(out)) inflated.set(name, data)
    } catch {
      // One damaged entry fails the whole pass: inflate the batch one by one to find it.
      for (const name of names) {
        try {
          const out = unzipSync(bytes, { filter: (file) => file.name === name })
          const data = out[name]
          if (data !== undefined) inflated.set(name, data)
        } catch {
          failed.set(name, 'damaged in the zip')
        }
      }
    }
  }

  return listed.map((file, index) => ({
    path: file.name,
    size: file.originalSize,
    read: () => {
      if (!inflated.has(file.name) && !failed.has(file.name)) inflateFrom(index)
      const data = inflated.get(file.name)
      inflated.delete(file.name)
      if (data === undefined)
        return Promise.reject(new Error(failed.get(file.name) ?? 'missing from the zip'))
      return Promise.resolve(new Blob([data as Uint8Array<ArrayBuffer>]))
    },
  }))
}
