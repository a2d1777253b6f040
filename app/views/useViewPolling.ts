import { useContext, useEffect } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { VerificationViewData } from '../../nodes/view/verificationView'
import type { EditorStore } from '../editor/editorStore'
import { addFinalMetrics } from '../run/runStore'
import type { TrainingRun } from '../run/useTrainingRun'
import { verificationMetrics } from '../run/verificationCompare'
import { LatentPicksContext } from './latentPicksStore'
import { createViewPoller } from './viewPoller'
import { ViewStoreContext } from './viewContext'
import { viewNodesOf } from './viewNodes'

/**
 * Keeps the view store of this tab filled while a run is open (see `viewPoller` for when):
 * the view nodes of the graph on the canvas, asked of the worker through the run controller,
 * into the store of the enclosing `ViewStoreContext`, with the latent tools' picks (asked for
 * again as soon as they change). When a run finishes, its verification
 * numbers are kept with the run record (the Runs tab's Compare table).
 */
export function useViewPolling(
  run: TrainingRun,
  editor: EditorStore,
  registry: NodeRegistry,
): void {
  const store = useContext(ViewStoreContext)
  const picks = useContext(LatentPicksContext)
  const { controller, db } = run
  useEffect(() => {
    if (store === undefined) return
    const poller = createViewPoller({
      request: (nodeId, options) => controller.requestView(nodeId, options),
      optionsFor: (nodeId) => {
        const chosen = picks.get(nodeId)
        return chosen === undefined ? undefined : { picks: chosen }
      },
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
    // New picks in the latent tools: that view is asked for again at once.
    const unsubscribePicks = picks.subscribe((nodeId) => {
      poller.refresh(nodeId)
    })
    const onVisibility = () => {
      poller.visibilityChanged()
    }
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      unsubscribe()
      unsubscribePicks()
      document.removeEventListener('visibilitychange', onVisibility)
      poller.dispose()
    }
  }, [controller, db, editor, registry, store, picks])
}
