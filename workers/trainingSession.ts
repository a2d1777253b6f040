/**
 * One training run, without comlink (DESIGN §7): compile, train in a loop that yields to the
 * event loop between iterations (so pause and stop arrive), step by hand or one optimizer at a
 * time, stream metrics at a bounded rate, checkpoint, restore, views and weight export. TF.js,
 * the registry, the resource loader, the clock and the yield are injected, so the whole of it
 * runs in Node tests; `trainingWorker.ts` puts it behind the worker API.
 */
import { compileGraph, type TrainingProgram } from '../graph-core/compiler'
import { error, type Diagnostic } from '../graph-core/diagnostics'
import type { GraphDocument } from '../graph-core/document'
import type { Tf, ViewData } from '../graph-core/nodeDefinition'
import type { NodeRegistry } from '../graph-core/registry'
import type { ResourceMap } from '../graph-core/resources'
import { scatterDiscriminators, withDecisionSurface } from './decisionSurface'
import { denoisingPlans, withDenoisingLevels, type DenoisingChain } from './denoisingLevels'
import { latentDecodingPlans, withDecodedLatents, type LatentPlan } from './latentDecoding'
import { parseViewRequestOptions, type ViewRequestOptions } from './viewRequestOptions'
import {
  hintGraphOf,
  trainingHints,
  type HintGraph,
  type MetricPoint,
  type TrainingHint,
} from '../graph-core/trainingHints'
import type {
  OpenResult,
  RunOptions,
  SessionStatus,
  StepOutcome,
  TrainingCheckpoint,
  TrainingEvent,
  WeightsArtifact,
  WeightSpec,
} from './trainingWorkerApi'

/** What a session needs from its host. */
export interface TrainingSessionHost {
  tf: Tf
  registry: NodeRegistry
  /** The bytes of the resources the document's nodes need (the worker fetches them). */
  loadResources: (document: GraphDocument) => Promise<ResourceMap>
  emit: (event: TrainingEvent) => void
  /** Milliseconds; `Date.now` by default. Tests pass a fake clock. */
  now?: () => number
  /** Lets queued messages run between iterations: a macrotask by default. */
  yieldToEventLoop?: () => Promise<void>
}

/** A training run; see `TrainingWorkerApi` for what each method does. */
export interface TrainingSession {
  readonly status: SessionStatus
  /** Completed iterations of the loaded program (0 when none is loaded). */
  readonly currentStep: number
  load(document: GraphDocument, options?: RunOptions): Promise<OpenResult>
  train(): Promise<void>
  pause(): Promise<void>
  resume(): Promise<void>
  step(): Promise<StepOutcome>
  stepOptimizer(optimizerId: string): Promise<StepOutcome>
  stop(): Promise<void>
  requestView(nodeId: string, options?: ViewRequestOptions): Promise<ViewData>
  exportWeights(): Promise<WeightsArtifact[]>
  checkpoint(): Promise<TrainingCheckpoint>
  restore(checkpoint: TrainingCheckpoint): Promise<void>
  /** Ends any loop and frees the program's tensors. */
  dispose(): Promise<void>
}

/** Default metrics interval: at most 10 batches a second reach the main thread (issue #6). */
export const DEFAULT_METRICS_INTERVAL_MS = 100

/** Points the hints look back over. */
const HINT_WINDOW = 200

/**
 * A macrotask through a MessageChannel: unlike `setTimeout(0)` it is not clamped to 4 ms
 * when nested, which would cap a small model at a few hundred steps per second.
 */
export function yieldMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

interface Loaded {
  program: TrainingProgram
  options: RunOptions
  hintGraph: HintGraph
  /** View node id → the samples param it asks for. */
  views: Map<string, number | undefined>
  /** Node id → type, for the weight export. */
  types: Map<string, string>
  /** 2-D scatter view → the discriminator whose decision surface it shows. */
  surfaces: Map<string, string>
  /** Latent view → the decoder that draws its latents (or why there is none). */
  decoders: Map<string, LatentPlan>
  /** Reconstruction view of a denoiser → the nodes to run at each noise level. */
  denoisers: Map<string, DenoisingChain>
}

