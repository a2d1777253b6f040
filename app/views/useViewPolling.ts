import { useContext, useEffect } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { EditorStore } from '../editor/editorStore'
import type { RunController } from '../run/runController'
import { createViewPoller } from './viewPoller'
import { ViewStoreContext } from './viewContext'
import { viewNodesOf } from './viewNodes'

/**
 * Keeps the view store of this tab filled while a run is open (see `viewPoller` for when):
 * the view nodes of the graph on the canvas, asked of the worker through the run controller,
 * into the store of the enclosing `ViewStoreContext`.
 */
export function useViewPolling(
  controller: RunController,
  editor: EditorStore,
  registry: NodeRegistry,
): void {
  const store = useContext(ViewStoreContext)
  useEffect(() => {
    if (store === undefined) return
    const poller = createViewPoller({
      request: (nodeId) => controller.requestView(nodeId),
      viewIds: () => viewNodesOf(editor.getState().document, registry).map((node) => node.id),
      store,
      isHidden: () => document.visibilityState === 'hidden',
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
  }, [controller, editor, registry, store])
}
