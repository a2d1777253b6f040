import { describe, expect, it } from 'vitest'
import { serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument, type LoadResult } from '../../graph-core/loader'
import { graph } from '../../graph-core/testing/graphBuilder'
import { testRegistry } from '../../graph-core/testing/testNodes'
import {
  decodeShareFragment,
  encodeShareFragment,
  fromBase64Url,
  hasShareFragment,
  SAFE_SHARE_LINK_LENGTH,
  shareLinkAdvice,
  toBase64Url,
  withChecksum,
} from './shareLink'
import { crc32 } from './crc32'

function sample(name = 'Shared graph'): GraphDocument {
  const loaded = loadDocument(
    graph(name)
      .node('source', 'test.source', { width: 4 })
      .node('scale', 'test.scale', { factor: 2 }, { title: 'Scale ×2' })
      .edge('source.x', 'scale.x')
      .build(),
    testRegistry,
  )
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
  return loaded.document
}

/**
 * A fragment around arbitrary bytes with a correct checksum (unless one is given), to test what
 * the decoder does with content that arrived intact.
 */
async function fragmentOf(
  chunks: Uint8Array<ArrayBuffer>[],
  options: { prefix?: string; checksum?: number } = {},
): Promise<string> {
  const compressed = streamOf(...chunks).pipeThrough(new CompressionStream('deflate-raw'))
  const bytes = new Uint8Array(await new Response(compressed).arrayBuffer())
  // A wrong checksum is written over a right one for an empty text: no need to hash 64 MB.
  const content = options.checksum === undefined ? await new Blob(chunks).bytes() : new Uint8Array()
  const payload = withChecksum(bytes, content)
  if (options.checksum !== undefined) {
    new DataView(payload.buffer).setUint32(bytes.length, options.checksum)
  }
  return `#graph=${options.prefix ?? 'v1.'}${toBase64Url(payload)}`
}

function streamOf(...chunks: Uint8Array<ArrayBuffer>[]): ReadableStream<BufferSource> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  })
}

const textFragment = (text: string) => fragmentOf([new TextEncoder().encode(text)])
const decode = (hash: string) => decodeShareFragment(hash, testRegistry)
const codes = (result: LoadResult) => result.diagnostics.map((diagnostic) => diagnostic.code)
const messages = (result: LoadResult) => result.diagnostics.map((d) => d.message).join(' ')

describe('encodeShareFragment / decodeShareFragment', () => {
  it('round-trips a document byte for byte, names with markup and emoji included', async () => {
    const document = sample('<img src=x onerror=alert(1)> “Граф” 🧪')
    const fragment = await encodeShareFragment(document)
    expect(fragment).toMatch(/^#graph=v1\.[A-Za-z0-9_-]+$/)
    const result = await decode(fragment)
    if (!result.ok) throw new Error(messages(result))
    expect(serializeDocument(result.document)).toBe(serializeDocument(document))
    expect(result.document.name).toBe('<img src=x onerror=alert(1)> “Граф” 🧪')
    expect(result.diagnostics).toEqual([])
  })

  it('carries exactly the compact serialized JSON, then its CRC-32 in 4 bytes', async () => {
    const document = sample()
    const payload = (await encodeShareFragment(document)).slice('#graph=v1.'.length)
    const bytes = fromBase64Url(payload)
    if (typeof bytes === 'string') throw new Error(bytes)
    const compressed = bytes.slice(0, -4)
    const inflated = streamOf(compressed).pipeThrough(new DecompressionStream('deflate-raw'))
    const json = serializeDocument(document, 0)
    expect(await new Response(inflated).text()).toBe(json)
    const checksum = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 4)
    expect(checksum).toBe(crc32(new TextEncoder().encode(json)))
  })

  it('finds the graph without “#”, among other fragment parts and across line breaks', async () => {
    const fragment = await encodeShareFragment(sample())
    const payload = fragment.slice(1)
    const wrapped = `${payload.slice(0, 20)}\n  ${payload.slice(20)}`
    for (const hash of [payload, `#view=canvas&${payload}`, `#${wrapped}`]) {
      expect((await decode(hash)).ok).toBe(true)
    }
    expect(hasShareFragment(fragment)).toBe(true)
    expect(hasShareFragment('#view=canvas')).toBe(false)
  })

  it('keeps unknown node types as placeholders, as every other way in does', async () => {
    const document = sample()
    document.nodes.push({
      id: 'x',
      type: 'model.fromTheFuture',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    })
    const result = await decode(await encodeShareFragment(document))
    expect(result.ok).toBe(true)
    expect(codes(result)).toEqual(['UNKNOWN_NODE_TYPE'])
  })
})

