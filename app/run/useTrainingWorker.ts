import { releaseProxy, wrap, type Remote } from 'comlink'
import { useEffect, useState } from 'react'
import type { BackendChoice } from '../../workers/backendChoice'
import type { BackendReport, TrainingWorkerApi } from '../../workers/trainingWorkerApi'

/** The training worker as the UI sees it: starting, ready on a proven backend, or failed. */
export type WorkerState =
  | { phase: 'starting'; choice: BackendChoice }
  | {
      phase: 'ready'
      choice: BackendChoice
      report: BackendReport
      /** The worker's API, for the run controller; gone when the choice changes. */
      api?: Remote<TrainingWorkerApi>
    }
  | { phase: 'failed'; choice: BackendChoice; message: string }

type Outcome = Exclude<WorkerState, { phase: 'starting' }>

/**
 * Starts the training worker for a backend choice and reports how it went. Changing the choice
 * terminates the old worker and starts a new one; a stale answer is never shown.
 */
export function useTrainingWorker(choice: BackendChoice): WorkerState {
  const [outcome, setOutcome] = useState<Outcome>()

  useEffect(() => {
    const worker = new Worker(new URL('../../workers/trainingWorker.ts', import.meta.url), {
      type: 'module',
      name: 'training',
    })
    const api = wrap<TrainingWorkerApi>(worker)
    let isCurrent = true
    const fail = (message: string) => {
      if (isCurrent) setOutcome({ phase: 'failed', choice, message })
    }
    worker.addEventListener('error', (event) => {
      fail(`the training worker could not start (${event.message || 'its script failed to load'})`)
    })
    api.start(choice).then(
      (report) => {
        if (isCurrent) setOutcome({ phase: 'ready', choice, report, api })
      },
      (error: unknown) => {
        fail(error instanceof Error ? error.message : String(error))
      },
    )
    return () => {
      isCurrent = false
      api[releaseProxy]()
      worker.terminate()
    }
  }, [choice])

  return outcome?.choice === choice ? outcome : { phase: 'starting', choice }
}
