/**
 * Document + analysis → React Flow's nodes and edges (derived, never saved). Objects are reused
 * while what a node shows is unchanged, so a drag in a 300-node graph re-renders one node, not
 * three hundred.
 */
import type { Edge, Node } from '@xyflow/react'
import type { GraphAnalysis, NodeAnalysis } from '../../graph-core/analysis'
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { DocumentEdge, DocumentNode } from '../../graph-core/document'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import type { NodeRegistry } from '../../graph-core/registry'
import { formatShape } from '../../graph-core/shapes'
import type { EditorState } from './editorStore'

export type LabNodeData = {
  node: DocumentNode
  definition: AnyNodeDefinition | undefined
  analysis: NodeAnalysis | undefined
  diagnostics: readonly Diagnostic[]
}
export type LabFlowNode = Node<LabNodeData, 'lab'>

export type ShapeEdgeData = {
  /** The shape flowing along the edge, e.g. "[1, 28, 28]", when known. */
  shape: string | undefined
  /** Why the edge is wrong (shape or kind mismatch), when it is. */
  problem: Diagnostic | undefined
}
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>

const EDGE_PROBLEMS = new Set(['SHAPE_MISMATCH', 'SHARED_SHAPE_MISMATCH', 'INCOMPATIBLE_PORTS'])

/** Diagnostics by the node they point at. */
export function diagnosticsByNode(analysis: GraphAnalysis): Map<string, Diagnostic[]> {
  const byNode = new Map<string, Diagnostic[]>()
  for (const diagnostic of analysis.diagnostics) {
    if (diagnostic.node === undefined) continue
    const list = byNode.get(diagnostic.node)
    if (list === undefined) byNode.set(diagnostic.node, [diagnostic])
    else list.push(diagnostic)
  }
  return byNode
}

interface CachedNode {
  node: DocumentNode
  signature: string
  selected: boolean
  measured: { width: number; height: number } | undefined
  flow: LabFlowNode
}

/** A mapper that remembers its last output to hand back unchanged objects. */
export function createFlowMapper(registry: NodeRegistry) {
  let cache = new Map<string, CachedNode>()
  let lastAnalysis: GraphAnalysis | undefined
  let lastDiagnostics = new Map<string, Diagnostic[]>()

  function nodes(state: EditorState): LabFlowNode[] {
    const isSameAnalysis = state.analysis === lastAnalysis
    if (!isSameAnalysis) {
      lastAnalysis = state.analysis
      lastDiagnostics = diagnosticsByNode(state.analysis)
    }
    const next = new Map<string, CachedNode>()
    const result = state.document.nodes.map((node) => {
      const analysis = state.analysis.nodes.get(node.id)
      const diagnostics = lastDiagnostics.get(node.id) ?? []
      // Signatures only change with the analysis; a drag reuses them.
      const cachedSignature = cache.get(node.id)
      const signature =
        cachedSignature !== undefined && isSameAnalysis
          ? cachedSignature.signature
          : nodeSignature(analysis, diagnostics)
      const selected = state.selection.nodes.has(node.id)
      const measured = state.measured.get(node.id)
      const cached = cache.get(node.id)
      if (
        cached !== undefined &&
        cached.node === node &&
        cached.signature === signature &&
        cached.selected === selected &&
        cached.measured === measured
      ) {
        next.set(node.id, cached)
        return cached.flow
      }
      const definition = registry.get(node.type)
      const isInvalid = diagnostics.some((diagnostic) => diagnostic.severity === 'error')
      const flow: LabFlowNode = {
        id: node.id,
        type: 'lab',
        position: node.position,
        data: { node, definition, analysis, diagnostics },
        selected,
        ariaLabel: `${node.title ?? definition?.label ?? node.type} node`,
        domAttributes: {
          'data-node-type': node.type,
          'data-node-id': node.id,
          'aria-invalid': isInvalid ? 'true' : undefined,
        } as LabFlowNode['domAttributes'],
        ...(measured === undefined ? {} : { measured }),
      }
      next.set(node.id, { node, signature, selected, measured, flow })
      return flow
    })
    cache = next
    return result
  }

  let edgeCache = new Map<string, { edge: DocumentEdge; key: string; flow: ShapeFlowEdge }>()
  let lastEdges: ShapeFlowEdge[] = []
  let lastEdgeInputs: readonly unknown[] = []

  function edges(state: EditorState): ShapeFlowEdge[] {
    // A drag changes only node positions: hand back the last edges without looking at them.
    const inputs = [state.document.edges, state.analysis, state.selection.edges]
    if (inputs.every((input, i) => input === lastEdgeInputs[i])) return lastEdges
    lastEdgeInputs = inputs
    const problems = new Map<string, Diagnostic>()
    for (const diagnostic of state.analysis.diagnostics) {
      if (!EDGE_PROBLEMS.has(diagnostic.code) || diagnostic.node === undefined) continue
      problems.set(`${diagnostic.node}\u0000${diagnostic.port ?? ''}`, diagnostic)
    }
    const next = new Map<string, { edge: DocumentEdge; key: string; flow: ShapeFlowEdge }>()
    const result = state.document.edges.map((edge) => {
      const shapeValue = state.analysis.edgeShapes.get(edge.id)
      const shape = shapeValue === undefined ? undefined : formatShape(shapeValue)
      const problem = problems.get(`${edge.to.node}\u0000${edge.to.port}`)
      const selected = state.selection.edges.has(edge.id)
      const key = `${shape ?? ''}|${problem?.message ?? ''}|${String(selected)}`
      const cached = edgeCache.get(edge.id)
      if (cached !== undefined && cached.edge === edge && cached.key === key) {
        next.set(edge.id, cached)
        return cached.flow
      }
      const flow: ShapeFlowEdge = {
        id: edge.id,
        type: 'shape',
        source: edge.from.node,
        sourceHandle: edge.from.port,
        target: edge.to.node,
        targetHandle: edge.to.port,
        selected,
        data: { shape, problem },
        ariaLabel: `Connection from ${edge.from.node} ${edge.from.port} to ${edge.to.node} ${edge.to.port}`,
      }
      next.set(edge.id, { edge, key, flow })
      return flow
    })
    edgeCache = next
    // The same array when nothing changed: React Flow then skips rebuilding its edge lookups,
    // which a drag would otherwise trigger on every frame.
    if (result.length === lastEdges.length && result.every((edge, i) => edge === lastEdges[i]))
      return lastEdges
    lastEdges = result
    return result
  }

  return { nodes, edges }
}

/** What a node shows besides its document entry: shapes, cost, diagnostics. */
function nodeSignature(analysis: NodeAnalysis | undefined, diagnostics: readonly Diagnostic[]) {
  return JSON.stringify([
    analysis?.applications,
    analysis?.inputShapes,
    analysis?.outputShapes,
    analysis?.cost,
    diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.port, diagnostic.message]),
  ])
}
