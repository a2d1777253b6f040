/**
 * Binary resources for the CLI (graph-core/resources.ts): read from node_modules, packed on
 * demand and cached (tooling/mnistAsset.ts), never downloaded.
 */
import type { ResourceMap } from '../graph-core/resources'
import { packedMnist } from '../tooling/mnistAsset'

const LOADERS: Readonly<Record<string, () => Promise<Uint8Array>>> = {
  mnist: () => packedMnist(),
}

/** The bytes of each resource id; throws for an id the CLI does not know. */
export async function loadResources(ids: readonly string[]): Promise<ResourceMap> {
  const entries = await Promise.all(
    ids.map(async (id) => {
      const load = Object.hasOwn(LOADERS, id) ? LOADERS[id] : undefined
      if (load === undefined) throw new Error(`The CLI cannot load the "${id}" data`)
      return [id, await load()] as const
    }),
  )
  return new Map(entries)
}
