import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createLabDatabase,
  LAB_DATABASE_NAME,
  LAB_SCHEMA_VERSIONS,
  type LabDatabase,
  type LabSchemaVersion,
} from './labDatabase'

const databases: LabDatabase[] = []

function open(indexedDB = new IDBFactory(), versions?: readonly LabSchemaVersion[]) {
  const db = createLabDatabase(LAB_DATABASE_NAME, {
    indexedDB,
    IDBKeyRange,
    ...(versions === undefined ? {} : { versions }),
  })
  databases.push(db)
  return db
}

afterEach(() => {
  for (const db of databases.splice(0)) db.close()
})

describe('schema', () => {
  it('keeps version 1 exactly as released (append a version instead of editing it)', () => {
    expect(LAB_SCHEMA_VERSIONS[0]).toEqual({
      version: 1,
      stores: {
        graphs: 'id, name, updatedAt, deletedAt',
        graphRevisions: '++id, graphId, [graphId+createdAt]',
        runs: 'id, graphId, createdAt',
        runMetrics: '[runId+chunk], runId',
        checkpoints: '[runId+step], runId',
        datasets: 'id, name, createdAt',
        settings: 'key',
      },
    })
    const numbers = LAB_SCHEMA_VERSIONS.map((step) => step.version)
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    expect(new Set(numbers).size).toBe(numbers.length)
  })

  it('opens with every table', async () => {
    const db = open()
    await db.open()
    expect(db.name).toBe('latent-lab')
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'checkpoints',
      'datasets',
      'graphRevisions',
      'graphs',
      'runMetrics',
      'runs',
      'settings',
    ])
  })

  it('steps a version-1 database up to a later version with its upgrade', async () => {
    const indexedDB = new IDBFactory()
    const v1 = open(indexedDB)
    await v1.runs.put({
      id: 'r1',
      graphId: 'g',
      createdAt: 1,
      backend: 'wasm',
      graphJson: '{}',
      params: {},
      status: 'finished',
    })
    v1.close()

    const version2: LabSchemaVersion = {
      version: 2,
      stores: { runs: 'id, graphId, createdAt, status' },
      upgrade: async (transaction) => {
        await transaction
          .table('runs')
          .toCollection()
          .modify((run: Record<string, unknown>) => {
            run.params = { ...(run.params as object), upgraded: true }
          })
      },
    }
    const v2 = open(indexedDB, [...LAB_SCHEMA_VERSIONS, version2])
    expect(await v2.runs.where('status').equals('finished').toArray()).toMatchObject([
      { id: 'r1', params: { upgraded: true } },
    ])
    expect(v2.verno).toBe(2)
  })
})

describe('tables', () => {
  it('stores runs, metric chunks in order, checkpoints with typed arrays, datasets and settings', async () => {
    const db = open()
    await db.runs.put({
      id: 'run',
      graphId: 'g',
      createdAt: 5,
      backend: 'webgpu',
      graphJson: '{"format":"latent-lab.graph"}',
      params: { steps: 100 },
      status: 'running',
    })
    await db.runs.update('run', { status: 'finished', finalMetrics: { 'loss/opt': 0.25 } })
    expect(await db.runs.where('graphId').equals('g').first()).toMatchObject({
      status: 'finished',
      finalMetrics: { 'loss/opt': 0.25 },
    })

    for (const chunk of [2, 0, 1]) {
      await db.runMetrics.put({
        runId: 'run',
        chunk,
        points: [{ step: chunk * 10, time: chunk, values: { loss: 1 / (chunk + 1) } }],
      })
    }
    await db.runMetrics.put({ runId: 'other', chunk: 0, points: [] })
    const chunks = await db.runMetrics.where('runId').equals('run').sortBy('chunk')
    expect(chunks.map((chunk) => chunk.points[0]?.step)).toEqual([0, 10, 20])
    expect(await db.runMetrics.get(['run', 1])).toMatchObject({ chunk: 1 })

    const weights = new Float32Array([0.5, -1.25, 3])
    await db.checkpoints.put({
      runId: 'run',
      step: 100,
      createdAt: 9,
      state: { variables: { 'enc/kernel': { shape: [3], data: weights } }, step: 100 },
    })
    const checkpoint = await db.checkpoints.get(['run', 100])
    const variables = checkpoint?.state.variables as Record<string, { data: Float32Array }>
    expect(variables['enc/kernel']?.data).toBeInstanceOf(Float32Array)
    expect(Array.from(variables['enc/kernel']?.data ?? [])).toEqual([0.5, -1.25, 3])

    const pixels = new Uint8Array([0, 128, 255, 7])
    await db.datasets.bulkPut([
      {
        id: 'blob',
        name: 'Faces',
        createdAt: 1,
        width: 2,
        height: 2,
        channels: 1,
        labels: ['a'],
        countsPerLabel: [1],
        pixels: new Blob([pixels]),
      },
      {
        id: 'buffer',
        name: 'Digits',
        createdAt: 2,
        width: 2,
        height: 2,
        channels: 1,
        labels: ['0'],
        countsPerLabel: [1],
        pixels: pixels.buffer,
      },
    ])
    const fromBlob = await db.datasets.get('blob')
    const fromBuffer = await db.datasets.get('buffer')
    expect(fromBlob?.pixels).toBeInstanceOf(Blob)
    if (fromBlob?.pixels instanceof Blob) {
      expect(Array.from(new Uint8Array(await fromBlob.pixels.arrayBuffer()))).toEqual([
        0, 128, 255, 7,
      ])
    }
    expect(fromBuffer?.pixels).toBeInstanceOf(ArrayBuffer)

    await db.settings.put({ key: 'theme', value: { mode: 'dark' } })
    expect(await db.settings.get('theme')).toEqual({ key: 'theme', value: { mode: 'dark' } })
  })
})
