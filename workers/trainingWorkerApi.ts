/**
 * The typed face of the training worker (comlink). Types only, plus nothing that loads TF.js,
 * so the app imports it freely.
 */
import type { BackendChoice, BackendName } from './backendChoice'
import type { BackendDetails } from './backends'
import type { SelfCheckResult } from './backendSelfCheck'

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

export interface TrainingWorkerApi {
  /**
   * Selects a backend (`auto` walks WebGPU on a hardware adapter, WASM, WebGL, CPU) and trains
   * the self-check model on it; in `auto` mode a backend that fails moves on to the next.
   * Rejects with every reason when no backend works, or when a forced backend fails.
   */
  start(choice: BackendChoice): Promise<BackendReport>
}
