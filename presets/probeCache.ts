import type { Probe } from './probes'

/**
 * The probes that judge a run's evaluations (the digit classifier, the smile regressor), trained
 * on first use and kept for the run's later evaluations, so a run evaluated at several
 * checkpoints trains each once. A probe depends on its data and settings only, never on the
 * trained graph, and its key names them. The run disposes the cache.
 */
export interface ProbeCache {
  /** The entry under `key`, made by `train` the first time. */
  get<T extends { probe: Probe }>(key: string, train: () => Promise<T>): Promise<T>
  /** Disposes every probe trained so far. */
  dispose(): Promise<void>
}

export function createProbeCache(): ProbeCache {
  const entries = new Map<string, Promise<{ probe: Probe }>>()
  return {
    get<T extends { probe: Probe }>(key: string, train: () => Promise<T>): Promise<T> {
      const kept = entries.get(key)
      if (kept !== undefined) return kept as Promise<T>
      const trained = train()
      entries.set(key, trained)
      // A failed training is not kept: the next evaluation tries again.
      trained.catch(() => entries.delete(key))
      return trained
    },
    async dispose() {
      const all = [...entries.values()]
      entries.clear()
      for (const result of await Promise.allSettled(all)) {
        if (result.status === 'fulfilled') result.value.probe.dispose()
      }
    },
  }
}

/**
 * Runs `use` with a probe: the cache's when there is one, else one trained for this call and
 * disposed after it.
 */
export async function withProbe<T extends { probe: Probe }, R>(
  probes: ProbeCache | undefined,
  key: string,
  train: () => Promise<T>,
  use: (trained: T) => Promise<R>,
): Promise<R> {
  if (probes !== undefined) return use(await probes.get(key, train))
  const trained = await train()
  try {
    return await use(trained)
  } finally {
    trained.probe.dispose()
  }
}
