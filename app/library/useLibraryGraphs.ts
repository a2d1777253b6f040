/**
 * Reading the library for the panel: the graph list and a graph's revisions, loaded again after
 * every change from this tab or another.
 */
import { useCallback, useEffect, useState } from 'react'
import type {
  GraphLibrary,
  GraphSummary,
  ListOptions,
  RevisionSummary,
} from '../storage/graphLibrary'

/** A list as last read: the rows, or why they could not be read, and when. */
export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'loaded'; items: T[]; loadedAt: number }
  | { status: 'failed'; message: string }

/** Counts library changes, so effects that read the library run again after each. */
function useLibraryVersion(library: GraphLibrary): number {
  const [version, setVersion] = useState(0)
  useEffect(
    () =>
      library.subscribe(() => {
        setVersion((previous) => previous + 1)
      }),
    [library],
  )
  return version
}

/** Reads with `read` whenever it or the library changes; earlier rows stay until then. */
function useLoaded<T>(read: () => Promise<T[]>, version: number): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' })
  useEffect(() => {
    let isCurrent = true
    read().then(
      (items) => {
        if (isCurrent) setLoaded({ status: 'loaded', items, loadedAt: Date.now() })
      },
      (cause: unknown) => {
        const message = cause instanceof Error ? cause.message : String(cause)
        if (isCurrent) setLoaded({ status: 'failed', message })
      },
    )
    return () => {
      isCurrent = false
    }
  }, [read, version])
  return loaded
}

/** The graphs matching a search, in the chosen order. */
export function useGraphList(library: GraphLibrary, options: ListOptions): Loaded<GraphSummary> {
  const version = useLibraryVersion(library)
  const { search, sort } = options
  const read = useCallback(() => library.list({ search, sort }), [library, search, sort])
  return useLoaded(read, version)
}

/** A graph's revisions, newest first. */
export function useRevisions(library: GraphLibrary, graphId: string): Loaded<RevisionSummary> {
  const version = useLibraryVersion(library)
  const read = useCallback(() => library.revisions(graphId), [library, graphId])
  return useLoaded(read, version)
}
