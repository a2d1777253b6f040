/**
 * Graph JSON files (DESIGN §8): the name and contents of an exported file, and reading one back
 * from Import JSON, drag-and-drop or a paste, always through the one loader.
 */
import { error } from '../../graph-core/diagnostics'
import { serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument, type LoadResult } from '../../graph-core/loader'
import type { NodeRegistry } from '../../graph-core/registry'
import { formatMegabytes, GRAPH_TEXT_LIMIT } from './limits'
import { decodeShareFragment, hasShareFragment } from './shareLink'

/** The extension of exported graphs; Import JSON accepts any `.json`. */
export const GRAPH_FILE_EXTENSION = '.latent-lab.json'

/** The MIME type of exported graphs. */
export const GRAPH_FILE_TYPE = 'application/json'

const MAX_SLUG_LENGTH = 60

// Windows refuses these as file names whatever the extension.
const RESERVED_NAMES = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
])

/**
 * A file name for the document that is safe on every OS: the name folded to lower-case ASCII
 * letters, digits and dashes (accents dropped), at most 60 characters, `graph` when nothing
 * is left, plus `.latent-lab.json`.
 */
export function exportFileName(document: GraphDocument): string {
  const slug = document.name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '')
  const safe = slug === '' ? 'graph' : RESERVED_NAMES.has(slug) ? `${slug}-graph` : slug
  return `${safe}${GRAPH_FILE_EXTENSION}`
}

/** What Export JSON writes: indented, keys in a fixed order, ending in a newline. */
export function exportFileText(document: GraphDocument): string {
  return `${serializeDocument(document)}\n`
}

/** The exported file as a Blob with its name, ready for a download link. */
export function exportGraphFile(document: GraphDocument): { fileName: string; blob: Blob } {
  return {
    fileName: exportFileName(document),
    blob: new Blob([exportFileText(document)], { type: GRAPH_FILE_TYPE }),
  }
}

/**
 * Reads a graph file (a File from the picker or a drop, or any Blob). The size is checked
 * before a byte is read, so dropping a video on the canvas costs nothing. Never throws.
 */
export async function readGraphFile(file: Blob, registry: NodeRegistry): Promise<LoadResult> {
  const label = 'name' in file && typeof file.name === 'string' ? `“${file.name}”` : 'This file'
  if (file.size > GRAPH_TEXT_LIMIT) {
    const size = formatMegabytes(file.size)
    const limit = formatMegabytes(GRAPH_TEXT_LIMIT)
    return {
      ok: false,
      diagnostics: [
        error(
          'FILE_TOO_LARGE',
          `${label} is ${size === limit ? 'over ' : ''}${size}; a graph is at most ${limit}. Is it really a Latent Lab graph?`,
        ),
      ],
    }
  }
  let text: string
  try {
    text = await file.text()
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return {
      ok: false,
      diagnostics: [
        error(
          'INTERNAL_ERROR',
          `${label} could not be read (${reason}); it may have been moved or deleted.`,
        ),
      ],
    }
  }
  return loadDocument(text, registry, { maxLength: GRAPH_TEXT_LIMIT })
}

/**
 * Reads pasted text: graph JSON, or a share link (the whole URL or only its fragment).
 * Never throws.
 */
export async function readPastedGraph(text: string, registry: NodeRegistry): Promise<LoadResult> {
  const trimmed = text.trim()
  const hashAt = trimmed.indexOf('#')
  if (!trimmed.startsWith('{') && hashAt >= 0 && hasShareFragment(trimmed.slice(hashAt))) {
    return decodeShareFragment(trimmed.slice(hashAt), registry)
  }
  return loadDocument(text, registry, { maxLength: GRAPH_TEXT_LIMIT })
}

/**
 * Whether pasted text is meant as a graph, so a paste handler can leave ordinary text alone
 * (and not answer every paste with an error).
 */
export function looksLikeGraph(text: string): boolean {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) return trimmed.includes('"format"')
  const hashAt = trimmed.indexOf('#')
  return hashAt >= 0 && hasShareFragment(trimmed.slice(hashAt))
}
