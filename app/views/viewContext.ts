/**
 * React access to the views of the open run: the store the shell's `useViewPolling` fills,
 * provided once around the canvas and the dock.
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react'
import type { FilmFrame } from './filmstrip'
import type { ViewEntry, ViewStore } from './viewStore'

export const ViewStoreContext = createContext<ViewStore | undefined>(undefined)

/** The latest data of one view node; re-renders only when that node's entry changes. */
export function useViewEntry(nodeId: string): ViewEntry | undefined {
  const store = useContext(ViewStoreContext)
  const subscribe = useCallback(
    (listener: () => void) => store?.subscribe(listener) ?? (() => undefined),
    [store],
  )
  return useSyncExternalStore(subscribe, () => store?.get(nodeId))
}

/** The filmstrip of one sample grid view over the open run; re-renders when it changes. */
export function useViewFrames(nodeId: string): readonly FilmFrame[] {
  const store = useContext(ViewStoreContext)
  const subscribe = useCallback(
    (listener: () => void) => store?.subscribe(listener) ?? (() => undefined),
    [store],
  )
  return useSyncExternalStore(subscribe, () => store?.frames(nodeId) ?? NO_FRAMES)
}

const NO_FRAMES: readonly FilmFrame[] = []
