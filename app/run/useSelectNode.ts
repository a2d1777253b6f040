import { useReactFlow } from '@xyflow/react'
import { useCallback } from 'react'
import { useEditorContext } from '../editor/editorContext'

/**
 * Points at a node from outside the canvas (a diagnostic, a hint, a chart title): selects it,
 * so the inspector shows it, and brings it into view.
 */
export function useSelectNode(): (nodeId: string) => void {
  const { store } = useEditorContext()
  const flow = useReactFlow()
  return useCallback(
    (nodeId: string) => {
      if (!store.getState().document.nodes.some((node) => node.id === nodeId)) return
      store.select({ nodes: [nodeId] })
      void flow.fitView({ nodes: [{ id: nodeId }], duration: 200, maxZoom: 1.2, padding: 0.4 })
    },
    [store, flow],
  )
}
