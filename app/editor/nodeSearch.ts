/**
 * Finding node types: the palette's search, the quick-add box, and the search that opens when a
 * wire is dropped on empty canvas (only node types with a port that can take the wire).
 */
import type { DocumentNode } from '../../graph-core/document'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { defaultParams } from '../../graph-core/params'
import { freshNodeId, type Point } from '../../graph-core/commands'
import type { PortKind } from '../../graph-core/ports'

/** A dragged wire: its kind, and whether it leaves an output (so it needs an input). */
export interface WireEnd {
  kind: PortKind
  from: 'output' | 'input'
}

/**
 * Definitions matching every word of the query in label, description or type id, best first:
 * label prefix, then label, then type id, then description. An empty query keeps catalogue order.
 */
export function searchNodes(
  definitions: readonly AnyNodeDefinition[],
  query: string,
  wire?: WireEnd,
): AnyNodeDefinition[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const scored: { definition: AnyNodeDefinition; score: number; index: number }[] = []
  definitions.forEach((definition, index) => {
    if (wire !== undefined && compatiblePort(definition, wire) === undefined) return
    const label = definition.label.toLowerCase()
    const type = definition.type.toLowerCase()
    const description = definition.description.toLowerCase()
    let score = 0
    for (const word of words) {
      if (label.startsWith(word)) score += 8
      else if (label.includes(word)) score += 4
      else if (type.includes(word)) score += 2
      else if (description.includes(word)) score += 1
      else return
    }
    scored.push({ definition, score, index })
  })
  scored.sort((a, b) => b.score - a.score || a.index - b.index)
  return scored.map((entry) => entry.definition)
}

/** The first port of a definition that can take the wire's other end. */
export function compatiblePort(definition: AnyNodeDefinition, wire: WireEnd): string | undefined {
  const ports = wire.from === 'output' ? definition.inputs : definition.outputs
  return Object.entries(ports).find(([, spec]) => spec.kind === wire.kind)?.[0]
}

/** A new document node of a type with its default params, at a position, with a fresh id. */
export function createNode(
  definition: AnyNodeDefinition,
  position: Point,
  takenIds: ReadonlySet<string>,
): DocumentNode {
  return {
    id: freshNodeId(definition.type, takenIds),
    type: definition.type,
    typeVersion: definition.version,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    params: structuredClone(defaultParams(definition.params)),
  }
}
