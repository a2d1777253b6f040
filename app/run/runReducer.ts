/**
 * The run as the UI sees it, and how worker events and the controller's own steps change it:
 * a pure reducer, tested in Node. What the toolbar may do, the progress, the ETA and the
 * document title are derived from it here too.
 */
import type { Phase } from '../../graph-core/compiler'
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { TrainingEvent, TrainingHint } from '../../workers/trainingWorkerApi'
import type { RunState } from './statusText'

/** An optimizer phase as the dock shows it. */
export type PhaseInfo = Pick<Phase, 'optimizer' | 'lossNode' | 'lossPort'>

/** A stored run this tab can resume. */
export interface ResumeOffer {
  runId: string
  step: number
  graphName: string
  /** The run trained the graph on the canvas; otherwise resuming opens the run's graph. */
  isSameGraph: boolean
}

export interface RunView {
  state: RunState
  /** The controller is compiling, restoring or stepping: the controls wait. */
  isBusy: boolean
  runId: string | undefined
  /** Completed iterations. */
  step: number
  /** The TF.js backend the loop reported. */
  backend: string | undefined
  /** Smoothed over metrics batches while running. */
  stepsPerSecond: number
  maxSteps: number | undefined
  phases: PhaseInfo[]
  /** What compiling found; errors point at nodes. */
  diagnostics: Diagnostic[]
  hints: TrainingHint[]
  memory: { numTensors: number; numBytes: number } | undefined
  /** Why the run failed (a NaN names the loss in `diagnostic`). */
  failure: { message: string; diagnostic?: Diagnostic } | undefined
  /** The step of the newest checkpoint the worker sent. */
  checkpointStep: number | undefined
  resumeOffer: ResumeOffer | undefined
  /** A sentence about something that went wrong outside the run (storage, a refused step). */
  notice: string | undefined
}

export const INITIAL_RUN_VIEW: RunView = {
  state: 'idle',
  isBusy: false,
  runId: undefined,
  step: 0,
  backend: undefined,
  stepsPerSecond: 0,
  maxSteps: undefined,
  phases: [],
  diagnostics: [],
  hints: [],
  memory: undefined,
  failure: undefined,
  checkpointStep: undefined,
  resumeOffer: undefined,
  notice: undefined,
}

export type RunAction =
  | { type: 'busy' }
  /** The graph did not compile (or could not be opened): nothing runs. */
  | { type: 'openFailed'; message: string; diagnostics: Diagnostic[] }
  /** A run is open at `step`, ready to train or step. */
  | {
      type: 'opened'
      runId: string
      step: number
      phases: PhaseInfo[]
      diagnostics: Diagnostic[]
      maxSteps: number | undefined
    }
  | { type: 'idle' }
  | { type: 'worker'; event: TrainingEvent }
  | { type: 'settled' }
  | { type: 'notice'; notice: string | undefined }
  | { type: 'resumeOffer'; offer: ResumeOffer | undefined }

/** How much a new batch's rate moves the shown steps/s: steady, yet quick to follow. */
const RATE_SMOOTHING = 0.3

export function reduceRun(view: RunView, action: RunAction): RunView {
  switch (action.type) {
    case 'busy':
      return { ...view, isBusy: true, notice: undefined }
    case 'settled':
      return view.isBusy ? { ...view, isBusy: false } : view
    case 'openFailed':
      return {
        ...INITIAL_RUN_VIEW,
        state: 'failed',
        backend: view.backend,
        diagnostics: action.diagnostics,
        failure: { message: action.message },
        resumeOffer: view.resumeOffer,
      }
    case 'opened':
      return {
        ...INITIAL_RUN_VIEW,
        state: 'paused',
        isBusy: true,
        runId: action.runId,
        step: action.step,
        backend: view.backend,
        phases: action.phases,
        diagnostics: action.diagnostics,
        maxSteps: action.maxSteps,
      }
    case 'idle':
      return { ...INITIAL_RUN_VIEW, backend: view.backend, resumeOffer: view.resumeOffer }
    case 'notice':
      return { ...view, notice: action.notice }
    case 'resumeOffer':
      return { ...view, resumeOffer: action.offer }
    case 'worker':
      return reduceEvent(view, action.event)
  }
}

