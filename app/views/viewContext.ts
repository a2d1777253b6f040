/**
 * React access to the views of the open run: the store the shell's `useViewPolling` fills,
 * provided once around the canvas and the dock.
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react'
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
