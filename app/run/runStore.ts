/**
 * Runs in the browser database (DESIGN §8, issue #6): every run with its graph snapshot,
 * backend, options, status and final metrics (`runs`), its metric points in chunks
 * (`runMetrics`), and its latest checkpoint (`checkpoints`), so a run survives a reload and can
 * be compared later. Headless (Dexie only); the run controller calls it, Node tests use
 * fake-indexeddb. Every function rejects with a StorageError whose message can be shown.
 */
import type { ProgramState, TrainingCheckpoint } from '../../workers/trainingWorkerApi'
import type {
  CheckpointRecord,
  LabDatabase,
  MetricPoint as StoredPoint,
  RunRecord,
  RunMetricsChunk,
  RunStatus,
} from '../storage/labDatabase'
import { toStorageError } from '../storage/storageError'

export type { StoredPoint }

/** At most this many points per `runMetrics` row. */
export const CHUNK_POINTS = 1000

/** Statuses of a run that can go on: the tab that ran it closed or reloaded meanwhile. */
const UNFINISHED: readonly RunStatus[] = ['running', 'paused']

async function guarded<T>(action: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (cause) {
    throw toStorageError(cause, action)
  }
}

/** Files a new run. */
export function createRun(db: LabDatabase, run: RunRecord): Promise<void> {
  return guarded('saving the run', async () => {
    await db.runs.add(run)
  })
}

/** Changes a run's status, final metrics or message. */
export function updateRun(
  db: LabDatabase,
  id: string,
  changes: Partial<Pick<RunRecord, 'status' | 'finishedAt' | 'finalMetrics' | 'message'>>,
): Promise<void> {
  return guarded('updating the run', async () => {
    await db.runs.update(id, changes)
  })
}

/**
 * Adds metrics to a run's final metrics, keeping the others (a view's numbers beside the
 * losses the controller wrote when the run ended). Read and write in one transaction.
 */
export function addFinalMetrics(
  db: LabDatabase,
  id: string,
  metrics: Readonly<Record<string, number>>,
): Promise<void> {
  return guarded('updating the run', () =>
    db.transaction('rw', db.runs, async () => {
      const record = await db.runs.get(id)
      if (record === undefined) return
      await db.runs.update(id, { finalMetrics: { ...record.finalMetrics, ...metrics } })
    }),
  )
}

export function getRun(db: LabDatabase, id: string): Promise<RunRecord | undefined> {
  return guarded('reading the run', () => db.runs.get(id))
}

/** Every run, newest first. */
export function listRuns(db: LabDatabase): Promise<RunRecord[]> {
  return guarded('listing the runs', () => db.runs.orderBy('createdAt').reverse().toArray())
}

/** A run's stored points, oldest first. */
export function loadRunPoints(db: LabDatabase, runId: string): Promise<StoredPoint[]> {
  return guarded('reading the run’s metrics', async () => {
    const chunks = await db.runMetrics.where('runId').equals(runId).sortBy('chunk')
    return chunks.flatMap((chunk) => chunk.points)
  })
}

/** A run's checkpoint as the worker's `restore` takes it. */
export function toTrainingCheckpoint(record: CheckpointRecord): TrainingCheckpoint {
  return {
    step: record.step,
    // Stored as it came from the worker (see `saveProgress`); IndexedDB cloned it back.
    state: record.state as unknown as ProgramState,
    savedAt: record.createdAt,
  }
}

/** The run's newest checkpoint (a run keeps only one). */
export function latestCheckpoint(
  db: LabDatabase,
  runId: string,
): Promise<CheckpointRecord | undefined> {
  return guarded('reading the checkpoint', async () => {
    const records = await db.checkpoints.where('runId').equals(runId).sortBy('step')
    return records.at(-1)
  })
}

/** A run that can be resumed and the step its checkpoint is at. */
export interface ResumableRun {
  run: RunRecord
  step: number
}

/**
 * The newest unfinished run with a checkpoint, of one graph (its `graphKey`) or of any.
 * Unfinished means running or paused when the tab went away.
 */
export function findResumableRun(
  db: LabDatabase,
  graphId?: string,
): Promise<ResumableRun | undefined> {
  return guarded('looking for a run to resume', async () => {
    const collection =
      graphId === undefined ? db.runs.toCollection() : db.runs.where('graphId').equals(graphId)
    const runs = (await collection.toArray())
      .filter((run) => UNFINISHED.includes(run.status))
      .sort((a, b) => b.createdAt - a.createdAt)
    for (const run of runs) {
      const keys = await db.checkpoints.where('runId').equals(run.id).primaryKeys()
      const steps = keys.map(([, step]) => step)
      if (steps.length > 0) return { run, step: Math.max(...steps) }
    }
    return undefined
  })
}

/** Removes runs with their metrics and checkpoints. */
export function deleteRuns(db: LabDatabase, ids: readonly string[]): Promise<void> {
  return guarded('deleting runs', () =>
    db.transaction('rw', [db.runs, db.runMetrics, db.checkpoints], async () => {
      await db.runs.bulkDelete([...ids])
      await db.runMetrics
        .where('runId')
        .anyOf([...ids])
        .delete()
      await db.checkpoints
        .where('runId')
        .anyOf([...ids])
        .delete()
    }),
  )
}

