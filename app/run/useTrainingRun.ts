import { proxy } from 'comlink'
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'
import type { EditorStore } from '../editor/editorStore'
import { createLabDatabase, type LabDatabase } from '../storage/labDatabase'
import { createRunController, type RunController, type RunSettings } from './runController'
import { documentTitle, runControls, type RunControls, type RunView } from './runReducer'
import type { WorkerState } from './useTrainingWorker'

/** The run controls of the toolbar (DESIGN §9). */
export type RunAction = 'Train' | 'Pause' | 'Resume' | 'Step' | 'Stop'

/** An optimizer the "Step only…" menu offers. */
export interface OptimizerChoice {
  id: string
  /** e.g. "optD · dLoss": the optimizer and the loss it minimises. */
  label: string
}

/** What the shell, the toolbar and the run dock need of the run. */
export interface TrainingRun {
  controller: RunController
  /** Where runs are kept (the Runs list reads it). */
  db: LabDatabase
  controls: RunControls
  /** Toolbar handlers; undefined where the control cannot act now. */
  actions: Record<RunAction, (() => void) | undefined>
  settings: RunSettings
  setSettings: (settings: RunSettings) => void
  /** The optimizers one can step alone: the open run's phases, else the graph's optimizers. */
  optimizers: () => OptimizerChoice[]
  stepOnly: (optimizer: string) => void
  /**
   * Resumes a stored run from its checkpoint; on an empty canvas it opens the run's graph
   * first. Elsewhere the run trains its own snapshot, so offer it only for the canvas's graph
   * (`isSameTraining`) or an empty canvas.
   */
  resumeStored: (runId: string) => void
  /** Whether a stored run can be resumed now (a worker is ready and nothing is in flight). */
  canResumeStored: boolean
}

/** How long the canvas must be still before the stored runs are searched for a resumable one. */
const RESUME_LOOKUP_DELAY_MS = 300

/** The coarse part of the view the shell re-renders on (not every metrics batch). */
const coarseKey = (view: RunView) =>
  `${view.state}|${String(view.isBusy)}|${view.runId ?? ''}|${view.phases.length}`

/**
 * The run controller for this tab (DESIGN §7): one per shell, fed the worker that
 * `useTrainingWorker` proved, with the run database. The shell re-renders only when the run's
 * state changes; the dock and the status subscribe to the controller for the rest. Keeps the
 * tab's title on the run's progress and looks for a run to resume when the graph changes.
 */
export function useTrainingRun(
  worker: WorkerState,
  store: EditorStore,
  registry: NodeRegistry,
): TrainingRun {
  const db = useMemo(() => createLabDatabase(), [])
  const controller = useMemo(
    () =>
      createRunController({
        db,
        registry,
        // The worker calls back across threads: comlink sends a proxy, not the function.
        wrapListener: (listener) => proxy(listener),
      }),
    [db, registry],
  )
  const [settings, setSettings] = useState<RunSettings>({})

  const api = worker.phase === 'ready' ? worker.api : undefined
  const backend = worker.phase === 'ready' ? worker.report.backend.name : undefined
  useEffect(() => {
    controller.attach(api, backend)
  }, [controller, api, backend])

  useSyncExternalStore(controller.subscribe, () => coarseKey(controller.getView()))
  const hasNodes = useSyncExternalStore(
    store.subscribe,
    () => store.getState().document.nodes.length > 0,
  )
  const view = controller.getView()
  const controls = runControls(view, { isWorkerReady: api !== undefined, hasNodes })

  useDocumentTitle(controller)
  useResumeLookup(controller, store)

  const report = useCallback(
    (action: string) => (cause: unknown) => {
      const detail = cause instanceof Error ? cause.message : String(cause)
      controller.setNotice(`Could not ${action}: ${detail}`)
    },
    [controller],
  )
  const current = useCallback(() => store.getState().document, [store])

  const actions: Record<RunAction, (() => void) | undefined> = {
    Train: controls.canTrain
      ? () => {
          controller.train(current(), settings).catch(report('train'))
        }
      : undefined,
    Pause: controls.canPause
      ? () => {
          controller.pause().catch(report('pause'))
        }
      : undefined,
    Resume: controls.canResume
      ? () => {
          controller.resume().catch(report('resume'))
        }
      : undefined,
    Step: controls.canStep
      ? () => {
          controller.step(current(), settings).catch(report('step'))
        }
      : undefined,
    Stop: controls.canStop
      ? () => {
          controller.stop().catch(report('stop'))
        }
      : undefined,
  }

  const optimizers = useCallback(
    () => optimizerChoices(controller.getView(), store.getState().document, registry),
    [controller, store, registry],
  )

  const stepOnly = useCallback(
    (optimizer: string) => {
      controller.stepOptimizer(current(), optimizer, settings).catch(report('step'))
    },
    [controller, current, settings, report],
  )

  const resumeStored = useCallback(
    (runId: string) => {
      void (async () => {
        if (store.getState().document.nodes.length === 0) {
          // An empty canvas (say, after a reload): the run's own graph comes back with it.
          const document = await controller.storedGraph(runId)
          if (document !== undefined) store.open(document)
        }
        await controller.resumeRun(runId)
      })().catch(report('resume the run'))
    },
    [controller, store, report],
  )

  return {
    controller,
    db,
    controls,
    actions,
    settings,
    setSettings,
    optimizers,
    stepOnly,
    resumeStored,
    canResumeStored: api !== undefined && !view.isBusy,
  }
}

