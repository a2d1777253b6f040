/**
 * The run controller: the one place that drives the training worker for the UI (DESIGN §7).
 * It opens the current document in the worker, trains, pauses, resumes, steps (all optimizers
 * or one), stops; turns worker events into the run view (`runReducer`) and the live metric
 * table; and records every run, its points and its latest checkpoint in IndexedDB
 * (`runStore`), so a run resumes after a reload and stays in the history.
 *
 * No React and no TF.js: the worker API and the database are passed in, so Node tests drive
 * it with a real training session on the CPU backend and fake-indexeddb.
 */
import type { GraphDocument } from '../../graph-core/document'
import { serializeDocument } from '../../graph-core/document'
import type { ViewData } from '../../graph-core/nodeDefinition'
import type { NodeRegistry } from '../../graph-core/registry'
import type {
  MetricPoint,
  OpenResult,
  RunOptions,
  TrainingEvent,
  TrainingWorkerApi,
  ViewRequestOptions,
  WeightsArtifact,
} from '../../workers/trainingWorkerApi'
import type { LabDatabase, RunRecord } from '../storage/labDatabase'
import { graphKey, isSameTraining } from './graphSnapshot'
import { MetricTable, pointValues } from './metricTable'
import {
  INITIAL_RUN_VIEW,
  reduceRun,
  type ResumeOffer,
  type RunAction,
  type RunView,
} from './runReducer'
import {
  createRun,
  createRunRecorder,
  findResumableRun,
  getRun,
  latestCheckpoint,
  toTrainingCheckpoint,
  truncateRunPoints,
  updateRun,
  type RunRecorder,
  type StoredPoint,
} from './runStore'

/** What the controller needs of the worker (a comlink remote in the app, a session in tests). */
export type RunWorker = Pick<
  TrainingWorkerApi,
  | 'open'
  | 'train'
  | 'pause'
  | 'resume'
  | 'step'
  | 'stepOptimizer'
  | 'stop'
  | 'exportWeights'
  | 'checkpoint'
  | 'restore'
  | 'requestView'
>

/** A checkpoint every this many steps by default: a reload loses at most this much. */
export const DEFAULT_CHECKPOINT_EVERY = 50

/** The settings a run is started with; kept in `RunRecord.params`. */
export interface RunSettings {
  /** Train up to this step; unbounded when undefined. */
  maxSteps?: number
  /** A checkpoint every this many steps (and on pause); the controller's default otherwise. */
  checkpointEvery?: number
}

export interface RunControllerOptions {
  /** Where runs are kept; without it nothing is stored (IndexedDB missing) and nothing resumes. */
  db?: LabDatabase
  /** Fills param defaults when graphs are compared (the loader fills them on reopening). */
  registry?: NodeRegistry
  /** Wraps the event callback handed to the worker (comlink's `proxy` in the app). */
  wrapListener?: (listener: (event: TrainingEvent) => void) => (event: TrainingEvent) => void
  newId?: () => string
  now?: () => number
  checkpointEvery?: number
  /** How often points alone are written to IndexedDB (a checkpoint is written at once). */
  pointsIntervalMs?: number
  /**
   * Listeners hear of new metrics at most this often (default 500 ms: the dock renders
   * twice a second however fast the run goes); state changes at once.
   */
  quietIntervalMs?: number
}

export interface RunController {
  getView: () => RunView
  /** Called after the view or the metric table changes (coalesced to one call per task). */
  subscribe: (listener: () => void) => () => void
  /** The live run's metrics; charts read it when they redraw. */
  readonly table: MetricTable
  /** Hands the controller a worker proven on `backend`, or takes it away (`undefined`). */
  attach(worker: RunWorker | undefined, backend?: string): void
  /** A new run of the document: compile in the worker, then train. */
  train(document: GraphDocument, settings?: RunSettings): Promise<void>
  pause(): Promise<void>
  resume(): Promise<void>
  /** One iteration; from idle (or after a run) it opens a new run first. */
  step(document: GraphDocument, settings?: RunSettings): Promise<void>
  /** One optimizer's phase alone (GAN Lab's "train D only"); the step count does not move. */
  stepOptimizer(document: GraphDocument, optimizer: string, settings?: RunSettings): Promise<void>
  stop(): Promise<void>
  /** Continues a stored run from its checkpoint: same graph, restored state, then train. */
  resumeRun(runId: string): Promise<void>
  /** Looks for a stored run this document (or, on an empty canvas, any graph) can resume. */
  refreshResumeOffer(document: GraphDocument): Promise<void>
  /** The graph a stored run trained, as it was. */
  storedGraph(runId: string): Promise<GraphDocument | undefined>
  exportWeights(): Promise<WeightsArtifact[]>
  /**
   * A view node's data on held-out data now, from the open run (rejects without one), with the
   * latent tools' picks when given.
   */
  requestView(nodeId: string, options?: ViewRequestOptions): Promise<ViewData>
  /** Shows a sentence in the dock until the next action (undefined clears it). */
  setNotice(notice: string | undefined): void
  /** Resolves when every point and checkpoint received so far is in IndexedDB. */
  flush(): Promise<void>
}

