/**
 * Share links (DESIGN §8): the graph JSON, compressed, in the URL fragment, so it never reaches
 * a server. Format: `#graph=v1.` + base64url(deflate-raw(json) ‖ crc32(json)), where `json` is
 * the UTF-8 of `serializeDocument(document, 0)` and the CRC-32 is 4 bytes, big-endian.
 * The `v1.` prefix names the encoding (not the document schema, which the JSON carries), so a
 * later encoding can be told apart and refused with a clear message by this version.
 *
 * deflate-raw has no checksum: without the CRC, about 2% of single-character corruptions still
 * inflated to a valid graph, a different one from the one shared. With it a changed character
 * is refused (or, in the last character's unused bits, changes nothing).
 *
 * Decoding is for untrusted input: every failure becomes a diagnostic in the loader's result
 * type, decompression stops at the loader's size limit (a small link cannot expand into
 * gigabytes), and the JSON then goes through the one loader.
 */
import { error, type Diagnostic } from '../../graph-core/diagnostics'
import { serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument, type LoadResult } from '../../graph-core/loader'
import type { NodeRegistry } from '../../graph-core/registry'
import { crc32 } from './crc32'
import { formatMegabytes, GRAPH_TEXT_LIMIT } from './limits'

/** The fragment key that carries a graph. */
export const SHARE_FRAGMENT_KEY = 'graph'

/** The encoding this version writes and reads. */
export const SHARE_LINK_VERSION = 1

/**
 * Links longer than this get `shareLinkAdvice`. RFC 9110 §4.1 recommends that senders and
 * recipients support URIs of at least 8,000 octets; anything past that depends on the app the
 * link is pasted into (chat apps, mail clients and link shorteners truncate or refuse longer
 * ones), even though current browsers open far longer URLs.
 */
export const SAFE_SHARE_LINK_LENGTH = 8_000

/** Bytes of the CRC-32 after the compressed data. */
const CHECKSUM_BYTES = 4

/** `#graph=v1.…` for the document; append it to the page URL. */
export async function encodeShareFragment(document: GraphDocument): Promise<string> {
  const json = new TextEncoder().encode(serializeDocument(document, 0))
  const compressed = await readAll(
    byteStream(json).pipeThrough(new CompressionStream('deflate-raw')),
  )
  return `#${SHARE_FRAGMENT_KEY}=v${SHARE_LINK_VERSION}.${toBase64Url(withChecksum(compressed, json))}`
}

/** `compressed` followed by the CRC-32 of `json`, big-endian: the bytes of a v1 payload. */
export function withChecksum(compressed: Uint8Array, json: Uint8Array): Uint8Array {
  const out = new Uint8Array(compressed.length + CHECKSUM_BYTES)
  out.set(compressed)
  new DataView(out.buffer).setUint32(compressed.length, crc32(json))
  return out
}

/** Whether a URL fragment (`location.hash`) carries a shared graph at all. */
export function hasShareFragment(hash: string): boolean {
  return fragmentValue(hash) !== undefined
}

/** Options of `decodeShareFragment`. */
export interface DecodeOptions {
  /** Most bytes of JSON a link may expand to (default: the loader's limit). */
  maxLength?: number
}

/**
 * Reads a shared graph from a URL fragment (`location.hash`, with or without `#`). Never
 * throws: a missing, damaged, newer or oversized link is a diagnostic, like the loader's own.
 */
export async function decodeShareFragment(
  hash: string,
  registry: NodeRegistry,
  options: DecodeOptions = {},
): Promise<LoadResult> {
  const maxLength = options.maxLength ?? GRAPH_TEXT_LIMIT
  const value = fragmentValue(hash)
  if (value === undefined) {
    return refuse(
      error('NOT_A_GRAPH', 'This link carries no graph: its address has no “#graph=” part.'),
    )
  }
  const prefix = /^v(\d+)\./.exec(value)
  const version = prefix === null ? undefined : Number(prefix[1])
  if (prefix === null || version === undefined || version < 1) {
    return refuse(
      error(
        'NOT_A_GRAPH',
        'This is not a Latent Lab share link: its “#graph=” part does not start with a format version such as “v1.”.',
      ),
    )
  }
  if (version > SHARE_LINK_VERSION) {
    return refuse(
      error(
        'NEWER_SCHEMA_VERSION',
        `This link was made by a newer Latent Lab (link format v${version}); this version reads v${SHARE_LINK_VERSION} links. Open it in an up-to-date Latent Lab.`,
      ),
    )
  }

  const bytes = fromBase64Url(value.slice(prefix[0].length))
  if (typeof bytes === 'string') return damaged(bytes)
  // The shortest deflate stream is 2 bytes (an empty final block); anything less is cut off.
  if (bytes.length < CHECKSUM_BYTES + 2) return damaged('its data is cut off')
  const checksumAt = bytes.length - CHECKSUM_BYTES
  const checksum = new DataView(bytes.buffer, bytes.byteOffset).getUint32(checksumAt)
  const inflated = await inflateRaw(bytes.subarray(0, checksumAt), maxLength)
  if ('tooLarge' in inflated) {
    return refuse(
      error(
        'FILE_TOO_LARGE',
        `This link unpacks to more than ${formatMegabytes(maxLength)}, the most a graph may be; it is damaged or not from Latent Lab.`,
      ),
    )
  }
  if ('failure' in inflated) return damaged(inflated.failure)
  if (crc32(inflated.bytes) !== checksum) {
    return damaged('its checksum does not match, so a character was changed or lost on the way')
  }
  let json: string
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes)
  } catch {
    return damaged('it does not unpack to text')
  }

  const loaded = loadDocument(json, registry, { maxLength })
  if (loaded.ok) return loaded
  // The checksum matched, so this is what was shared, but it is not a graph: say so in terms of
  // the link rather than of a file the user never saw.
  return {
    ok: false,
    diagnostics: loaded.diagnostics.map((diagnostic) =>
      diagnostic.code === 'INVALID_JSON'
        ? linkDamaged(`the graph inside is not valid JSON (${diagnostic.message})`)
        : diagnostic,
    ),
  }
}