/** The open run's phases, else the graph's optimizer nodes with the loss wired to them. */
export function optimizerChoices(
  view: RunView,
  document: GraphDocument,
  registry: NodeRegistry,
): OptimizerChoice[] {
  const nameOf = (id: string) => document.nodes.find((node) => node.id === id)?.title ?? id
  if (view.runId !== undefined && view.phases.length > 0 && view.state === 'paused') {
    return view.phases.map((phase) => ({
      id: phase.optimizer,
      label: `${nameOf(phase.optimizer)} · ${nameOf(phase.lossNode)}`,
    }))
  }
  return document.nodes
    .filter((node) => registry.get(node.type)?.category === 'optim')
    .map((node) => {
      const loss = document.edges.find((edge) => edge.to.node === node.id)?.from.node
      return {
        id: node.id,
        label: loss === undefined ? nameOf(node.id) : `${nameOf(node.id)} · ${nameOf(loss)}`,
      }
    })
}

/** The tab's title follows the run ("▶ 1,234 · Latent Lab"), so a background tab is readable. */
function useDocumentTitle(controller: RunController): void {
  useEffect(() => {
    const original = document.title
    const update = () => {
      const title = documentTitle(controller.getView(), original)
      if (document.title !== title) document.title = title
    }
    update()
    const unsubscribe = controller.subscribe(update)
    return () => {
      unsubscribe()
      document.title = original
    }
  }, [controller])
}

/** Looks for a resumable run when the graph or the run state changes (debounced). */
function useResumeLookup(controller: RunController, store: EditorStore): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let lastDocument: GraphDocument | undefined
    let lastState: string | undefined
    const schedule = () => {
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = undefined
        controller.refreshResumeOffer(store.getState().document).catch((cause: unknown) => {
          controller.setNotice(cause instanceof Error ? cause.message : String(cause))
        })
      }, RESUME_LOOKUP_DELAY_MS)
    }
    const onEditor = () => {
      const { document } = store.getState()
      if (document === lastDocument) return
      lastDocument = document
      schedule()
    }
    const onRun = () => {
      const { state } = controller.getView()
      if (state === lastState) return
      lastState = state
      schedule()
    }
    onEditor()
    onRun()
    const unsubscribeEditor = store.subscribe(onEditor)
    const unsubscribeRun = controller.subscribe(onRun)
    return () => {
      if (timer !== undefined) clearTimeout(timer)
      unsubscribeEditor()
      unsubscribeRun()
    }
  }, [controller, store])
}
