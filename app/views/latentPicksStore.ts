/**
 * The user's picks in the latent tools (issue #8), per view node: which held-out faces the
 * interpolation joins and which face the smile vector is added to. The poller sends them with
 * the view's request and asks again at once when they change; they last while the page is
 * open, across runs (face i is the same held-out face in every run of a graph).
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react'
import type { LatentPicks } from '../../nodes/view/latentPicks'

export interface LatentPicksStore {
  get(nodeId: string): LatentPicks | undefined
  set(nodeId: string, picks: LatentPicks): void
  /** Hears which node's picks changed. */
  subscribe(listener: (nodeId: string) => void): () => void
}

export function createLatentPicksStore(): LatentPicksStore {
  const picks = new Map<string, LatentPicks>()
  const listeners = new Set<(nodeId: string) => void>()
  return {
    get: (nodeId) => picks.get(nodeId),
    set(nodeId, next) {
      const previous = picks.get(nodeId)
      if (previous?.from === next.from && previous.to === next.to && previous.face === next.face)
        return
      picks.set(nodeId, next)
      for (const listener of listeners) listener(nodeId)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * The page's picks. One app runs per page, so a default store serves it without a provider;
 * tests provide their own.
 */
export const LatentPicksContext = createContext<LatentPicksStore>(createLatentPicksStore())

/** One view node's picks (undefined until the user picks), and the setter. */
export function useLatentPicks(
  nodeId: string,
): [LatentPicks | undefined, (picks: LatentPicks) => void] {
  const store = useContext(LatentPicksContext)
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store])
  const picks = useSyncExternalStore(subscribe, () => store.get(nodeId))
  const setPicks = useCallback(
    (next: LatentPicks) => {
      store.set(nodeId, next)
    },
    [store, nodeId],
  )
  return [picks, setPicks]
}
