import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProgramState, TrainingCheckpoint } from '../../workers/trainingWorkerApi'
import { createLabDatabase, type LabDatabase, type RunRecord } from '../storage/labDatabase'
import {
  addFinalMetrics,
  CHUNK_POINTS,
  createRun,
  createRunRecorder,
  deleteRuns,
  findResumableRun,
  latestCheckpoint,
  listRuns,
  loadRunPoints,
  toTrainingCheckpoint,
  truncateRunPoints,
  updateRun,
  type StoredPoint,
} from './runStore'

const databases: LabDatabase[] = []

function open(): LabDatabase {
  const db = createLabDatabase('runs-test', { indexedDB: new IDBFactory(), IDBKeyRange })
  databases.push(db)
  return db
}

afterEach(() => {
  for (const db of databases.splice(0)) db.close()
})

const run = (id: string, createdAt: number, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  graphId: 'train:g',
  createdAt,
  backend: 'cpu',
  graphJson: '{}',
  params: {},
  status: 'running',
  ...extra,
})

const points = (from: number, to: number): StoredPoint[] =>
  Array.from({ length: to - from + 1 }, (_, index) => ({
    step: from + index,
    time: (from + index) * 10,
    values: { 'loss/opt': 1 / (from + index) },
  }))

const checkpoint = (step: number): TrainingCheckpoint => ({
  step,
  savedAt: 1000 + step,
  state: {
    schemaVersion: 1,
    step,
    runs: step,
    variables: { 'gen/w': { shape: [2], values: new Float32Array([step, -step]) } },
    optimizers: {},
  } satisfies ProgramState,
})

describe('runs', () => {
  it('files, updates, lists newest first and deletes with metrics and checkpoints', async () => {
    const db = open()
    await createRun(db, run('a', 1))
    await createRun(db, run('b', 2))
    await updateRun(db, 'a', { status: 'finished', finalMetrics: { 'loss/opt': 0.5 } })
    expect((await listRuns(db)).map((record) => [record.id, record.status])).toEqual([
      ['b', 'running'],
      ['a', 'finished'],
    ])
    const recorder = createRunRecorder(db, 'a')
    recorder.addPoints(points(1, 3))
    recorder.setCheckpoint(checkpoint(3))
    await recorder.flush()
    await deleteRuns(db, ['a'])
    expect((await listRuns(db)).map((record) => record.id)).toEqual(['b'])
    expect(await loadRunPoints(db, 'a')).toEqual([])
    expect(await latestCheckpoint(db, 'a')).toBeUndefined()
  })
})

describe('addFinalMetrics', () => {
  it('adds to the final metrics and keeps the others; a missing run is left alone', async () => {
    const db = open()
    await createRun(db, run('a', 1))
    await updateRun(db, 'a', { finalMetrics: { 'loss/opt': 0.5, step: 10 } })
    await addFinalMetrics(db, 'a', { 'verification/roc.auc': 0.9 })
    await addFinalMetrics(db, 'a', { 'verification/roc.auc': 0.95 })
    await addFinalMetrics(db, 'missing', { x: 1 })
    expect((await listRuns(db)).map((record) => [record.id, record.finalMetrics])).toEqual([
      ['a', { 'loss/opt': 0.5, step: 10, 'verification/roc.auc': 0.95 }],
    ])
  })
})

describe('the run recorder', () => {
  it('appends points as chunks and keeps only the newest checkpoint, typed arrays intact', async () => {
    const db = open()
    const recorder = createRunRecorder(db, 'r', { pointsIntervalMs: 5 })
    recorder.addPoints(points(1, CHUNK_POINTS + 10))
    recorder.setCheckpoint(checkpoint(50))
    recorder.setCheckpoint(checkpoint(100))
    await recorder.flush()
    recorder.addPoints(points(CHUNK_POINTS + 11, CHUNK_POINTS + 12))
    recorder.setCheckpoint(checkpoint(CHUNK_POINTS + 12))
    await recorder.flush()
    const stored = await loadRunPoints(db, 'r')
    expect(stored.map((point) => point.step)).toEqual(
      Array.from({ length: CHUNK_POINTS + 12 }, (_, index) => index + 1),
    )
    // A full chunk, the rest of the first write, then the second write: rows are never rewritten.
    expect(await db.runMetrics.count()).toBe(3)
    expect(await db.checkpoints.count()).toBe(1)
    const latest = await latestCheckpoint(db, 'r')
    expect(latest?.step).toBe(CHUNK_POINTS + 12)
    const restored = toTrainingCheckpoint(latest ?? expect.fail('no checkpoint'))
    const values = restored.state.variables['gen/w']?.values
    expect(values).toBeInstanceOf(Float32Array)
    expect([...(values ?? [])]).toEqual([CHUNK_POINTS + 12, -(CHUNK_POINTS + 12)])
    expect(recorder.error).toBeUndefined()
  })

  it('writes points alone after the interval', async () => {
    const db = open()
    const recorder = createRunRecorder(db, 'r', { pointsIntervalMs: 1 })
    recorder.addPoints(points(1, 5))
    await new Promise((resolve) => setTimeout(resolve, 50))
    await recorder.flush()
    expect(await loadRunPoints(db, 'r')).toHaveLength(5)
  })

  it('continues after the points a resume kept', async () => {
    const db = open()
    const first = createRunRecorder(db, 'r')
    first.addPoints(points(1, CHUNK_POINTS + 40))
    first.setCheckpoint(checkpoint(CHUNK_POINTS + 20))
    await first.flush()
    const { points: kept, cursor } = await truncateRunPoints(db, 'r', CHUNK_POINTS + 20)
    expect(kept.at(-1)?.step).toBe(CHUNK_POINTS + 20)
    expect(cursor).toEqual({ chunk: 2 })
    const second = createRunRecorder(db, 'r', { cursor })
    second.addPoints(points(CHUNK_POINTS + 21, CHUNK_POINTS + 30))
    await second.flush()
    const steps = (await loadRunPoints(db, 'r')).map((point) => point.step)
    expect(steps).toEqual(Array.from({ length: CHUNK_POINTS + 30 }, (_, index) => index + 1))
  })
})

describe('findResumableRun', () => {
  it('finds the newest running or paused run of a graph that has a checkpoint', async () => {
    const db = open()
    await createRun(db, run('old', 1, { status: 'paused' }))
    await createRun(db, run('done', 2, { status: 'finished' }))
    await createRun(db, run('noCheckpoint', 3))
    await createRun(db, run('other', 4, { graphId: 'train:other' }))
    for (const id of ['old', 'done', 'other']) {
      const recorder = createRunRecorder(db, id)
      recorder.setCheckpoint(checkpoint(50))
      await recorder.flush()
    }
    expect(await findResumableRun(db, 'train:g')).toMatchObject({ run: { id: 'old' }, step: 50 })
    expect(await findResumableRun(db)).toMatchObject({ run: { id: 'other' } })
    expect(await findResumableRun(db, 'train:none')).toBeUndefined()
  })
})
