/**
 * The tab's dataset store over the app's one database, created on first use, and the React
 * hooks that follow it live (Dexie's `liveQuery`: a change in any tab re-renders the list).
 */
import { liveQuery } from 'dexie'
import { useEffect, useState } from 'react'
import { createLabDatabase } from '../storage/labDatabase'
import { createDatasetStore, type DatasetStore, type DatasetSummary } from './datasetStore'
import type { DatasetRecord } from '../storage/labDatabase'

let store: DatasetStore | undefined

/** The dataset store of this tab. */
export function datasetStore(): DatasetStore {
  store ??= createDatasetStore(createLabDatabase())
  return store
}

/** A value read from the database: loading, read, or why it could not be. */
export type Live<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string }

function useLive<T>(query: (() => Promise<T>) | undefined, key: string): Live<T> {
  const [state, setState] = useState<{ key: string; live: Live<T> }>({
    key,
    live: { status: 'loading' },
  })
  useEffect(() => {
    if (query === undefined) return
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        setState({ key, live: { status: 'ready', value } })
      },
      error: (error: unknown) => {
        setState({
          key,
          live: {
            status: 'error',
            message: error instanceof Error ? error.message : String(error),
          },
        })
      },
    })
    return () => {
      subscription.unsubscribe()
    }
    // The key names the query: a new key is a new query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return state.key === key ? state.live : { status: 'loading' }
}

/** Every imported dataset, newest first, kept current. */
export function useDatasets(): Live<DatasetSummary[]> {
  return useLive(() => datasetStore().list(), 'list')
}

/** One dataset with its pixels (a Blob, read lazily), or undefined when it is not there. */
export function useDataset(id: string | undefined): Live<DatasetRecord | undefined> {
  return useLive(id === undefined ? undefined : () => datasetStore().get(id), `get:${id ?? ''}`)
}
