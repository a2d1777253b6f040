import { useEffect, useState } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { OpenedRevision } from '../storage/graphLibrary'
import { formatStamp } from './formatTime'
import { GraphPreview } from './GraphPreview'
import { SMALL_BUTTON } from './libraryStyles'
import { useRevisions } from './useLibraryGraphs'
import type { GraphRef, Workspace } from './workspace'

/** One graph's saved versions, newest first; pick one to preview it and restore it. */
export function RevisionHistory({
  workspace,
  graph,
  registry,
  onBack,
}: {
  workspace: Workspace
  graph: GraphRef
  registry: NodeRegistry
  onBack: () => void
}) {
  const revisions = useRevisions(workspace.library, graph.id)
  const [selectedId, setSelectedId] = useState<number>()
  const latestId = revisions.status === 'loaded' ? revisions.items[0]?.id : undefined

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <button type="button" onClick={onBack} className={SMALL_BUTTON}>
          ← All graphs
        </button>
        <h3 className="min-w-0 truncate font-semibold" title={graph.name}>
          History of “{graph.name}”
        </h3>
      </div>
      {selectedId !== undefined && (
        <RevisionPreview
          key={selectedId}
          workspace={workspace}
          graph={graph}
          revisionId={selectedId}
          isLatest={selectedId === latestId}
          registry={registry}
        />
      )}
      <div className="min-h-0 flex-1 overflow-y-auto">
        {revisions.status === 'failed' ? (
          <p role="alert" className="m-3 text-red-700 dark:text-red-400">
            {revisions.message}
          </p>
        ) : revisions.status === 'loading' ? (
          <p className="m-3 text-zinc-500">Reading the history…</p>
        ) : (
          <ul aria-label="Revisions" className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {revisions.items.map((revision) => (
              <li key={revision.id}>
                <button
                  type="button"
                  aria-pressed={revision.id === selectedId}
                  onClick={() => {
                    setSelectedId(revision.id)
                  }}
                  className={`flex w-full flex-col items-start px-3 py-1.5 text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800 ${
                    revision.id === selectedId ? 'bg-sky-50 dark:bg-sky-950/40' : ''
                  }`}
                >
                  <span className="font-medium tabular-nums">
                    {formatStamp(revision.createdAt, true)}
                    {revision.id === latestId && ' · latest'}
                  </span>
                  <span className="text-zinc-500 dark:text-zinc-400">
                    {revision.note}
                    {revision.name !== graph.name && ` · “${revision.name}”`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}

const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`

function RevisionPreview({
  workspace,
  graph,
  revisionId,
  isLatest,
  registry,
}: {
  workspace: Workspace
  graph: GraphRef
  revisionId: number
  isLatest: boolean
  registry: NodeRegistry
}) {
  const [opened, setOpened] = useState<OpenedRevision | { message: string }>()
  useEffect(() => {
    let isCurrent = true
    workspace.library.openRevision(graph.id, revisionId).then(
      (revision) => {
        if (isCurrent) setOpened(revision)
      },
      (cause: unknown) => {
        if (isCurrent)
          setOpened({ message: cause instanceof Error ? cause.message : String(cause) })
      },
    )
    return () => {
      isCurrent = false
    }
  }, [workspace, graph.id, revisionId])

  if (opened === undefined) return <p className="m-3 text-zinc-500">Opening the revision…</p>
  if ('message' in opened) {
    return (
      <p role="alert" className="m-3 text-red-700 dark:text-red-400">
        {opened.message}
      </p>
    )
  }
  const { document, revision } = opened
  return (
    <section
      aria-label="Revision preview"
      className="flex flex-col gap-2 border-b border-zinc-200 p-3 dark:border-zinc-800"
    >
      <GraphPreview document={document} registry={registry} />
      <p className="text-zinc-600 dark:text-zinc-400">
        “{document.name}” on {formatStamp(revision.createdAt)}:{' '}
        {counted(document.nodes.length, 'node')}, {counted(document.edges.length, 'edge')}, seed{' '}
        {document.seed}.
      </p>
      <div className="flex items-center gap-2">
        <button
          type="button"
          disabled={isLatest}
          onClick={() => {
            void workspace.restoreRevision(graph, revision.id, revision.createdAt)
          }}
          className={SMALL_BUTTON}
        >
          Restore
        </button>
        <span className="text-zinc-500 dark:text-zinc-400">
          {isLatest
            ? 'This is the latest version.'
            : 'Restoring adds it as the latest version; the history keeps everything.'}
        </span>
      </div>
    </section>
  )
}