export function createTrainingSession(host: TrainingSessionHost): TrainingSession {
  const { tf, registry, emit } = host
  const now = host.now ?? (() => Date.now())
  const yieldToEventLoop = host.yieldToEventLoop ?? yieldMacrotask

  let loaded: Loaded | undefined
  let status: SessionStatus = 'empty'
  let loop: Promise<void> | undefined
  // An object, not a variable: the loop reads what pause() and stop() write meanwhile.
  const control: { request: 'pause' | 'stop' | undefined } = { request: undefined }

  // Metrics waiting for the next batch, and the clock and step of the last batch.
  let pending: MetricPoint[] = []
  let lastBatch = { time: 0, step: 0 }
  let recent: MetricPoint[] = []
  let lastHints = '[]'

  // Program work runs one task at a time: a view or checkpoint asked for while training runs
  // between two iterations, never inside one.
  let queue: Promise<unknown> = Promise.resolve()
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  function current(): Loaded {
    if (loaded === undefined) throw new Error('No graph is open: open one first')
    return loaded
  }

  function flushMetrics(): void {
    const run = loaded
    if (run === undefined || pending.length === 0) return
    const time = now()
    const last = pending.at(-1)
    const steps = (last?.step ?? lastBatch.step) - lastBatch.step
    const seconds = (time - lastBatch.time) / 1000
    emit({
      type: 'metrics',
      points: pending,
      stepsPerSecond: seconds > 0 ? steps / seconds : 0,
    })
    const memory = tf.memory()
    emit({ type: 'memory', numTensors: memory.numTensors, numBytes: memory.numBytes })
    pending = []
    lastBatch = { time, step: last?.step ?? lastBatch.step }
    const hints: TrainingHint[] = trainingHints(recent, run.hintGraph)
    const key = JSON.stringify(hints.map((hint) => [hint.code, hint.node]))
    if (key !== lastHints) {
      lastHints = key
      emit({ type: 'hints', hints })
    }
  }

  function resetMetrics(step: number): void {
    pending = []
    recent = []
    lastBatch = { time: now(), step }
  }

  function fail(message: string, diagnostic?: Diagnostic): StepOutcome {
    flushMetrics()
    status = 'failed'
    emit(
      diagnostic === undefined
        ? { type: 'failed', message }
        : { type: 'failed', message, diagnostic },
    )
    return diagnostic === undefined ? { ok: false, message } : { ok: false, message, diagnostic }
  }

  async function takeCheckpoint(run: Loaded): Promise<TrainingCheckpoint> {
    return { step: run.program.step, state: await run.program.saveState(), savedAt: now() }
  }

  async function emitCheckpoint(run: Loaded): Promise<void> {
    flushMetrics() // the stored curve then reaches the checkpoint's step
    emit({ type: 'checkpoint', checkpoint: await takeCheckpoint(run) })
  }

  /**
   * A view's data, with what the worker adds by running nodes on inputs it makes: a 2-D
   * scatter's decision surface, a latent view's decoded images (with the request's picks), a
   * denoiser's reconstructions at several noise levels.
   */
  async function evaluateView(
    run: Loaded,
    node: string,
    samples: number | undefined,
    options: ViewRequestOptions = {},
  ): Promise<ViewData> {
    const data = await run.program.evaluateView(node, samples === undefined ? {} : { samples })
    const discriminator = run.surfaces.get(node)
    if (discriminator !== undefined)
      return withDecisionSurface(tf, run.program, discriminator, data)
    const decoder = run.decoders.get(node)
    if (decoder !== undefined)
      return withDecodedLatents(tf, run.program, decoder, data, options.picks)
    const denoiser = run.denoisers.get(node)
    if (denoiser !== undefined) return withDenoisingLevels(tf, run.program, denoiser, data)
    return data
  }

  async function emitViews(run: Loaded): Promise<void> {
    for (const [node, samples] of run.views) {
      let data: ViewData
      try {
        data = await evaluateView(run, node, samples)
      } catch (cause) {
        // A view that cannot be drawn is no reason to stop training: the node shows why.
        data = { kind: 'error', message: cause instanceof Error ? cause.message : String(cause) }
      }
      emit({ type: 'view', node, data })
    }
  }

  /** One iteration (or one optimizer's phase) and what follows it; never throws. */
  async function iterate(run: Loaded, only?: string): Promise<StepOutcome> {
    let outcome: StepOutcome
    try {
      const result = await run.program.runIteration(only === undefined ? {} : { only })
      if (!result.ok) return fail(result.diagnostic.message, result.diagnostic)
      const { step, losses, metrics, lossTerms } = result
      const point: MetricPoint = { step, losses, metrics, lossTerms, time: now() }
      pending.push(point)
      recent.push(point)
      if (recent.length > HINT_WINDOW) recent = recent.slice(-HINT_WINDOW)
      outcome = { ok: true, point }
      if (only !== undefined) return outcome
      const { checkpointEvery, viewEvery } = run.options
      if (checkpointEvery !== undefined && step % checkpointEvery === 0) await emitCheckpoint(run)
      if (viewEvery !== undefined && step % viewEvery === 0) await emitViews(run)
    } catch (cause) {
      return fail(cause instanceof Error ? cause.message : String(cause))
    }
    const interval = run.options.metricsIntervalMs ?? DEFAULT_METRICS_INTERVAL_MS
    if (now() - lastBatch.time >= interval) flushMetrics()
    return outcome
  }

  async function runLoop(run: Loaded): Promise<void> {
    status = 'running'
    emit({ type: 'started', backend: tf.getBackend(), step: run.program.step })
    lastBatch = { time: now(), step: run.program.step }
    const { maxSteps } = run.options
    for (;;) {
      if (control.request !== undefined) break
      if (maxSteps !== undefined && run.program.step >= maxSteps) break
      const outcome = await exclusive(() => iterate(run))
      if (!outcome.ok) return
      await yieldToEventLoop()
    }
    if (control.request === 'pause') {
      await exclusive(() => emitCheckpoint(run)).catch((cause: unknown) => {
        emit({ type: 'failed', message: `Could not checkpoint: ${String(cause)}` })
      })
      status = 'paused'
      emit({ type: 'paused', step: run.program.step })
    } else {
      flushMetrics()
      status = 'finished'
      emit({ type: 'finished', step: run.program.step })
    }
  }

  function startLoop(): Promise<void> {
    const run = loaded
    if (run === undefined) return Promise.reject(new Error('No graph is open: open one first'))
    if (status === 'running') return loop ?? Promise.resolve()
    if (status !== 'ready' && status !== 'paused') {
      return Promise.reject(new Error(`A ${status} run cannot train: restore a checkpoint first`))
    }
    loop = runLoop(run).finally(() => {
      loop = undefined
      control.request = undefined
    })
    return loop
  }

  /** Ends a running loop with the given request and waits for it. */
  async function halt(request: 'pause' | 'stop'): Promise<void> {
    if (loop === undefined) return
    control.request = request
    await loop
  }

  async function stepByHand(only?: string): Promise<StepOutcome> {
    const run = current()
    if (status !== 'ready' && status !== 'paused') {
      throw new Error(
        `Cannot step a ${status} run${status === 'running' ? ': pause it first' : ''}`,
      )
    }
    const outcome = await exclusive(() => iterate(run, only))
    if (outcome.ok) flushMetrics() // a step by hand shows at once
    return outcome
  }

  async function exportWeights(run: Loaded): Promise<WeightsArtifact[]> {
    const owners = [
      ...new Set(
        run.program.variables.filter((entry) => entry.isTrainable).map((entry) => entry.node),
      ),
    ]
    const artifacts: WeightsArtifact[] = []
    for (const node of owners) {
      const entries = run.program.variables.filter((entry) => entry.node === node)
      const weights: WeightSpec[] = []
      const parts: ArrayBufferView[] = []
      for (const { name, variable } of entries) {
        const dtype = variable.dtype === 'int32' ? 'int32' : 'float32'
        const values = await variable.data()
        weights.push({ name, shape: [...variable.shape], dtype })
        parts.push(dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values))
      }
      const bytes = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0))
      let offset = 0
      for (const part of parts) {
        bytes.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset)
        offset += part.byteLength
      }
      artifacts.push({
        node,
        modelJson: {
          format: 'latent-lab-weights',
          generatedBy: `Latent Lab (TensorFlow.js ${tf.version.tfjs})`,
          userDefinedMetadata: {
            node,
            nodeType: run.types.get(node) ?? '',
            step: run.program.step,
          },
          weightsManifest: [{ paths: [`${node}.weights.bin`], weights }],
        },
        weightsBin: bytes.buffer,
      })
    }
    return artifacts
  }

  async function unload(): Promise<void> {
    await halt('stop')
    await queue
    loaded?.program.dispose()
    loaded = undefined
    status = 'empty'
  }

  return {
    get status() {
      return status
    },
    get currentStep() {
      return loaded?.program.step ?? 0
    },

    async load(document, options = {}) {
      await unload()
      let resources: ResourceMap
      try {
        resources = await host.loadResources(document)
      } catch (cause) {
        const diagnostics = [
          error(
            'BUILD_FAILED',
            `The graph's data could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`,
          ),
        ]
        emit({ type: 'diagnostics', diagnostics })
        return { ok: false, diagnostics, phases: [] }
      }
      const compiled = compileGraph(tf, document, registry, {
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        resources,
      })
      emit({ type: 'diagnostics', diagnostics: compiled.diagnostics })
      if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics, phases: [] }
      const { program, analysis } = compiled
      const views = new Map<string, number | undefined>()
      const types = new Map<string, string>()
      for (const [id, entry] of analysis.nodes) {
        if (entry.definition === undefined) continue
        types.set(id, entry.definition.type)
        if (entry.definition.category !== 'view') continue
        const samples = entry.params.samples
        views.set(id, typeof samples === 'number' ? samples : undefined)
      }
      loaded = {
        program,
        options,
        hintGraph: hintGraphOf(analysis, program.phases),
        views,
        types,
        surfaces: scatterDiscriminators(document),
        decoders: latentDecodingPlans(document),
        denoisers: denoisingPlans(document),
      }
      status = 'ready'
      resetMetrics(0)
      lastHints = '[]'
      return { ok: true, diagnostics: compiled.diagnostics, phases: [...program.phases] }
    },

    train: startLoop,

    async pause() {
      await halt('pause')
    },

    resume() {
      return status === 'paused' ? startLoop() : Promise.resolve()
    },

    step: () => stepByHand(),

    stepOptimizer: (optimizerId) => stepByHand(optimizerId),

    async stop() {
      if (loop !== undefined) {
        await halt('stop')
        return
      }
      if (status !== 'ready' && status !== 'paused') return
      flushMetrics()
      status = 'finished'
      emit({ type: 'finished', step: current().program.step })
    },

    requestView(nodeId, options) {
      const run = current()
      if (!run.views.has(nodeId)) return Promise.reject(new Error(`${nodeId} is not a view node`))
      // Options come from the other side of the worker boundary: checked before anything runs.
      let checked: ViewRequestOptions
      try {
        checked = parseViewRequestOptions(options)
      } catch (cause) {
        return Promise.reject(cause instanceof Error ? cause : new Error(String(cause)))
      }
      const samples = run.views.get(nodeId)
      return exclusive(() => evaluateView(run, nodeId, samples, checked))
    },

    exportWeights() {
      const run = current()
      return exclusive(() => exportWeights(run))
    },

    checkpoint() {
      const run = current()
      return exclusive(() => takeCheckpoint(run))
    },

    async restore(checkpoint) {
      const run = current()
      await halt('pause')
      await exclusive(() => {
        run.program.loadState(checkpoint.state)
        return Promise.resolve()
      })
      status = 'paused'
      resetMetrics(run.program.step)
    },

    dispose: unload,
  }
}
