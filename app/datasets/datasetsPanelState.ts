/**
 * Whether the Datasets panel is open: a tiny store, so the palette's button and the inspector's
 * "Open Datasets" link open the same panel without threading state through the app shell.
 */
import { useSyncExternalStore } from 'react'

let isOpen = false
const listeners = new Set<() => void>()

function set(next: boolean): void {
  if (next === isOpen) return
  isOpen = next
  for (const listener of listeners) listener()
}

export const openDatasetsPanel = (): void => {
  set(true)
}
export const closeDatasetsPanel = (): void => {
  set(false)
}

const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** Whether the panel is open; re-renders when it opens or closes. */
export function useIsDatasetsPanelOpen(): boolean {
  return useSyncExternalStore(subscribe, () => isOpen)
}
