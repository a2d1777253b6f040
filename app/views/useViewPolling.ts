import { useContext, useEffect } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { VerificationViewData } from '../../nodes/view/verificationView'
import type { EditorStore } from '../editor/editorStore'
import { addFinalMetrics } from '../run/runStore'
import type { TrainingRun } from '../run/useTrainingRun'
import { verificationMetrics } from '../run/verificationCompare'
import { createViewPoller } from './viewPoller'
import { ViewStoreContext } from './viewContext'
import { viewNodesOf } from './viewNodes'

/**
 * Keeps the view store of this tab filled while a run is open (see `viewPoller` for when):
 * the view nodes of the graph on the canvas, asked of the worker through the run controller,
 * into the store of the enclosing `ViewStoreContext`. When a run finishes, its verification
 * numbers are kept with the run record (the Runs tab's Compare table).
 */
export function useViewPolling(
  run: TrainingRun,
  editor: EditorStore,
  registry: NodeRegistry,
): void {
  const store = useContext(ViewStoreContext)
  const { controller, db } = run
  useEffect(() => {
    if (store === undefined) return
    const poller = createViewPoller({
      request: (nodeId) => controller.requestView(nodeId),
      viewIds: () => viewNodesOf(editor.getState().document, registry).map((node) => node.id),
      store,
      isHidden: () => document.visibilityState === 'hidden',
      onEntry: (nodeId, { data }, { runId, state }) => {
        // A finished metric-learning run keeps its verification numbers for the Compare table.
        if (state !== 'finished' || runId === undefined || data.kind !== 'verification') return
        const metrics = verificationMetrics(nodeId, data as unknown as VerificationViewData)
        addFinalMetrics(db, runId, metrics).catch((cause: unknown) => {
          controller.setNotice(cause instanceof Error ? cause.message : String(cause))
        })
      },
    })
    const update = () => {
      const { runId, state, step } = controller.getView()
      poller.update({ runId, state, step })
    }
    update()
    const unsubscribe = controller.subscribe(update)
    const onVisibility = () => {
      poller.visibilityChanged()
    }
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      unsubscribe()
      document.removeEventListener('visibilitychange', onVisibility)
      poller.dispose()
    }
  }, [controller, db, editor, registry, store])
}
