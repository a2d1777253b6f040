import { describe, expect, it, vi } from 'vitest'
import { createDocument, serializeDocument, type GraphDocument } from '../../graph-core/document'
import { loadDocument, type LoadResult } from '../../graph-core/loader'
import { graph } from '../../graph-core/testing/graphBuilder'
import { testRegistry } from '../../graph-core/testing/testNodes'
import {
  exportFileName,
  exportFileText,
  exportGraphFile,
  looksLikeGraph,
  readGraphFile,
  readPastedGraph,
} from './graphFiles'
import { GRAPH_TEXT_LIMIT } from './limits'
import { encodeShareFragment } from './shareLink'

function sample(name = 'Sample'): GraphDocument {
  const loaded = loadDocument(
    graph(name)
      .node('source', 'test.source')
      .node('scale', 'test.scale')
      .edge('source.x', 'scale.x')
      .build(),
    testRegistry,
  )
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
  return loaded.document
}

const codes = (result: LoadResult) => result.diagnostics.map((diagnostic) => diagnostic.code)
const named = (name: string) => exportFileName(createDocument(name))

describe('exportFileName', () => {
  it.each([
    ['Triplet loss (P×K)', 'triplet-loss-p-k.latent-lab.json'],
    ['Éléphant  VAE', 'elephant-vae.latent-lab.json'],
    ['../../etc/passwd', 'etc-passwd.latent-lab.json'],
    ['<img src=x onerror=alert(1)>', 'img-src-x-onerror-alert-1.latent-lab.json'],
    ['', 'graph.latent-lab.json'],
    ['🧪🧪', 'graph.latent-lab.json'],
    ['CON', 'con-graph.latent-lab.json'],
    ['lpt1', 'lpt1-graph.latent-lab.json'],
  ])('%j → %s', (name, fileName) => {
    expect(named(name)).toBe(fileName)
  })

  it('caps long names without a trailing dash', () => {
    const fileName = named(`${'a'.repeat(59)} b c`)
    expect(fileName).toBe(`${'a'.repeat(59)}.latent-lab.json`)
  })
})

describe('export and import', () => {
  it('reads back an exported file byte for byte', async () => {
    const document = sample('Round trip')
    const { fileName, blob } = exportGraphFile(document)
    expect(fileName).toBe('round-trip.latent-lab.json')
    expect(blob.type).toBe('application/json')
    expect(await blob.text()).toBe(`${serializeDocument(document)}\n`)

    const result = await readGraphFile(new File([blob], fileName), testRegistry)
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
    expect(serializeDocument(result.document)).toBe(serializeDocument(document))
  })

  it('ignores a byte order mark from editors that add one', async () => {
    const file = new File([`\ufeff${exportFileText(sample())}`], 'bom.json')
    expect((await readGraphFile(file, testRegistry)).ok).toBe(true)
  })

  it('refuses an oversized file before reading it', async () => {
    const file = new File([new Uint8Array(GRAPH_TEXT_LIMIT + 1)], 'movie.mp4')
    const text = vi.spyOn(file, 'text')
    const result = await readGraphFile(file, testRegistry)
    expect(text).not.toHaveBeenCalled()
    expect(codes(result)).toEqual(['FILE_TOO_LARGE'])
    expect(result.diagnostics[0]?.message).toBe(
      '“movie.mp4” is over 5.0 MB; a graph is at most 5.0 MB. Is it really a Latent Lab graph?',
    )
    const huge = await readGraphFile(new Blob([new Uint8Array(12_345_678)]), testRegistry)
    expect(huge.diagnostics[0]?.message).toMatch(/^This file is 12\.3 MB;/)
  })

  it('gives the loader’s messages for malformed, foreign and newer files', async () => {
    const read = (text: string) => readGraphFile(new Blob([text]), testRegistry)
    expect(codes(await read('{"format": "latent-lab.graph",'))).toEqual(['INVALID_JSON'])
    expect(codes(await read('{"type": "excalidraw"}'))).toEqual(['NOT_A_GRAPH'])
    const newer = { ...sample(), schemaVersion: 99 }
    expect(codes(await read(JSON.stringify(newer)))).toEqual(['NEWER_SCHEMA_VERSION'])
    const unknown = sample()
    unknown.nodes.push({
      id: 'u',
      type: 'x.unknown',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    })
    const placeholders = await read(JSON.stringify(unknown))
    expect(placeholders.ok).toBe(true)
    expect(codes(placeholders)).toEqual(['UNKNOWN_NODE_TYPE'])
  })

  it('reports a file that cannot be read', async () => {
    const file = new File(['{}'], 'gone.json')
    vi.spyOn(file, 'text').mockRejectedValue(
      new DOMException('The file was moved.', 'NotReadableError'),
    )
    const result = await readGraphFile(file, testRegistry)
    expect(result.diagnostics[0]?.message).toBe(
      '“gone.json” could not be read (The file was moved.); it may have been moved or deleted.',
    )
  })
})

describe('paste', () => {
  it('reads pasted JSON, a pasted share URL and a pasted fragment', async () => {
    const document = sample('Pasted')
    const fragment = await encodeShareFragment(document)
    for (const text of [
      exportFileText(document),
      `  https://lab.example/app/${fragment}\n`,
      fragment,
    ]) {
      expect(looksLikeGraph(text)).toBe(true)
      const result = await readPastedGraph(text, testRegistry)
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
      expect(serializeDocument(result.document)).toBe(serializeDocument(document))
    }
  })

  it('leaves ordinary text alone and explains a broken paste', async () => {
    for (const text of ['hello', 'https://example.com/#top', '{"a": 1}', '']) {
      expect(looksLikeGraph(text), text).toBe(false)
    }
    expect(
      codes(await readPastedGraph('https://lab.example/#graph=v1.AAAA', testRegistry)),
    ).toEqual(['SCHEMA_INVALID'])
  })
})