describe('decodeShareFragment: bad links', () => {
  it('refuses a link without a graph', async () => {
    const result = await decode('#view=canvas')
    expect(result.ok).toBe(false)
    expect(codes(result)).toEqual(['NOT_A_GRAPH'])
    expect(messages(result)).toMatch(/no “#graph=” part/)
  })

  it('refuses a link from a newer encoding, and prefixes that are not versions', async () => {
    const payload = (await encodeShareFragment(sample())).slice('#graph=v1.'.length)
    const newer = await decode(`#graph=v2.${payload}`)
    expect(codes(newer)).toEqual(['NEWER_SCHEMA_VERSION'])
    expect(messages(newer)).toMatch(
      /newer Latent Lab \(link format v2\); this version reads v1 links/,
    )
    for (const prefix of ['', 'v0.', 'x1.', 'v1', 'V1.', 'v.']) {
      const result = await decode(`#graph=${prefix}${payload}`)
      expect(codes(result), prefix).toEqual(['NOT_A_GRAPH'])
      expect(messages(result)).toMatch(/not a Latent Lab share link/)
    }
  })

  it('refuses garbage that is not base64url', async () => {
    for (const payload of ['', 'abc$def', 'a+b/c==', '%41%42']) {
      const result = await decode(`#graph=v1.${payload}`)
      expect(codes(result), payload).toEqual(['SCHEMA_INVALID'])
      expect(messages(result)).toMatch(/^This share link is damaged/)
    }
  })

  it('refuses the link cut at every length', async () => {
    const fragment = await encodeShareFragment(sample())
    const start = '#graph=v1.'.length
    for (let end = start; end < fragment.length; end++) {
      const result = await decode(fragment.slice(0, end))
      expect(result.ok, `cut at ${end} of ${fragment.length}`).toBe(false)
      expect(messages(result)).toMatch(/^This share link is damaged/)
    }
  })

  it('refuses valid base64 that is not a deflate stream', async () => {
    const result = await decode(
      `#graph=v1.${toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 1, 2, 3, 4]))}`,
    )
    expect(messages(result)).toMatch(/compressed data is incomplete or corrupted/)
  })

  it('says a link is damaged when it inflates to something that is not graph JSON', async () => {
    const notJson = await decode(await textFragment('{"format": "latent-lab.graph", "nod'))
    expect(codes(notJson)).toEqual(['SCHEMA_INVALID'])
    expect(messages(notJson)).toMatch(
      /^This share link is damaged.*not valid JSON \(This is not valid JSON/,
    )

    const notText = await decode(await fragmentOf([new Uint8Array([0xc3, 0x28, 0xff])]))
    expect(messages(notText)).toMatch(/does not unpack to text/)

    expect(codes(await decode(await textFragment('{"format":"excalidraw"}')))).toEqual([
      'NOT_A_GRAPH',
    ])
    const newer = { ...sample(), schemaVersion: 99 }
    expect(codes(await decode(await textFragment(JSON.stringify(newer))))).toEqual([
      'NEWER_SCHEMA_VERSION',
    ])
  })

  // Measured before the checksum on this sample: 597 of 19,026 substitutions (3.1%) decoded to
  // a different valid graph. About 20,000 decodes: give it time on a slow machine.
  it(
    'refuses every single-character substitution, unless it decodes to the same graph',
    {
      timeout: 60_000,
    },
    async () => {
      const document = sample()
      const fragment = await encodeShareFragment(document)
      const original = serializeDocument(document)
      // Every base64url character, plus a few a link never holds.
      const replacements = Array.from(
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.%#+',
      )
      let identical = 0
      let refused = 0
      for (let at = 0; at < fragment.length; at++) {
        for (const char of replacements) {
          if (char === fragment[at]) continue
          const result = await decode(fragment.slice(0, at) + char + fragment.slice(at + 1))
          if (!result.ok) {
            refused++
            expect(result.diagnostics.length, `${char} at ${at}`).toBeGreaterThan(0)
          } else {
            // Only the unused low bits of the last character may change without effect.
            expect(serializeDocument(result.document), `${char} at ${at}`).toBe(original)
            identical++
          }
        }
      }
      expect(refused).toBeGreaterThan(fragment.length * 60)
      expect(identical).toBeLessThan(64)
    },
  )

  it('refuses a link whose content does not match its checksum', async () => {
    const result = await decode(await fragmentOf([new TextEncoder().encode('{}')], { checksum: 1 }))
    expect(codes(result)).toEqual(['SCHEMA_INVALID'])
    expect(messages(result)).toMatch(/^This share link is damaged.*checksum does not match/)
  })

  it('stops inflating a zip bomb at the size limit', async () => {
    const zeros = new Uint8Array(1 << 20)
    // 64 MB of zeros packs into about 64 kB: a small link that must not become 64 MB in memory.
    // The size is checked before the checksum, so the checksum need not be right.
    const chunks = Array.from({ length: 64 }, () => zeros)
    const bomb = await fragmentOf(chunks, { checksum: 0 })
    expect(bomb.length).toBeLessThan(100_000)
    const result = await decode(bomb)
    expect(codes(result)).toEqual(['FILE_TOO_LARGE'])
    expect(messages(result)).toMatch(/unpacks to more than 5\.0 MB/)

    const small = await decodeShareFragment(await textFragment('x'.repeat(2_000)), testRegistry, {
      maxLength: 1_000,
    })
    expect(codes(small)).toEqual(['FILE_TOO_LARGE'])
  })
})

describe('base64url', () => {
  it('matches the standard encoding for every length modulo 3', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff)
      const text = toBase64Url(bytes)
      expect(text).toBe(Buffer.from(bytes).toString('base64url'))
      if (length > 0) expect(fromBase64Url(text)).toEqual(bytes)
    }
    expect(fromBase64Url('AQID==')).toEqual(new Uint8Array([1, 2, 3]).subarray(0, 3))
    expect(fromBase64Url('AQIDB')).toBe('its data is cut off')
  })
})

describe('shareLinkAdvice', () => {
  it('says nothing up to the safe length, then suggests a file', () => {
    expect(shareLinkAdvice(SAFE_SHARE_LINK_LENGTH)).toBeUndefined()
    expect(shareLinkAdvice(12_345)).toBe(
      'This link is 12,345 characters long; many apps cut links past 8,000 characters. Use Export JSON and share the file instead.',
    )
  })
})
