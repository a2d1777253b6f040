/**
 * Whether the canvas is zoomed out far enough to draw nodes and edges compactly. One
 * subscription in the canvas provides it; nodes and edges read the context, so they re-render
 * only when it flips, not on every zoom step.
 */
import { createContext, useContext } from 'react'

/** Below this zoom text is unreadable; nodes draw title and handles only, edges no labels. */
export const COMPACT_ZOOM = 0.45

export const CompactContext = createContext(false)

export function useIsCompact(): boolean {
  return useContext(CompactContext)
}
