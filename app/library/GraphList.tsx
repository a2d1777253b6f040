import { useId, useState, type RefObject } from 'react'
import type { GraphSummary, ListOptions } from '../storage/graphLibrary'
import { formatAge } from './formatTime'
import { FIELD, SMALL_BUTTON } from './libraryStyles'
import { useGraphList } from './useLibraryGraphs'
import type { GraphRef, Workspace } from './workspace'

type Sort = NonNullable<ListOptions['sort']>

/** The Library's list of graphs with search and sort, and an action row per graph. */
export function GraphList({
  workspace,
  openGraphId,
  searchRef,
  onShowHistory,
}: {
  workspace: Workspace
  openGraphId: string | undefined
  searchRef: RefObject<HTMLInputElement | null>
  onShowHistory: (graph: GraphRef) => void
}) {
  const [search, setSearch] = useState('')
  const [sort, setSort] = useState<Sort>('updated')
  const [renaming, setRenaming] = useState<string>()
  const sortId = useId()
  const graphs = useGraphList(workspace.library, { search, sort })

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <input
          ref={searchRef}
          type="search"
          aria-label="Search graphs"
          placeholder="Search graphs"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value)
          }}
          className={`${FIELD} min-w-0 flex-1`}
        />
        <label htmlFor={sortId} className="text-zinc-600 dark:text-zinc-400">
          Sort by
        </label>
        <select
          id={sortId}
          value={sort}
          onChange={(event) => {
            setSort(event.target.value === 'name' ? 'name' : 'updated')
          }}
          className={FIELD}
        >
          <option value="updated">Last updated</option>
          <option value="name">Name</option>
        </select>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {graphs.status === 'failed' ? (
          <p role="alert" className="m-3 text-red-700 dark:text-red-400">
            {graphs.message}
          </p>
        ) : graphs.status === 'loading' ? (
          <p className="m-3 text-zinc-500">Reading the library…</p>
        ) : graphs.items.length === 0 ? (
          <p className="m-3 leading-relaxed text-zinc-500 dark:text-zinc-400">
            {search.trim() === ''
              ? 'No graphs yet. Every graph you edit is kept here, saved as you go.'
              : `No graph’s name contains “${search.trim()}”.`}
          </p>
        ) : (
          <ul aria-label="Graphs" className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {graphs.items.map((graph) => (
              <GraphItem
                key={graph.id}
                graph={graph}
                loadedAt={graphs.loadedAt}
                isOpen={graph.id === openGraphId}
                isRenaming={renaming === graph.id}
                workspace={workspace}
                onRename={setRenaming}
                onShowHistory={onShowHistory}
              />
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}

function GraphItem({
  graph,
  loadedAt,
  isOpen,
  isRenaming,
  workspace,
  onRename,
  onShowHistory,
}: {
  graph: GraphSummary
  loadedAt: number
  isOpen: boolean
  isRenaming: boolean
  workspace: Workspace
  onRename: (graphId: string | undefined) => void
  onShowHistory: (graph: GraphRef) => void
}) {
  const ref = { id: graph.id, name: graph.name }
  const nodes = `${graph.nodeCount} ${graph.nodeCount === 1 ? 'node' : 'nodes'}`
  return (
    <li
      aria-label={graph.name}
      aria-current={isOpen ? 'true' : undefined}
      className={`flex flex-col gap-1.5 px-3 py-2 ${isOpen ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}
    >
      {isRenaming ? (
        <RenameForm
          name={graph.name}
          onCancel={() => {
            onRename(undefined)
          }}
          onSubmit={(name) => {
            onRename(undefined)
            if (name !== graph.name) void workspace.renameGraph(ref, name)
          }}
        />
      ) : (
        <div className="min-w-0">
          <p className="truncate text-sm font-medium" title={graph.name}>
            {graph.name}
          </p>
          <p className="text-zinc-500 dark:text-zinc-400">
            {nodes} · updated {formatAge(graph.updatedAt, loadedAt)}
            {isOpen && ' · open in the editor'}
          </p>
        </div>
      )}
      <div className="flex flex-wrap gap-1">
        <button
          type="button"
          disabled={isOpen}
          onClick={() => {
            void workspace.openGraph(graph.id)
          }}
          className={SMALL_BUTTON}
        >
          Open
        </button>
        <button
          type="button"
          disabled={isRenaming}
          onClick={() => {
            onRename(graph.id)
          }}
          className={SMALL_BUTTON}
        >
          Rename
        </button>
        <button
          type="button"
          onClick={() => {
            void workspace.duplicateGraph(ref)
          }}
          className={SMALL_BUTTON}
        >
          Duplicate
        </button>
        <button
          type="button"
          onClick={() => {
            onShowHistory(ref)
          }}
          className={SMALL_BUTTON}
        >
          History
        </button>
        <button
          type="button"
          onClick={() => {
            void workspace.deleteGraph(ref)
          }}
          className={`${SMALL_BUTTON} text-red-700 dark:text-red-400`}
        >
          Delete
        </button>
      </div>
    </li>
  )
}

function RenameForm({
  name,
  onSubmit,
  onCancel,
}: {
  name: string
  onSubmit: (name: string) => void
  onCancel: () => void
}) {
  const [value, setValue] = useState(name)
  const trimmed = value.trim()
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(event) => {
        event.preventDefault()
        if (trimmed !== '') onSubmit(trimmed)
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          // Closes the form, not the whole panel.
          event.preventDefault()
          onCancel()
        }
      }}
    >
      <input
        // The field appears because the user asked to rename: focus belongs in it.
        autoFocus
        aria-label="New name"
        value={value}
        onChange={(event) => {
          setValue(event.target.value)
        }}
        className={`${FIELD} min-w-0 flex-1`}
      />
      <button type="submit" disabled={trimmed === ''} className={SMALL_BUTTON}>
        Save name
      </button>
      <button type="button" onClick={onCancel} className={SMALL_BUTTON}>
        Cancel
      </button>
    </form>
  )
}
