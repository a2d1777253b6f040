/**
 * Binary resources in the worker (graph-core/resources.ts): before compiling a document the
 * worker fetches the bytes of every resource `requiredResources` lists, from URLs the build
 * gives it (workers/resourceUrls.ts), and passes them to `compileGraph` as `resources`. Pure
 * apart from the injected `fetch`, so it is tested on Node.
 */
import type { ResourceMap } from '../graph-core/resources'

/** Where each resource the worker can load lives, by resource id. */
export type ResourceUrls = Readonly<Record<string, string>>

/** Loads resources by id, each fetched at most once; a failed fetch is tried again next time. */
export interface ResourceLoader {
  load(ids: readonly string[]): Promise<ResourceMap>
}

export function createResourceLoader(
  urls: ResourceUrls,
  fetchResource: typeof fetch = (input, init) => fetch(input, init),
): ResourceLoader {
  const loaded = new Map<string, Promise<Uint8Array>>()

  async function fetchOne(id: string): Promise<Uint8Array> {
    const url = Object.hasOwn(urls, id) ? urls[id] : undefined
    if (url === undefined) throw new Error(`The worker cannot load the "${id}" data: no URL for it`)
    let response: Response
    try {
      response = await fetchResource(url)
    } catch (cause) {
      throw new Error(
        `Could not load the "${id}" data from ${url}: ${cause instanceof Error ? cause.message : String(cause)}`,
      )
    }
    if (!response.ok) {
      throw new Error(
        `Could not load the "${id}" data from ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
      )
    }
    return new Uint8Array(await response.arrayBuffer())
  }

  return {
    async load(ids) {
      const entries = await Promise.all(
        ids.map(async (id) => {
          let pending = loaded.get(id)
          if (pending === undefined) {
            pending = fetchOne(id)
            loaded.set(id, pending)
            pending.catch(() => loaded.delete(id))
          }
          return [id, await pending] as const
        }),
      )
      return new Map(entries)
    },
  }
}