function reduceEvent(view: RunView, event: TrainingEvent): RunView {
  switch (event.type) {
    case 'started':
      return {
        ...view,
        state: 'running',
        isBusy: false,
        backend: event.backend,
        step: event.step,
        failure: undefined,
        resumeOffer: undefined,
      }
    case 'metrics': {
      const last = event.points.at(-1)
      if (last === undefined) return view
      const isMeasured = view.state === 'running' && event.stepsPerSecond > 0
      const stepsPerSecond = !isMeasured
        ? view.stepsPerSecond
        : view.stepsPerSecond === 0
          ? event.stepsPerSecond
          : view.stepsPerSecond + RATE_SMOOTHING * (event.stepsPerSecond - view.stepsPerSecond)
      return { ...view, step: Math.max(view.step, last.step), stepsPerSecond }
    }
    case 'memory':
      return { ...view, memory: { numTensors: event.numTensors, numBytes: event.numBytes } }
    case 'diagnostics':
      return { ...view, diagnostics: event.diagnostics }
    case 'checkpoint':
      return { ...view, checkpointStep: event.checkpoint.step }
    case 'paused':
      return { ...view, state: 'paused', isBusy: false, step: event.step }
    case 'finished':
      return { ...view, state: 'finished', isBusy: false, step: event.step }
    case 'failed':
      return {
        ...view,
        state: 'failed',
        isBusy: false,
        failure:
          event.diagnostic === undefined
            ? { message: event.message }
            : { message: event.message, diagnostic: event.diagnostic },
      }
    case 'hints':
      return { ...view, hints: event.hints }
    case 'view':
      return view
  }
}

/** Which run controls can act now (a control that cannot is disabled). */
export interface RunControls {
  canTrain: boolean
  canPause: boolean
  canResume: boolean
  canStep: boolean
  canStop: boolean
  /** Step one optimizer alone (the menu lists them; it needs a graph with several). */
  canStepOne: boolean
}

export function runControls(
  view: RunView,
  { isWorkerReady, hasNodes }: { isWorkerReady: boolean; hasNodes: boolean },
): RunControls {
  const isFree = isWorkerReady && !view.isBusy
  const isOver = view.state === 'idle' || view.state === 'finished' || view.state === 'failed'
  // A step from idle (or after a run) opens a new run and stays paused after it.
  const canStep = isFree && (view.state === 'paused' || (isOver && hasNodes))
  return {
    canTrain: isFree && isOver && hasNodes,
    canPause: isFree && view.state === 'running',
    canResume: isFree && view.state === 'paused',
    canStep,
    canStop: isFree && (view.state === 'running' || view.state === 'paused'),
    canStepOne: canStep,
  }
}

/** Seconds left at the current rate, when the run has a step limit and a measured rate. */
export function etaSeconds(view: RunView): number | undefined {
  if (view.maxSteps === undefined || view.state !== 'running' || view.stepsPerSecond <= 0) {
    return undefined
  }
  return Math.max(0, view.maxSteps - view.step) / view.stepsPerSecond
}

/** 0…1 of `maxSteps`, or undefined without a limit. */
export function progressOf(view: RunView): number | undefined {
  if (view.maxSteps === undefined || view.maxSteps <= 0) return undefined
  return Math.min(1, view.step / view.maxSteps)
}

/** "1 m 05 s", "12 s", "2 h 03 m". */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds)
  if (total < 60) return `${total} s`
  if (total < 3600) return `${Math.floor(total / 60)} m ${String(total % 60).padStart(2, '0')} s`
  const minutes = Math.floor(total / 60)
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`
}

const groupedNumber = new Intl.NumberFormat('en-US')

/** "1,234". */
export const formatCount = (value: number): string => groupedNumber.format(value)

/** "12.3 kB", "4.0 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

/**
 * The tab's title: progress while a run is going, so a background tab is readable
 * ("▶ 1,234 · Latent Lab", "▶ 41% · 1,234 · Latent Lab", "⏸ 1,234 · Latent Lab").
 */
export function documentTitle(view: RunView, appName = 'Latent Lab'): string {
  const progress = progressOf(view)
  const step = formatCount(view.step)
  const position = progress === undefined ? step : `${Math.floor(progress * 100)}% · ${step}`
  switch (view.state) {
    case 'running':
      return `▶ ${position} · ${appName}`
    case 'paused':
      return view.runId === undefined ? appName : `⏸ ${position} · ${appName}`
    case 'failed':
      return view.runId === undefined ? appName : `✕ ${step} · ${appName}`
    case 'idle':
    case 'finished':
      return appName
  }
}