/** A worker point as stored: `time` in milliseconds since the run was created. */
export function storedPoint(point: MetricPoint, runCreatedAt: number): StoredPoint {
  return { step: point.step, time: point.time - runCreatedAt, values: pointValues(point) }
}

interface ActiveRun {
  record: RunRecord
  recorder: RunRecorder | undefined
  /** Stop was pressed: a `finished` event then means stopped, not done. */
  isStopRequested: boolean
}

type Listener = (event: TrainingEvent) => void

const asIs = (listener: Listener): Listener => listener

export function createRunController(options: RunControllerOptions = {}): RunController {
  const {
    db,
    registry,
    wrapListener = asIs,
    newId = () => crypto.randomUUID(),
    now = () => Date.now(),
    checkpointEvery = DEFAULT_CHECKPOINT_EVERY,
    pointsIntervalMs,
    quietIntervalMs = 500,
  } = options
  const table = new MetricTable()
  let view: RunView = INITIAL_RUN_VIEW
  let worker: RunWorker | undefined
  let active: ActiveRun | undefined
  const listeners = new Set<() => void>()

  // Listeners hear of a metrics batch at most every `quietIntervalMs` (the dock re-renders and
  // charts redraw then), of anything else (started, paused, failed, busy…) at once.
  let isNotifyQueued = false
  let lastNotified = Number.NEGATIVE_INFINITY
  let quietTimer: ReturnType<typeof setTimeout> | undefined

  function notifyNow(): void {
    if (quietTimer !== undefined) clearTimeout(quietTimer)
    quietTimer = undefined
    lastNotified = performance.now()
    for (const listener of listeners) listener()
  }

  function notify(isUrgent = true): void {
    if (isUrgent) {
      // Events come in bursts (paused after checkpoint): one render for the lot.
      if (isNotifyQueued) return
      isNotifyQueued = true
      queueMicrotask(() => {
        isNotifyQueued = false
        notifyNow()
      })
      return
    }
    if (isNotifyQueued || quietTimer !== undefined) return
    const wait = lastNotified + quietIntervalMs - performance.now()
    if (wait <= 0) notify(true)
    else quietTimer = setTimeout(notifyNow, wait)
  }

  function dispatch(action: RunAction): void {
    const next = reduceRun(view, action)
    if (next === view) return
    const isQuiet =
      action.type === 'worker' &&
      (action.event.type === 'metrics' ||
        action.event.type === 'memory' ||
        action.event.type === 'checkpoint') &&
      next.state === view.state
    view = next
    notify(!isQuiet)
  }

  const reportStorage = (error: Error) => {
    dispatch({ type: 'notice', notice: error.message })
  }

  function settle(promise: Promise<unknown>, action: string): void {
    promise.catch((cause: unknown) => {
      dispatch({ type: 'settled' })
      const detail = cause instanceof Error ? cause.message : String(cause)
      dispatch({ type: 'notice', notice: `Could not ${action}: ${detail}` })
    })
  }

  function finalMetrics(): Record<string, number> {
    return { ...table.latestAll(), step: view.step }
  }

  function persistStatus(run: ActiveRun, changes: Parameters<typeof updateRun>[2]): void {
    if (db === undefined) return
    updateRun(db, run.record.id, changes).catch(reportStorage)
  }

  function onEvent(run: ActiveRun, event: TrainingEvent): void {
    if (active !== run) return // a run this tab has moved on from
    switch (event.type) {
      case 'metrics':
        table.append(event.points)
        run.recorder?.addPoints(
          event.points.map((point) => storedPoint(point, run.record.createdAt)),
        )
        break
      case 'checkpoint':
        run.recorder?.setCheckpoint(event.checkpoint)
        break
      case 'started':
        persistStatus(run, { status: 'running' })
        break
      case 'paused':
        persistStatus(run, { status: 'paused', finalMetrics: finalMetrics() })
        break
      case 'finished':
        persistStatus(run, {
          status: run.isStopRequested ? 'stopped' : 'finished',
          finishedAt: now(),
          finalMetrics: { ...finalMetrics(), step: event.step },
        })
        break
      case 'failed':
        persistStatus(run, {
          status: 'failed',
          finishedAt: now(),
          finalMetrics: finalMetrics(),
          message: event.message,
        })
        break
      default:
        break
    }
    dispatch({ type: 'worker', event })
  }

  function requireWorker(): RunWorker {
    if (worker === undefined) throw new Error('the training worker is not ready')
    return worker
  }

  function runOptions(document: GraphDocument, settings: RunSettings): RunOptions {
    return {
      seed: document.seed,
      checkpointEvery: settings.checkpointEvery ?? checkpointEvery,
      ...(settings.maxSteps === undefined ? {} : { maxSteps: settings.maxSteps }),
    }
  }

  /** Opens `document` in the worker as `record`'s run; undefined when it did not compile. */
  async function open(
    api: RunWorker,
    record: RunRecord,
    document: GraphDocument,
    settings: RunSettings,
  ): Promise<{ run: ActiveRun; result: OpenResult } | undefined> {
    const run: ActiveRun = { record, recorder: undefined, isStopRequested: false }
    // Events of the previous run are ignored from here on.
    active = run
    const listener = wrapListener((event) => {
      onEvent(run, event)
    })
    const result = await api.open(document, runOptions(document, settings), listener)
    if (active !== run) return undefined
    if (!result.ok) {
      active = undefined
      const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
      const count = errors.length
      dispatch({
        type: 'openFailed',
        message: `The graph did not compile: ${count} error${count === 1 ? '' : 's'}${count > 0 ? ' (select one to see its node)' : ''}.`,
        diagnostics: result.diagnostics,
      })
      return undefined
    }
    return { run, result }
  }

  /** A new run of the document, open and paused at step 0; undefined when it did not compile. */
  async function openNewRun(
    document: GraphDocument,
    settings: RunSettings,
    status: 'running' | 'paused',
  ): Promise<ActiveRun | undefined> {
    const api = requireWorker()
    const record: RunRecord = {
      id: newId(),
      graphId: graphKey(document, registry),
      createdAt: now(),
      backend: view.backend ?? 'unknown',
      graphJson: serializeDocument(document, 0),
      params: {
        checkpointEvery,
        ...settings,
        seed: document.seed,
        graphName: document.name,
      },
      status,
    }
    const opened = await open(api, record, document, settings)
    if (opened === undefined) return undefined
    const { run, result } = opened
    table.clear()
    if (db !== undefined) {
      run.recorder = createRunRecorder(db, record.id, {
        onError: reportStorage,
        ...(pointsIntervalMs === undefined ? {} : { pointsIntervalMs }),
      })
      createRun(db, record).catch(reportStorage)
    }
    dispatch({
      type: 'opened',
      runId: record.id,
      step: 0,
      phases: result.phases.map(({ optimizer, lossNode, lossPort }) => ({
        optimizer,
        lossNode,
        lossPort,
      })),
      diagnostics: result.diagnostics,
      maxSteps: settings.maxSteps,
    })
    return run
  }

  async function stepWith(
    document: GraphDocument,
    settings: RunSettings,
    take: (api: RunWorker) => Promise<unknown>,
  ): Promise<void> {
    const api = requireWorker()
    dispatch({ type: 'busy' })
    try {
      if (view.state !== 'paused' || active === undefined) {
        const run = await openNewRun(document, settings, 'paused')
        if (run === undefined) return
      }
      const run = active
      await take(api)
      // A step by hand is a place to resume from too.
      if (run !== undefined && active === run && view.state === 'paused') {
        const checkpoint = await api.checkpoint()
        run.recorder?.setCheckpoint(checkpoint)
        dispatch({ type: 'worker', event: { type: 'checkpoint', checkpoint } })
        persistStatus(run, { status: 'paused', finalMetrics: finalMetrics() })
      }
    } finally {
      dispatch({ type: 'settled' })
    }
  }

  return {
    table,
    getView: () => view,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    attach(next, backend) {
      if (next === worker) return
      worker = next
      const run = active
      active = undefined
      if (run !== undefined) {
        // The old worker is gone with its run; what it stored stays resumable.
        void run.recorder?.flush()
      }
      dispatch({ type: 'idle' })
      if (backend !== undefined) view = { ...view, backend }
      notify()
    },

    async train(document, settings = {}) {
      const api = requireWorker()
      dispatch({ type: 'busy' })
      try {
        const run = await openNewRun(document, settings, 'running')
        if (run === undefined) return
        settle(api.train(), 'train')
      } catch (cause) {
        dispatch({ type: 'settled' })
        throw cause
      }
    },

    async pause() {
      await requireWorker().pause()
    },

    resume() {
      // `train`, not `resume`: a run opened by a step by hand is ready, not paused, in the
      // worker, and `train` continues both.
      settle(requireWorker().train(), 'resume')
      return Promise.resolve()
    },

    step(document, settings = {}) {
      return stepWith(document, settings, (api) => api.step())
    },

    stepOptimizer(document, optimizer, settings = {}) {
      return stepWith(document, settings, (api) => api.stepOptimizer(optimizer))
    },

    async stop() {
      if (active !== undefined) active.isStopRequested = true
      await requireWorker().stop()
      await active?.recorder?.flush()
    },

    async resumeRun(runId) {
      const api = requireWorker()
      if (db === undefined) throw new Error('runs cannot be resumed without browser storage')
      dispatch({ type: 'busy' })
      try {
        const record = await getRun(db, runId)
        const stored = await latestCheckpoint(db, runId)
        if (record === undefined || stored === undefined) {
          dispatch({ type: 'settled' })
          dispatch({ type: 'notice', notice: 'That run has no checkpoint to resume from.' })
          return
        }
        const document = JSON.parse(record.graphJson) as GraphDocument
        const { maxSteps, checkpointEvery: every } = record.params
        const settings: RunSettings = {
          ...(typeof maxSteps === 'number' ? { maxSteps } : {}),
          ...(typeof every === 'number' ? { checkpointEvery: every } : {}),
        }
        const opened = await open(api, record, document, settings)
        if (opened === undefined) return
        const { run, result } = opened
        await api.restore(toTrainingCheckpoint(stored))
        const { points, cursor } = await truncateRunPoints(db, runId, stored.step)
        table.clear()
        for (const point of points) table.appendRow(point.step, point.values)
        run.recorder = createRunRecorder(db, runId, {
          cursor,
          onError: reportStorage,
          ...(pointsIntervalMs === undefined ? {} : { pointsIntervalMs }),
        })
        dispatch({
          type: 'opened',
          runId,
          step: stored.step,
          phases: result.phases.map(({ optimizer, lossNode, lossPort }) => ({
            optimizer,
            lossNode,
            lossPort,
          })),
          diagnostics: result.diagnostics,
          maxSteps: settings.maxSteps,
        })
        dispatch({ type: 'resumeOffer', offer: undefined })
        settle(api.train(), 'train')
      } catch (cause) {
        dispatch({ type: 'settled' })
        throw cause
      }
    },

    async refreshResumeOffer(document) {
      if (db === undefined) return
      if (active !== undefined && (view.state === 'running' || view.state === 'paused')) {
        if (view.resumeOffer !== undefined) dispatch({ type: 'resumeOffer', offer: undefined })
        return
      }
      let offer: ResumeOffer | undefined
      const same = await findResumableRun(db, graphKey(document, registry))
      if (same !== undefined) {
        const snapshot = JSON.parse(same.run.graphJson) as GraphDocument
        if (isSameTraining(snapshot, document, registry)) {
          offer = {
            runId: same.run.id,
            step: same.step,
            graphName: snapshot.name,
            isSameGraph: true,
          }
        }
      }
      if (offer === undefined && document.nodes.length === 0) {
        const any = await findResumableRun(db)
        if (any !== undefined) {
          const snapshot = JSON.parse(any.run.graphJson) as GraphDocument
          offer = {
            runId: any.run.id,
            step: any.step,
            graphName: snapshot.name,
            isSameGraph: false,
          }
        }
      }
      // The run may have started while the database answered.
      if (view.isBusy || view.state === 'running' || view.state === 'paused') offer = undefined
      const current = view.resumeOffer
      if (
        current?.runId !== offer?.runId ||
        current?.step !== offer?.step ||
        current?.isSameGraph !== offer?.isSameGraph
      ) {
        dispatch({ type: 'resumeOffer', offer })
      }
    },

    async storedGraph(runId) {
      if (db === undefined) return undefined
      const record = await getRun(db, runId)
      return record === undefined ? undefined : (JSON.parse(record.graphJson) as GraphDocument)
    },

    exportWeights() {
      return requireWorker().exportWeights()
    },

    requestView(nodeId, options) {
      if (active === undefined) return Promise.reject(new Error('no run is open'))
      return requireWorker().requestView(nodeId, options)
    },

    setNotice(notice) {
      dispatch({ type: 'notice', notice })
    },

    async flush() {
      await active?.recorder?.flush()
    },
  }
}