/** Where a run's next points go: the next chunk number. */
export interface ChunkCursor {
  chunk: number
}

/**
 * Cuts a run's stored points back to `step` (a resumed run redoes what came after its
 * checkpoint) and returns them with where the next points go. One transaction.
 */
export function truncateRunPoints(
  db: LabDatabase,
  runId: string,
  step: number,
): Promise<{ points: StoredPoint[]; cursor: ChunkCursor }> {
  return guarded('preparing the run to resume', () =>
    db.transaction('rw', [db.runMetrics], async () => {
      const chunks = await db.runMetrics.where('runId').equals(runId).sortBy('chunk')
      const points = chunks.flatMap((chunk) => chunk.points).filter((point) => point.step <= step)
      await db.runMetrics.where('runId').equals(runId).delete()
      const rows: RunMetricsChunk[] = []
      for (let start = 0; start < points.length; start += CHUNK_POINTS) {
        rows.push({ runId, chunk: rows.length, points: points.slice(start, start + CHUNK_POINTS) })
      }
      if (rows.length > 0) await db.runMetrics.bulkPut(rows)
      return { points, cursor: { chunk: rows.length } }
    }),
  )
}

/** What one write holds: chunks to put, and the checkpoint that replaces the run's older ones. */
interface Progress {
  chunks: RunMetricsChunk[]
  checkpoint?: CheckpointRecord
}

function saveProgress(db: LabDatabase, runId: string, progress: Progress): Promise<void> {
  return guarded('saving the run’s progress', () =>
    db.transaction('rw', [db.runMetrics, db.checkpoints], async () => {
      if (progress.chunks.length > 0) await db.runMetrics.bulkPut(progress.chunks)
      const { checkpoint } = progress
      if (checkpoint === undefined) return
      await db.checkpoints.put(checkpoint)
      // One checkpoint per run: resuming needs only the newest, and each holds every weight.
      await db.checkpoints
        .where('runId')
        .equals(runId)
        .filter((record) => record.step !== checkpoint.step)
        .delete()
    }),
  )
}

/** Writes a run's points and checkpoints as they arrive, without blocking the caller. */
export interface RunRecorder {
  readonly runId: string
  addPoints(points: readonly StoredPoint[]): void
  /** Written soon; a newer one given before the write starts replaces it. */
  setCheckpoint(checkpoint: TrainingCheckpoint): void
  /** Resolves when everything given so far is written (or the write failed). */
  flush(): Promise<void>
  /** The last write failure, cleared by the next write that succeeds. */
  readonly error: Error | undefined
}

export interface RunRecorderOptions {
  /** Where the next points go; a new run starts at chunk 0. */
  cursor?: ChunkCursor
  /** Points alone are written at most this often; a checkpoint is written at once. */
  pointsIntervalMs?: number
  onError?: (error: Error) => void
}

/**
 * A recorder for one run. Points are appended as new chunks (each write adds a row with the
 * points since the last one, never rewriting old rows, so a write costs what it adds). Writes
 * never overlap and coalesce: while one is in flight, points pile up and only the newest
 * checkpoint waits. The points up to a checkpoint go in the same transaction as the
 * checkpoint (the worker sends them first), so a resumed run's stored curve always reaches
 * its checkpoint's step.
 */
export function createRunRecorder(
  db: LabDatabase,
  runId: string,
  { cursor, pointsIntervalMs = 1000, onError }: RunRecorderOptions = {},
): RunRecorder {
  let chunk = cursor?.chunk ?? 0
  let pending: StoredPoint[] = []
  let checkpoint: CheckpointRecord | undefined
  let inFlight: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastError: Error | undefined

  const hasWork = () => pending.length > 0 || checkpoint !== undefined

  function start(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (inFlight !== undefined || !hasWork()) return
    const chunks: RunMetricsChunk[] = []
    for (let index = 0; index < pending.length; index += CHUNK_POINTS) {
      chunks.push({ runId, chunk: chunk++, points: pending.slice(index, index + CHUNK_POINTS) })
    }
    const progress: Progress = {
      chunks,
      ...(checkpoint === undefined ? {} : { checkpoint }),
    }
    pending = []
    checkpoint = undefined
    inFlight = saveProgress(db, runId, progress)
      .then(
        () => {
          lastError = undefined
        },
        (cause: unknown) => {
          lastError = cause instanceof Error ? cause : new Error(String(cause))
          onError?.(lastError)
        },
      )
      .finally(() => {
        inFlight = undefined
        schedule(checkpoint !== undefined)
      })
  }

  function schedule(isUrgent: boolean): void {
    if (inFlight !== undefined || !hasWork()) return
    if (isUrgent) start()
    else timer ??= setTimeout(start, pointsIntervalMs)
  }

  return {
    runId,
    get error() {
      return lastError
    },
    addPoints(points) {
      if (points.length === 0) return
      pending.push(...points)
      schedule(false)
    },
    setCheckpoint(next) {
      checkpoint = {
        runId,
        step: next.step,
        createdAt: next.savedAt,
        // Plain data with typed arrays: IndexedDB's structured clone keeps it as it is.
        state: next.state as unknown as Record<string, unknown>,
      }
      schedule(true)
    },
    async flush() {
      for (;;) {
        if (inFlight !== undefined) await inFlight
        else if (hasWork()) start()
        else return
      }
    },
  }
}
