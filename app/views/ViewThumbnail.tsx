import { memo } from 'react'
import { useViewEntry } from './viewContext'
import { ViewFigure } from './ViewFigure'
import { knownView } from './viewKinds'

/**
 * The small drawing inside a view node on the canvas (the same as the dock's, smaller); nothing
 * until the open run has evaluated the view. Re-renders only when this node's data changes.
 */
export const ViewThumbnail = memo(function ViewThumbnail({ nodeId }: { nodeId: string }) {
  const entry = useViewEntry(nodeId)
  const data = entry === undefined ? undefined : knownView(entry.data)
  if (data === undefined) return null
  return (
    <div
      data-view-thumbnail={nodeId}
      data-step={entry?.step}
      className="flex flex-col items-center gap-0.5 border-b border-zinc-100 px-2 py-1.5 text-zinc-600 dark:border-zinc-800 dark:text-zinc-300"
    >
      <ViewFigure data={data} size="thumb" />
    </div>
  )
})
