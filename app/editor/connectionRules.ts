/**
 * Which wires the canvas accepts while dragging, and the sentence that says why one is refused.
 */
import type { GraphAnalysis } from '../../graph-core/analysis'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { connectionProblem, parseApplicationPortId, type PortSpec } from '../../graph-core/ports'

export interface Wire {
  source: string
  sourceHandle?: string | null
  target: string
  targetHandle?: string | null
}

/** Why the wire may not be made, or undefined when it may. */
export function connectionRefusal(analysis: GraphAnalysis, wire: Wire): string | undefined {
  if (wire.source === wire.target) return 'A node cannot feed itself.'
  const source = analysis.nodes.get(wire.source)
  const target = analysis.nodes.get(wire.target)
  // Placeholders of unknown node types keep whatever they had; nothing can be checked.
  if (source?.definition === undefined || target?.definition === undefined) return undefined
  const from = portSpec(source.definition, 'outputs', wire.sourceHandle)
  const to = portSpec(target.definition, 'inputs', wire.targetHandle)
  if (from === undefined || to === undefined) return 'Connect an output (right) to an input (left).'
  const problem = connectionProblem(from.kind, to.kind)
  if (problem === undefined) return undefined
  const name = target.node.title ?? target.definition.label
  const portName = to.label ?? parseApplicationPortId(wire.targetHandle ?? '').port
  return `Refused: ${problem} (${name} “${portName}” takes ${describeKind(to.kind)}).`
}

function portSpec(
  definition: AnyNodeDefinition,
  side: 'inputs' | 'outputs',
  handle: string | null | undefined,
): PortSpec | undefined {
  if (handle === null || handle === undefined) return undefined
  const { port } = parseApplicationPortId(handle)
  return Object.hasOwn(definition[side], port) ? definition[side][port] : undefined
}

function describeKind(kind: PortSpec['kind']): string {
  switch (kind) {
    case 'tensor':
      return 'a tensor of values per sample'
    case 'labels':
      return 'integer labels'
    case 'loss':
      return 'a loss'
  }
}
