import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CURRENT_SCHEMA_VERSION, serializeDocument, type GraphDocument } from './document'
import { loadDocument, migrateSchema } from './loader'
import { graph } from './testing/graphBuilder'
import { testRegistry } from './testing/testNodes'

const fixture = (version: number) =>
  readFileSync(new URL(`./fixtures/schema-v${version}.json`, import.meta.url), 'utf8')

const codes = (result: ReturnType<typeof loadDocument>) => result.diagnostics.map((d) => d.code)

function loaded(input: unknown): GraphDocument {
  const result = loadDocument(input, testRegistry)
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
  return result.document
}

describe('loadDocument: frozen fixtures', () => {
  for (let version = 1; version <= CURRENT_SCHEMA_VERSION; version++) {
    it(`keeps loading schema ${version}`, () => {
      const result = loadDocument(fixture(version), testRegistry)
      expect(result.ok).toBe(true)
      expect(result.diagnostics).toEqual([])
    })
  }

  it('round-trips through the serializer unchanged', () => {
    const document = loaded(fixture(1))
    expect(loaded(serializeDocument(document))).toEqual(document)
    expect(serializeDocument(loaded(serializeDocument(document)))).toBe(serializeDocument(document))
  })

  it('keeps unknown top-level and node fields', () => {
    const raw = JSON.parse(fixture(1)) as { nodes: Record<string, unknown>[] } & Record<
      string,
      unknown
    >
    raw.futureField = { keep: true }
    const [first] = raw.nodes
    if (first !== undefined) first.colour = 'teal'
    const document = loaded(raw) as Record<string, unknown> & { nodes: Record<string, unknown>[] }
    expect(document.futureField).toEqual({ keep: true })
    expect(document.nodes[0]?.colour).toBe('teal')
  })
})

describe('loadDocument: refusals with a clear message', () => {
  it.each([
    ['{"format": "latent-lab.graph", ', 'INVALID_JSON', /not valid JSON/],
    ['[1, 2]', 'NOT_A_GRAPH', /not a Latent Lab graph/],
    ['{"format": "excalidraw"}', 'NOT_A_GRAPH', /format "excalidraw"/],
    ['{"format": "latent-lab.graph"}', 'SCHEMA_INVALID', /schemaVersion/],
    [
      '{"format": "latent-lab.graph", "schemaVersion": 99, "nodes": []}',
      'NEWER_SCHEMA_VERSION',
      /newer Latent Lab \(schema 99\).*reads up to schema 1/,
    ],
    [
      '{"format": "latent-lab.graph", "schemaVersion": 1, "name": "x", "seed": 1, "nodes": [{"id": 3}], "edges": []}',
      'SCHEMA_INVALID',
      /damaged: nodes\.0\.id/,
    ],
  ])('%s → %s', (text, code, message) => {
    const result = loadDocument(text, testRegistry)
    expect(result.ok).toBe(false)
    expect(codes(result)).toEqual([code])
    expect(result.diagnostics[0]?.message).toMatch(message)
  })

  it('refuses a huge file before parsing it', () => {
    const result = loadDocument('x'.repeat(101), testRegistry, { maxLength: 100 })
    expect(codes(result)).toEqual(['FILE_TOO_LARGE'])
  })

  it('refuses duplicate node ids', () => {
    const document = graph().node('a', 'test.source').node('a', 'test.scale').build()
    expect(codes(loadDocument(document, testRegistry))).toEqual(['DUPLICATE_ID'])
  })
})

describe('loadDocument: nodes', () => {
  it('keeps an unknown node type as a placeholder with a diagnostic', () => {
    const document = graph().node('mystery', 'loss.fromTheFuture', { alpha: 3 }).build()
    const result = loadDocument(document, testRegistry)
    expect(result.ok).toBe(true)
    expect(codes(result)).toEqual(['UNKNOWN_NODE_TYPE'])
    expect(result.diagnostics[0]).toMatchObject({ node: 'mystery', severity: 'error' })
    if (result.ok) expect(result.document.nodes[0]).toEqual(document.nodes[0])
  })

  it('migrates params from the saved version and stamps the current one', () => {
    const document = graph().node('s', 'test.scale', { gain: 3 }).build()
    const [node] = loaded(document).nodes
    expect(node).toMatchObject({ typeVersion: 2, params: { factor: 3 } })
  })

  it('fills defaults and reports invalid params without changing them', () => {
    const document = graph().node('src', 'test.source', { width: -2 }).build()
    const result = loadDocument(document, testRegistry)
    expect(codes(result)).toEqual(['PARAM_INVALID'])
    expect(result.diagnostics[0]?.message).toMatch(/width must be at least 1/)
    if (result.ok) expect(result.document.nodes[0]?.params).toEqual({ width: -2, batchSize: 8 })
  })

  it('keeps a node from a newer node version as saved', () => {
    const document = graph().node('s', 'test.scale', { factor: 1 }, { typeVersion: 9 }).build()
    const result = loadDocument(document, testRegistry)
    expect(codes(result)).toEqual(['NEWER_NODE_VERSION'])
    if (result.ok) expect(result.document.nodes[0]).toEqual(document.nodes[0])
  })
})

