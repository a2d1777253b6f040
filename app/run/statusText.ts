import type { WorkerState } from './useTrainingWorker'

/** The states of a run (DESIGN §9). */
export type RunState = 'idle' | 'running' | 'paused' | 'finished' | 'failed'

/** A loss for people: four significant digits, exponent form when tiny. */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toPrecision(4) : value.toExponential(2)
}

/**
 * The text of the role="status" element: run state, step and backend, which automation and
 * screen readers read (DESIGN §9), e.g. `idle · step 0 · backend: wasm · self-check loss …`.
 */
export function statusText(state: RunState, step: number, worker: WorkerState): string {
  switch (worker.phase) {
    case 'starting':
      return `${state} · step ${step} · backend: starting (${worker.choice})…`
    case 'failed':
      return `failed · step ${step} · backend: none · ${worker.message}`
    case 'ready': {
      const { backend, selfCheck } = worker.report
      const first = selfCheck.losses[0] ?? Number.NaN
      const last = selfCheck.losses.at(-1) ?? Number.NaN
      return `${state} · step ${step} · backend: ${backend.name} · self-check loss ${formatLoss(first)} → ${formatLoss(last)} (${selfCheck.losses.length} steps)`
    }
  }
}
