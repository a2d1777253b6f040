import { useSyncExternalStore } from 'react'
import { useEditorSelector, useEditorContext } from '../editor/editorContext'
import type { RunController } from '../run/runController'
import { useSelectNode } from '../run/useSelectNode'
import { ViewCard } from './ViewCard'
import { sameViewNodes, viewNodesOf } from './viewNodes'

/**
 * The dock's Views tab: every view node of the graph, large, side by side, titled with the
 * node's name; data comes from the open run (evaluated on held-out data every few seconds while
 * it trains, and when it pauses, steps or ends).
 */
export function ViewsPanel({ controller }: { controller: RunController }) {
  const { registry } = useEditorContext()
  const nodes = useEditorSelector((state) => viewNodesOf(state.document, registry), sameViewNodes)
  const isRunOpen = useSyncExternalStore(
    controller.subscribe,
    () => controller.getView().runId !== undefined,
  )
  const selectNode = useSelectNode()
  if (nodes.length === 0) {
    return (
      <p className="text-zinc-500 dark:text-zinc-400">
        No view nodes in this graph. Add one from the palette’s View section (sample grid,
        reconstructions, embedding map, verification, latent tools, 2-D scatter) and wire it to a
        tensor to watch it during training.
      </p>
    )
  }
  return (
    <div className="flex flex-col gap-2">
      {!isRunOpen && (
        <p className="text-zinc-500 dark:text-zinc-400">
          Train or step to evaluate the views on held-out data.
        </p>
      )}
      {/* Cards wrap into rows: a taller dock shows more of them without scrolling sideways. */}
      <div className="flex flex-wrap items-start gap-2 pb-1">
        {nodes.map((node) => (
          <ViewCard key={node.id} node={node} onSelect={selectNode} />
        ))}
      </div>
    </div>
  )
}
