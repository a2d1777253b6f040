/**
 * Binary resources (DESIGN §5): data a node needs that the document does not hold, such as the
 * packed MNIST digits. A node names what it needs with `resources(params)`; whoever compiles
 * (the worker, the CLI) asks `requiredResources` which ids a document needs, loads their bytes
 * and passes them to `compileGraph` (or `buildNode`), whose build context hands them to the node
 * through `resource(id)`. graph-core itself never fetches or reads a file.
 */
import type { GraphDocument } from './document'
import type { AnyNodeDefinition } from './nodeDefinition'
import { resolveParams, type ParamMap, type ParamValues } from './params'
import type { NodeRegistry } from './registry'

/** Loaded resources by id (`'mnist'` → the packed digits). */
export type ResourceMap = ReadonlyMap<string, Uint8Array>

/** The resource ids a node needs with these params; none for nodes without `resources`. */
export function resourcesOf(
  definition: AnyNodeDefinition,
  params: Readonly<Record<string, unknown>>,
): readonly string[] {
  return definition.resources?.(params as ParamValues<ParamMap>) ?? []
}

/**
 * Every resource id the document's nodes need, sorted and without repeats: what the worker or
 * the CLI must load before compiling. Unknown node types need nothing; invalid params count as
 * their defaults, as they do when the graph is compiled.
 */
export function requiredResources(document: GraphDocument, registry: NodeRegistry): string[] {
  const ids = new Set<string>()
  for (const node of document.nodes) {
    const definition = registry.get(node.type)
    if (definition?.resources === undefined) continue
    const { values } = resolveParams(definition.params, node.params)
    for (const id of resourcesOf(definition, values)) ids.add(id)
  }
  return [...ids].sort()
}

/** The id of a resource a node needs that the caller did not load; undefined when all are there. */
export function missingResource(
  definition: AnyNodeDefinition,
  params: Readonly<Record<string, unknown>>,
  resources: ResourceMap | undefined,
): string | undefined {
  return resourcesOf(definition, params).find((id) => resources?.has(id) !== true)
}

/** The message for a resource that was not loaded, worded for the person who sees it. */
export function missingResourceMessage(id: string): string {
  return `the "${id}" data is not loaded`
}

/**
 * The `resource` function of a build context: the loaded bytes of a resource the node declared.
 * Throws for an undeclared id (the loader would not have known to load it) or a missing one.
 */
export function resourceAccessor(
  definition: AnyNodeDefinition,
  params: Readonly<Record<string, unknown>>,
  resources: ResourceMap | undefined,
): (id: string) => Uint8Array {
  const declared = resourcesOf(definition, params)
  return (id) => {
    if (!declared.includes(id)) {
      throw new Error(
        `${definition.type} reads resource "${id}" without declaring it in its resources()`,
      )
    }
    const bytes = resources?.get(id)
    if (bytes === undefined) throw new Error(missingResourceMessage(id))
    return bytes
  }
}
