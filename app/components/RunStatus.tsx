import { useSyncExternalStore } from 'react'
import type { RunController } from '../run/runController'
import { statusText } from '../run/statusText'
import type { WorkerState } from '../run/useTrainingWorker'

/**
 * The role="status" line (DESIGN §9): run state, step, backend and the self-check, plus the
 * rate while training, e.g. `running · step 812 · backend: wasm · self-check loss … · 143 steps/s`.
 */
export function RunStatus({
  controller,
  worker,
}: {
  controller: RunController
  worker: WorkerState
}) {
  const view = useSyncExternalStore(controller.subscribe, controller.getView)
  const rate =
    view.state === 'running' && view.stepsPerSecond > 0
      ? ` · ${view.stepsPerSecond.toFixed(view.stepsPerSecond < 10 ? 1 : 0)} steps/s`
      : ''
  const text = `${statusText(view.state, view.step, worker)}${rate}`
  return (
    <p role="status" className="truncate text-xs text-zinc-600 dark:text-zinc-400" title={text}>
      {text}
    </p>
  )
}
