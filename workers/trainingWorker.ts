/// <reference lib="webworker" />
/**
 * The training worker's entry: TF.js lives here (and in cli/), never on the main thread.
 */
import * as tf from '@tensorflow/tfjs'
import { expose } from 'comlink'
import { backendCandidates, type BackendChoice } from './backendChoice'
import { activateBackend, describeWebGpuAdapter } from './backends'
import { runBackendSelfCheck, selfCheckProblem } from './backendSelfCheck'
import { isSoftwareAdapter } from './backendChoice'
import type { BackendReport, SkippedBackend, TrainingWorkerApi } from './trainingWorkerApi'

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

const api: TrainingWorkerApi = { start }

expose(api)
