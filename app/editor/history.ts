/**
 * Undo history over whole documents (they are small and immutable, so a step is one reference).
 * Changes that carry the same coalescing key within a short pause join the step before them: a
 * drag is one undo step however many frames it took, and so is scrubbing a slider.
 */
import type { GraphDocument } from '../../graph-core/document'

export interface History {
  readonly past: readonly GraphDocument[]
  readonly present: GraphDocument
  readonly future: readonly GraphDocument[]
  /** Key and time of the last recorded change, for coalescing. */
  readonly lastKey?: string
  readonly lastAt?: number
}

/** Steps kept; older ones fall off. */
export const HISTORY_LIMIT = 200

/** Changes with the same key closer together than this (ms) coalesce. */
export const COALESCE_WINDOW_MS = 1500

export function createHistory(present: GraphDocument): History {
  return { past: [], present, future: [] }
}

/**
 * Records `next` as the new present. With a `coalesceKey` equal to the last change's, within
 * the window, the previous step is replaced instead of a new one being pushed.
 */
export function record(
  history: History,
  next: GraphDocument,
  options: { coalesceKey?: string; now?: number } = {},
): History {
  if (next === history.present) return history
  const now = options.now ?? Date.now()
  const key = options.coalesceKey
  const isCoalesced =
    key !== undefined &&
    key === history.lastKey &&
    history.lastAt !== undefined &&
    now - history.lastAt < COALESCE_WINDOW_MS
  const past = isCoalesced ? history.past : [...history.past, history.present].slice(-HISTORY_LIMIT)
  return { past, present: next, future: [], lastKey: key, lastAt: now }
}

export function undo(history: History): History {
  const previous = history.past.at(-1)
  if (previous === undefined) return history
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
  }
}

export function redo(history: History): History {
  const [next, ...future] = history.future
  if (next === undefined) return history
  return { past: [...history.past, history.present], present: next, future }
}

/** Replaces the whole history (a graph opened from the library, a preset, a share link). */
export function resetHistory(present: GraphDocument): History {
  return createHistory(present)
}
