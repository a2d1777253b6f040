/**
 * The latest data of every view node of the open run, by node id: what the dock's Views tab and
 * the thumbnails inside view nodes draw; and for sample grids the filmstrip, the first samples
 * at each kept step of the run (`filmstrip.ts`). A tiny external store for
 * `useSyncExternalStore`; an entry and a node's frames are replaced, never mutated, so a
 * component re-renders only when its own node's data changes.
 */
import type { ViewData } from '../../graph-core/nodeDefinition'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { addFrame, frameOf, type FilmFrame } from './filmstrip'

/** One view's data and the run step it was asked for at. */
export interface ViewEntry {
  readonly data: ViewData
  readonly step: number
}

export interface ViewStore {
  get(nodeId: string): ViewEntry | undefined
  /** Keeps the entry; a sample grid also adds a frame to the node's filmstrip. */
  set(nodeId: string, entry: ViewEntry): void
  /** The filmstrip of a sample grid view over the open run, in step order (none: empty). */
  frames(nodeId: string): readonly FilmFrame[]
  /** Forgets every entry and filmstrip (a new run). */
  clear(): void
  /** Called after any change. */
  subscribe(listener: () => void): () => void
}

/** One empty filmstrip, so a view without frames reads the same value every time. */
const NO_FRAMES: readonly FilmFrame[] = []

export function createViewStore(): ViewStore {
  const entries = new Map<string, ViewEntry>()
  const filmstrips = new Map<string, readonly FilmFrame[]>()
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of listeners) listener()
  }
  return {
    get: (nodeId) => entries.get(nodeId),
    set(nodeId, entry) {
      entries.set(nodeId, entry)
      if (entry.data.kind === 'images') {
        const frame = frameOf(entry.data as unknown as ImageGrid, entry.step)
        filmstrips.set(nodeId, addFrame(filmstrips.get(nodeId) ?? NO_FRAMES, frame))
      }
      notify()
    },
    frames: (nodeId) => filmstrips.get(nodeId) ?? NO_FRAMES,
    clear() {
      if (entries.size === 0 && filmstrips.size === 0) return
      entries.clear()
      filmstrips.clear()
      notify()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