describe('migrateSchema', () => {
  const migrations = [
    {
      name: 'RenameTitleToName',
      from: 1,
      migrate: ({ title, ...rest }: Record<string, unknown>) => ({ ...rest, name: title }),
    },
    {
      name: 'AddTags',
      from: 2,
      migrate: (raw: Record<string, unknown>) => ({ ...raw, tags: [String(raw.name)] }),
    },
  ]

  it('runs each step in order and stamps each version', () => {
    expect(migrateSchema({ schemaVersion: 1, title: 'GAN' }, 1, 3, migrations)).toEqual({
      raw: { schemaVersion: 3, name: 'GAN', tags: ['GAN'] },
    })
    expect(migrateSchema({ schemaVersion: 2, name: 'VAE' }, 2, 3, migrations)).toEqual({
      raw: { schemaVersion: 3, name: 'VAE', tags: ['VAE'] },
    })
  })

  it('reports a missing step and a throwing one', () => {
    expect(migrateSchema({}, 0, 3, migrations)).toMatchObject({
      diagnostic: { code: 'MIGRATION_FAILED', message: 'No migration from schema 0 to 1.' },
    })
    const broken = [
      {
        name: 'Explode',
        from: 1,
        migrate: () => {
          throw new Error('boom')
        },
      },
    ]
    expect(migrateSchema({}, 1, 2, broken)).toMatchObject({
      diagnostic: { message: 'Upgrading the graph from schema 1 failed (Explode: boom).' },
    })
  })
})

/** Deterministic mutations of a valid document: the loader must answer, never throw. */
describe('loadDocument: 1,000 mutated documents', () => {
  it('never throws and always says ok or why not', () => {
    let state = 12345
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      return state / 2 ** 32
    }
    const pick = <T>(items: readonly T[]): T | undefined =>
      items[Math.floor(random() * items.length)]
    const garbage = [
      null,
      0,
      -1,
      1e308,
      Number.NaN,
      '',
      'x',
      [],
      {},
      true,
      [1, 'a'],
      { a: { b: [] } },
    ]
    const base = JSON.parse(fixture(1)) as unknown

    const mutate = (value: unknown, depth: number): unknown => {
      if (depth > 0 && random() < 0.02) return pick(garbage)
      if (Array.isArray(value)) {
        const copy = value.map((item) => mutate(item, depth + 1))
        if (random() < 0.05) copy.push(pick(garbage))
        if (random() < 0.05) copy.pop()
        if (random() < 0.05 && copy.length > 0) copy.push(copy[0])
        return copy
      }
      if (value !== null && typeof value === 'object') {
        const copy: Record<string, unknown> = {}
        for (const [key, item] of Object.entries(value)) {
          if (random() < 0.02) continue
          copy[key] = mutate(item, depth + 1)
        }
        if (random() < 0.05)
          copy[String(pick(['__proto__', 'constructor', 'extra', 'id']))] = pick(garbage)
        return copy
      }
      return value
    }

    let accepted = 0
    for (let round = 0; round < 1000; round++) {
      const mutated = mutate(base, 0)
      let input: unknown = mutated
      if (round % 4 === 0) {
        const text = JSON.stringify(mutated)
        input = text.slice(0, Math.floor(random() * (text.length + 1)))
      }
      const result = loadDocument(input, testRegistry)
      if (result.ok) accepted++
      else expect(result.diagnostics.length).toBeGreaterThan(0)
      for (const diagnostic of result.diagnostics)
        expect(diagnostic.message.length).toBeGreaterThan(0)
    }
    // Both paths were exercised.
    expect(accepted).toBeGreaterThan(10)
    expect(accepted).toBeLessThan(990)
  })
})
