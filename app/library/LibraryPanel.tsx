import { useEffect, useRef, useState } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import { GraphList } from './GraphList'
import { RevisionHistory } from './RevisionHistory'
import type { GraphRef, Workspace, WorkspaceState } from './workspace'

/**
 * The Library (DESIGN §8): the graphs kept in this browser — search, sort, open, rename,
 * duplicate, delete with undo — and one graph's revision history with a preview and Restore.
 * A column beside the inspector, so the canvas stays usable while it is open.
 */
export function LibraryPanel({
  workspace,
  state,
  registry,
  onClose,
}: {
  workspace: Workspace
  state: WorkspaceState
  registry: NodeRegistry
  onClose: () => void
}) {
  const [historyOf, setHistoryOf] = useState<GraphRef>()
  const searchRef = useRef<HTMLInputElement>(null)

  // Focus moves into the panel and goes back where it was (the Library button) on closing.
  useEffect(() => {
    const previous = document.activeElement
    searchRef.current?.focus()
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus()
    }
  }, [])

  return (
    <aside
      aria-label="Library"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault()
          onClose()
        }
      }}
      className="flex w-96 shrink-0 flex-col border-l border-zinc-200 bg-white text-xs text-zinc-800 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-200"
    >
      <header className="flex items-center justify-between border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">Library</h2>
        <button
          type="button"
          aria-label="Close library"
          title="Close (Escape)"
          onClick={onClose}
          className="rounded px-1.5 text-base leading-none text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          ×
        </button>
      </header>
      {!state.isStorageAvailable ? (
        <p className="m-3 rounded-md border border-amber-300 bg-amber-50 p-3 leading-relaxed text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          This browser gives Latent Lab no storage, so there is no library here and nothing is kept
          after the tab closes. Use Export JSON to keep a graph, and Import JSON to open it again.
        </p>
      ) : historyOf === undefined ? (
        <GraphList
          workspace={workspace}
          openGraphId={state.graphId}
          searchRef={searchRef}
          onShowHistory={setHistoryOf}
        />
      ) : (
        <RevisionHistory
          workspace={workspace}
          graph={historyOf}
          registry={registry}
          onBack={() => {
            setHistoryOf(undefined)
          }}
        />
      )}
    </aside>
  )
}
