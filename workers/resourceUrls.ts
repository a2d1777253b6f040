/**
 * The URLs of the resources the build ships (tooling/mnistAsset.ts emits the packed MNIST file
 * and gives its URL through a virtual module), and the worker's loader over them. Import this
 * only from worker code: it pulls the asset into the bundle that imports it.
 */
import type { GraphDocument } from '../graph-core/document'
import type { NodeRegistry } from '../graph-core/registry'
import { requiredResources, type ResourceMap } from '../graph-core/resources'
import mnistUrl from 'virtual:latent-lab/mnist-url'
import { isDatasetResource, loadDatasetResources } from './datasetResources'
import { createResourceLoader, type ResourceUrls } from './resources'

export const RESOURCE_URLS: ResourceUrls = { mnist: mnistUrl }

const loader = createResourceLoader(RESOURCE_URLS)

/**
 * Fetches (once per worker) what the document's nodes need, for `compileGraph`'s `resources`;
 * imported datasets (`dataset:<id>`) are read from IndexedDB instead (datasetResources.ts).
 */
export async function loadRequiredResources(
  document: GraphDocument,
  registry: NodeRegistry,
): Promise<ResourceMap> {
  const ids = requiredResources(document, registry)
  const [fetched, datasets] = await Promise.all([
    loader.load(ids.filter((id) => !isDatasetResource(id))),
    loadDatasetResources(ids),
  ])
  return new Map([...fetched, ...datasets])
}