/**
 * Advice for a share URL of `length` characters (the whole URL, not only the fragment):
 * undefined when it is short enough, else a sentence suggesting a file instead.
 */
export function shareLinkAdvice(length: number): string | undefined {
  if (length <= SAFE_SHARE_LINK_LENGTH) return undefined
  return `This link is ${length.toLocaleString('en-US')} characters long; many apps cut links past ${SAFE_SHARE_LINK_LENGTH.toLocaleString('en-US')} characters. Use Export JSON and share the file instead.`
}

function refuse(...diagnostics: Diagnostic[]): LoadResult {
  return { ok: false, diagnostics }
}

function linkDamaged(reason: string): Diagnostic {
  return error(
    'SCHEMA_INVALID',
    `This share link is damaged, perhaps cut off when it was copied: ${reason}. Ask for the link again, or for the graph as a JSON file.`,
  )
}

function damaged(reason: string): LoadResult {
  return refuse(linkDamaged(reason))
}

/**
 * The value of `graph=` among the `&`-separated fragment parts. Whitespace is dropped: mail
 * clients wrap long links across lines.
 */
function fragmentValue(hash: string): string | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash
  for (const part of fragment.split('&')) {
    const equals = part.indexOf('=')
    if (equals >= 0 && part.slice(0, equals) === SHARE_FRAGMENT_KEY) {
      return part.slice(equals + 1).replace(/\s+/g, '')
    }
  }
  return undefined
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const ALPHABET_INDEX = new Map(
  Array.from({ length: ALPHABET.length }, (_, index) => [ALPHABET.charAt(index), index]),
)

/** Base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0
    const b = bytes[i + 1] ?? 0
    const c = bytes[i + 2] ?? 0
    const triple = (a << 16) | (b << 8) | c
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2
    for (let k = 0; k < chars; k++) text += ALPHABET[(triple >> (18 - 6 * k)) & 63] ?? ''
  }
  return text
}

/** The bytes of base64url text (padding tolerated), or why it is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | string {
  const body = text.replace(/=+$/, '')
  if (body.length === 0) return 'it carries no data'
  // One leftover character holds only 6 bits, less than a byte: the text was cut.
  if (body.length % 4 === 1) return 'its data is cut off'
  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4))
  let buffer = 0
  let bits = 0
  let length = 0
  for (const char of body) {
    const index = ALPHABET_INDEX.get(char)
    if (index === undefined) return `it contains “${char}”, which a share link never has`
    buffer = ((buffer << 6) | index) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[length++] = (buffer >> bits) & 0xff
    }
  }
  return bytes.subarray(0, length)
}

function byteStream(bytes: Uint8Array<ArrayBuffer>): ReadableStream<BufferSource> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes)
      controller.close()
    },
  })
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    total += value.length
  }
  return concat(chunks, total)
}

/** Inflates chunk by chunk and stops as soon as the output passes `maxBytes`. */
async function inflateRaw(
  bytes: Uint8Array<ArrayBuffer>,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: true } | { failure: string }> {
  const reader = byteStream(bytes).pipeThrough(new DecompressionStream('deflate-raw')).getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        return { tooLarge: true }
      }
      chunks.push(value)
    }
  } catch {
    // The stream's own messages ("unexpected end of file", "invalid stored block lengths")
    // differ by browser and mean nothing to people.
    return { failure: 'its compressed data is incomplete or corrupted' }
  }
  return { bytes: concat(chunks, total) }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
