/**
 * The typed face of the training worker (comlink). Types only, plus nothing that loads TF.js,
 * so the app imports it freely.
 */
import type { Phase, ProgramState } from '../graph-core/compiler'
import type { Diagnostic } from '../graph-core/diagnostics'
import type { GraphDocument } from '../graph-core/document'
import type { ViewData } from '../graph-core/nodeDefinition'
import type { MetricPoint, TrainingHint } from '../graph-core/trainingHints'
import type { BackendChoice, BackendName } from './backendChoice'
import type { BackendDetails } from './backends'
import type { SelfCheckResult } from './backendSelfCheck'
import type { ViewRequestOptions } from './viewRequestOptions'

export type { MetricPoint, TrainingHint } from '../graph-core/trainingHints'
export type { ProgramState } from '../graph-core/compiler'
export type { ViewRequestOptions } from './viewRequestOptions'

/** A backend that was tried and passed over, with the reason. */
export interface SkippedBackend {
  name: BackendName
  reason: string
}

/** The answer to `start`: the backend in use, proven by a short training run on it. */
export interface BackendReport {
  choice: BackendChoice
  backend: BackendDetails
  selfCheck: SelfCheckResult
  skipped: SkippedBackend[]
  tfVersion: string
}

/** How a run goes; everything optional. */
export interface RunOptions {
  /** Overrides the document's seed. */
  seed?: number
  /** The run finishes when the step count reaches this; unbounded without it. */
  maxSteps?: number
  /** A `checkpoint` event every this many steps (and always on pause); none without it. */
  checkpointEvery?: number
  /** Every view node's data as `view` events every this many steps; none without it. */
  viewEvery?: number
  /** Metrics events at most this often while training, in milliseconds; default 100. */
  metricsIntervalMs?: number
}

/** Where a session is: `finished` and `failed` train no more until a `restore`. */
export type SessionStatus = 'empty' | 'ready' | 'running' | 'paused' | 'finished' | 'failed'

/** The answer to `open`: whether the graph compiled, why not, and its optimizer phases. */
export interface OpenResult {
  ok: boolean
  diagnostics: Diagnostic[]
  /** In the order they run each iteration; `stepOptimizer` takes an `optimizer` id. */
  phases: Phase[]
}

/** The training state at a step, to keep (IndexedDB) and `restore` after a reload. */
export interface TrainingCheckpoint {
  step: number
  state: ProgramState
  /** When it was taken, on the worker's clock (milliseconds since the epoch by default). */
  savedAt: number
}

/** One step done by hand: its point, or why it failed (a `failed` event says so too). */
export type StepOutcome =
  { ok: true; point: MetricPoint } | { ok: false; message: string; diagnostic?: Diagnostic }

/** One weight in a TF.js weights manifest. */
export interface WeightSpec {
  name: string
  shape: number[]
  dtype: 'float32' | 'int32'
}

/**
 * A block's trained weights in TF.js's format: `model.json`'s weights manifest (no topology:
 * the graph is the topology) and the one binary file it names, little-endian values of every
 * weight in manifest order, which `tf.io.decodeWeights(weightsBin, weights)` reads.
 */
export interface WeightsArtifact {
  node: string
  modelJson: {
    format: 'latent-lab-weights'
    generatedBy: string
    userDefinedMetadata: { node: string; nodeType: string; step: number }
    weightsManifest: [{ paths: [string]; weights: WeightSpec[] }]
  }
  weightsBin: ArrayBuffer
}

/** Everything a run tells the app, as a union on `type`. */
export type TrainingEvent =
  /** The loop started or resumed on this backend at this step. */
  | { type: 'started'; backend: string; step: number }
  /**
   * Points since the last batch, at most one batch per `metricsIntervalMs` while training
   * (plus one when the loop stops); steps per second over the batch.
   */
  | { type: 'metrics'; points: MetricPoint[]; stepsPerSecond: number }
  /** TF.js's tensor count and bytes, sent with every metrics batch: flat in a healthy run. */
  | { type: 'memory'; numTensors: number; numBytes: number }
  /** A view's data every `viewEvery` steps; `{ kind: 'error', message }` when it failed. */
  | { type: 'view'; node: string; data: ViewData }
  /** What compiling the graph found (empty when nothing): errors point at nodes and ports. */
  | { type: 'diagnostics'; diagnostics: Diagnostic[] }
  | { type: 'checkpoint'; checkpoint: TrainingCheckpoint }
  | { type: 'paused'; step: number }
  /** The run ended: `maxSteps` reached, or stopped. */
  | { type: 'finished'; step: number }
  /** The run stopped on an error; a NaN or Inf loss comes with a diagnostic naming the loss. */
  | { type: 'failed'; message: string; diagnostic?: Diagnostic }
  /** Known failure modes the recent metrics show (advice, not errors); sent when they change. */
  | { type: 'hints'; hints: TrainingHint[] }

export interface TrainingWorkerApi {
  /**
   * Selects a backend (`auto` walks WebGPU on a hardware adapter, WASM, WebGL, CPU) and trains
   * the self-check model on it; in `auto` mode a backend that fails moves on to the next.
   * Rejects with every reason when no backend works, or when a forced backend fails.
   */
  start(choice: BackendChoice): Promise<BackendReport>
  /**
   * Loads the resources the graph needs, compiles it and gets a run ready (replacing any
   * earlier one); events go to `onEvent`, which the app wraps with comlink's `proxy`. Call
   * `start` first to pick the backend.
   */
  open(
    document: GraphDocument,
    options: RunOptions,
    onEvent: (event: TrainingEvent) => void,
  ): Promise<OpenResult>
  /** Trains until paused, stopped, failed or at `maxSteps`; resolves when the loop ends. */
  train(): Promise<void>
  /** Stops the loop after the current iteration, with a `checkpoint` and a `paused` event. */
  pause(): Promise<void>
  /** Continues a paused run; resolves when the loop ends, like `train`. */
  resume(): Promise<void>
  /** One iteration (every optimizer), while not training. */
  step(): Promise<StepOutcome>
  /** Only this optimizer's phase (GAN Lab's "train D only"); the step count does not move. */
  stepOptimizer(optimizerId: string): Promise<StepOutcome>
  /** Ends the run (`finished`); views, weights and checkpoints stay available. */
  stop(): Promise<void>
  /**
   * A view node's data on held-out data now; `options` carry the latent tools' picks among the
   * held-out faces (validated: a wrong option rejects).
   */
  requestView(nodeId: string, options?: ViewRequestOptions): Promise<ViewData>
  /** Every block's trained weights (nodes with trainable variables). */
  exportWeights(): Promise<WeightsArtifact[]>
  checkpoint(): Promise<TrainingCheckpoint>
  /**
   * Puts a checkpoint of this graph back (pausing a running loop first); the run is then
   * paused at the checkpoint's step. Rejects, changing nothing, when it does not fit the graph.
   */
  restore(checkpoint: TrainingCheckpoint): Promise<void>
  /** Frees the run's tensors. */
  close(): Promise<void>
}
