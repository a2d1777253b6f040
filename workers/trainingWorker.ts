/// <reference lib="webworker" />
/**
 * The training worker's entry: TF.js lives here (and in cli/), never on the main thread.
 */
import * as tf from '@tensorflow/tfjs'
import { expose, releaseProxy, transfer } from 'comlink'
import { nodeRegistry } from '../nodes/registry'
import { backendCandidates, type BackendChoice } from './backendChoice'
import { activateBackend, describeWebGpuAdapter } from './backends'
import { runBackendSelfCheck, selfCheckProblem } from './backendSelfCheck'
import { isSoftwareAdapter } from './backendChoice'
import { loadRequiredResources } from './resourceUrls'
import { createTrainingSession, type TrainingSession } from './trainingSession'
import type {
  BackendReport,
  ProgramState,
  SkippedBackend,
  TrainingCheckpoint,
  TrainingEvent,
  TrainingWorkerApi,
} from './trainingWorkerApi'

async function start(choice: BackendChoice): Promise<BackendReport> {
  const adapter =
    choice === 'auto' ? await describeWebGpuAdapter().catch(() => undefined) : undefined
  const hasHardwareWebGpu = adapter !== undefined && !isSoftwareAdapter(adapter)
  const skipped: SkippedBackend[] = []
  if (choice === 'auto' && adapter !== undefined && !hasHardwareWebGpu) {
    skipped.push({
      name: 'webgpu',
      reason: `software adapter (${adapter.architecture || adapter.vendor}), slower than WASM`,
    })
  }
  for (const name of backendCandidates(choice, hasHardwareWebGpu)) {
    try {
      const backend = await activateBackend(name)
      const selfCheck = await runBackendSelfCheck(tf)
      const problem = selfCheckProblem(selfCheck)
      if (problem !== undefined) throw new Error(problem)
      return { choice, backend, selfCheck, skipped, tfVersion: tf.version.tfjs }
    } catch (error) {
      skipped.push({ name, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  throw new Error(skipped.map(({ name, reason }) => `${name}: ${reason}`).join('; '))
}

/** The app's event callback: a comlink proxy, whose calls are messages to the main thread. */
type Listener = (event: TrainingEvent) => unknown

let listener: Listener | undefined

/** The buffers of a state: moved, not copied, to the main thread (the worker keeps none). */
function buffersOf(state: ProgramState): ArrayBuffer[] {
  const tensors = [
    ...Object.values(state.variables),
    ...Object.values(state.optimizers).flatMap((optimizer) => optimizer.weights),
    ...Object.values(state.averages ?? {}),
  ]
  return tensors.map(({ values }) => values.buffer as ArrayBuffer)
}

function send(event: TrainingEvent): void {
  const target = listener
  if (target === undefined) return
  const message =
    event.type === 'checkpoint' ? transfer(event, buffersOf(event.checkpoint.state)) : event
  // Fire and forget: awaiting each answer would add a main-thread round trip per event.
  Promise.resolve(target(message)).catch(() => undefined)
}

function release(target: Listener | undefined): void {
  // A comlink proxy answers any property; a plain function (a test) has no releaseProxy.
  const releaser = (target as Record<symbol, unknown> | undefined)?.[releaseProxy]
  if (typeof releaser === 'function') (releaser as () => void)()
}

const session: TrainingSession = createTrainingSession({
  tf,
  registry: nodeRegistry,
  loadResources: (document) => loadRequiredResources(document, nodeRegistry),
  emit: send,
})

const withTransfer = (checkpoint: TrainingCheckpoint) =>
  transfer(checkpoint, buffersOf(checkpoint.state))

const api: TrainingWorkerApi = {
  start,
  async open(document, options, onEvent) {
    await session.dispose()
    release(listener)
    listener = onEvent
    await tf.ready()
    return session.load(document, options)
  },
  train: () => session.train(),
  pause: () => session.pause(),
  resume: () => session.resume(),
  step: () => session.step(),
  stepOptimizer: (optimizerId) => session.stepOptimizer(optimizerId),
  stop: () => session.stop(),
  requestView: (nodeId, options) => session.requestView(nodeId, options),
  async exportWeights() {
    const artifacts = await session.exportWeights()
    return transfer(
      artifacts,
      artifacts.map((artifact) => artifact.weightsBin),
    )
  },
  async checkpoint() {
    return withTransfer(await session.checkpoint())
  },
  restore: (checkpoint) => session.restore(checkpoint),
  async close() {
    await session.dispose()
    release(listener)
    listener = undefined
  },
}

expose(api)
