/**
 * The latest data of every view node of the open run, by node id: what the dock's Views tab and
 * the thumbnails inside view nodes draw. A tiny external store for `useSyncExternalStore`; an
 * entry is replaced, never mutated, so a component re-renders only when its own node's entry
 * changes.
 */
import type { ViewData } from '../../graph-core/nodeDefinition'

/** One view's data and the run step it was asked for at. */
export interface ViewEntry {
  readonly data: ViewData
  readonly step: number
}

export interface ViewStore {
  get(nodeId: string): ViewEntry | undefined
  set(nodeId: string, entry: ViewEntry): void
  /** Forgets every entry (a new run). */
  clear(): void
  /** Called after any change. */
  subscribe(listener: () => void): () => void
}

export function createViewStore(): ViewStore {
  const entries = new Map<string, ViewEntry>()
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of listeners) listener()
  }
  return {
    get: (nodeId) => entries.get(nodeId),
    set(nodeId, entry) {
      entries.set(nodeId, entry)
      notify()
    },
    clear() {
      if (entries.size === 0) return
      entries.clear()
      notify()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
