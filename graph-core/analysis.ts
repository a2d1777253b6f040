/**
 * Static analysis of a document (DESIGN §3): ports and kinds, topological order, cycles,
 * missing inputs, shape inference through the whole graph with weight sharing, cost, and the
 * training setup. Pure and fast: the editor runs it on every change.
 */
import { error, warning, type Diagnostic } from './diagnostics'
import type { DocumentEdge, DocumentNode, GraphDocument } from './document'
import type { AnyNodeDefinition, NodeCost } from './nodeDefinition'
import { resolveParams, type ParamMap, type ParamValues } from './params'
import {
  applicationPortId,
  connectionProblem,
  parseApplicationPortId,
  type PortSpec,
} from './ports'
import type { NodeRegistry } from './registry'
import { formatShape, shapesEqual, type Shape } from './shapes'

/** What the analysis knows about one node. */
export interface NodeAnalysis {
  node: DocumentNode
  /** Undefined for unknown types (kept as placeholders). */
  definition: AnyNodeDefinition | undefined
  /** Params the node runs with: saved values that fit, defaults otherwise. */
  params: Record<string, unknown>
  /** 1, or more for a shareable block applied to several inputs. */
  applications: number
  /** Per application: input shapes by base port id (only ports whose shape is known). */
  inputShapes: Record<string, Shape>[]
  /** Per application: output shapes by base port id; empty when inference failed. */
  outputShapes: Record<string, Shape>[]
  /** Cost of one application (parameters are owned once). */
  cost: NodeCost | undefined
}

export interface GraphAnalysis {
  /** Node ids in data-flow order; nodes on a cycle are left out. */
  order: string[]
  nodes: Map<string, NodeAnalysis>
  /** Edges that passed the port checks, and the shape flowing along each when known. */
  validEdges: DocumentEdge[]
  edgeShapes: Map<string, Shape>
  /** Optimizer id → the node ids it updates. */
  trainedBy: Map<string, string[]>
  diagnostics: Diagnostic[]
  totals: { parameters: number; flops: number }
}

/** The input and output port ids a node exposes, application suffixes included. */
export function portIds(
  definition: AnyNodeDefinition,
  applications: number,
): { inputs: Map<string, PortSpec>; outputs: Map<string, PortSpec> } {
  const expand = (ports: Readonly<Record<string, PortSpec>>) => {
    const result = new Map<string, PortSpec>()
    for (let application = 0; application < applications; application++) {
      for (const [port, spec] of Object.entries(ports)) {
        result.set(applicationPortId(port, application), spec)
      }
    }
    return result
  }
  return { inputs: expand(definition.inputs), outputs: expand(definition.outputs) }
}

export function analyzeGraph(document: GraphDocument, registry: NodeRegistry): GraphAnalysis {
  const diagnostics: Diagnostic[] = []
  const nodes = new Map<string, NodeAnalysis>()

  for (const node of document.nodes) {
    const definition = registry.get(node.type)
    if (definition === undefined) {
      diagnostics.push(
        error('UNKNOWN_NODE_TYPE', `"${node.type}" is not a node type this version knows.`, {
          node: node.id,
        }),
      )
    }
    const resolved =
      definition === undefined ? undefined : resolveParams(definition.params, node.params)
    for (const [param, problem] of Object.entries(resolved?.invalid ?? {})) {
      const label = definition?.params[param]?.label ?? param
      diagnostics.push(
        error('PARAM_INVALID', `${label} ${problem}; the default is used until it is fixed.`, {
          node: node.id,
          port: param,
        }),
      )
    }
    const applications = definition?.isShareable === true ? (node.applications ?? 1) : 1
    nodes.set(node.id, {
      node,
      definition,
      params: resolved?.values ?? { ...node.params },
      applications,
      inputShapes: Array.from({ length: applications }, () => ({})),
      outputShapes: [],
      cost: undefined,
    })
  }

  const validEdges = checkEdges(document.edges, nodes, diagnostics)
  const incoming = new Map<string, DocumentEdge>() // `${node}\u0000${port}` → edge
  for (const edge of validEdges) incoming.set(`${edge.to.node}\u0000${edge.to.port}`, edge)

  const order = topologicalOrder(document, validEdges, diagnostics)
  const edgeShapes = new Map<string, Shape>()
  for (const id of order) {
    const analysis = nodes.get(id)
    if (analysis?.definition === undefined) continue
    inferNode(analysis, analysis.definition, incoming, nodes, edgeShapes, diagnostics)
  }

  const trainedBy = checkTraining(document, nodes, validEdges, diagnostics)
  const totals = { parameters: 0, flops: 0 }
  for (const analysis of nodes.values()) {
    if (analysis.cost === undefined) continue
    totals.parameters += analysis.cost.parameters
    totals.flops += analysis.cost.flops * analysis.applications
  }
  return { order, nodes, validEdges, edgeShapes, trainedBy, diagnostics, totals }
}

function checkEdges(
  edges: readonly DocumentEdge[],
  nodes: ReadonlyMap<string, NodeAnalysis>,
  diagnostics: Diagnostic[],
): DocumentEdge[] {
  const valid: DocumentEdge[] = []
  const filled = new Set<string>()
  for (const edge of edges) {
    const from = nodes.get(edge.from.node)
    const to = nodes.get(edge.to.node)
    if (from === undefined || to === undefined) {
      const missing = from === undefined ? edge.from.node : edge.to.node
      diagnostics.push(
        error(
          'UNKNOWN_NODE',
          `A connection refers to a node "${missing}" that is not in the graph.`,
          {
            node: from === undefined ? edge.to.node : edge.from.node,
          },
        ),
      )
      continue
    }
    // Placeholders keep their connections but nothing can be checked about them.
    if (from.definition === undefined || to.definition === undefined) {
      valid.push(edge)
      continue
    }
    const fromPort = portIds(from.definition, from.applications).outputs.get(edge.from.port)
    const toPort = portIds(to.definition, to.applications).inputs.get(edge.to.port)
    if (fromPort === undefined || toPort === undefined) {
      const [node, port, side] =
        fromPort === undefined
          ? [edge.from.node, edge.from.port, 'output']
          : [edge.to.node, edge.to.port, 'input']
      const owner = nodes.get(node)?.definition?.label ?? node
      diagnostics.push(error('UNKNOWN_PORT', `${owner} has no ${side} "${port}".`, { node, port }))
      continue
    }
    const problem = connectionProblem(fromPort.kind, toPort.kind)
    if (problem !== undefined) {
      diagnostics.push(
        error('INCOMPATIBLE_PORTS', `This connection is refused: ${problem}.`, {
          node: edge.to.node,
          port: edge.to.port,
          expected: toPort.kind,
          actual: fromPort.kind,
        }),
      )
      continue
    }
    const key = `${edge.to.node}\u0000${edge.to.port}`
    if (filled.has(key)) {
      diagnostics.push(
        error(
          'DUPLICATE_INPUT',
          `Input "${edge.to.port}" has more than one connection; only the first is used.`,
          {
            node: edge.to.node,
            port: edge.to.port,
          },
        ),
      )
      continue
    }
    filled.add(key)
    valid.push(edge)
  }
  return valid
}

/** Kahn's algorithm in document order (stable); nodes on cycles are reported and left out. */
function topologicalOrder(
  document: GraphDocument,
  edges: readonly DocumentEdge[],
  diagnostics: Diagnostic[],
): string[] {
  const indegree = new Map(document.nodes.map((node) => [node.id, 0]))
  const next = new Map<string, string[]>()
  for (const edge of edges) {
    indegree.set(edge.to.node, (indegree.get(edge.to.node) ?? 0) + 1)
    next.set(edge.from.node, [...(next.get(edge.from.node) ?? []), edge.to.node])
  }
  const ready = document.nodes.filter((node) => indegree.get(node.id) === 0).map((node) => node.id)
  const order: string[] = []
  for (let index = 0; index < ready.length; index++) {
    const id = ready[index]
    if (id === undefined) continue
    order.push(id)
    for (const target of next.get(id) ?? []) {
      const remaining = (indegree.get(target) ?? 0) - 1
      indegree.set(target, remaining)
      if (remaining === 0) ready.push(target)
    }
  }
  if (order.length < document.nodes.length) {
    const placed = new Set(order)
    const stuck = document.nodes.filter((node) => !placed.has(node.id)).map((node) => node.id)
    for (const id of stuck) {
      diagnostics.push(
        error(
          'CYCLE',
          `This node is part of a loop (${stuck.join(' → ')}); data must flow one way.`,
          {
            node: id,
          },
        ),
      )
    }
  }
  return order
}

function inferNode(
  analysis: NodeAnalysis,
  definition: AnyNodeDefinition,
  incoming: ReadonlyMap<string, DocumentEdge>,
  nodes: ReadonlyMap<string, NodeAnalysis>,
  edgeShapes: Map<string, Shape>,
  diagnostics: Diagnostic[],
): void {
  const id = analysis.node.id
  // The params were resolved against this definition's own specs.
  const params = analysis.params as ParamValues<ParamMap>
  const inferred: Record<string, Shape>[] = []
  for (let application = 0; application < analysis.applications; application++) {
    const shapes: Record<string, Shape> = {}
    let isComplete = true
    for (const [port, spec] of Object.entries(definition.inputs)) {
      const portId = applicationPortId(port, application)
      const edge = incoming.get(`${id}\u0000${portId}`)
      if (edge === undefined) {
        if (spec.isOptional !== true) {
          isComplete = false
          diagnostics.push(
            error(
              'MISSING_INPUT',
              `${definition.label} needs its "${spec.label ?? port}" input connected.`,
              {
                node: id,
                port: portId,
              },
            ),
          )
        }
        continue
      }
      const source = nodes.get(edge.from.node)
      const { port: sourcePort, application: sourceApplication } = parseApplicationPortId(
        edge.from.port,
      )
      const shape = source?.outputShapes[sourceApplication]?.[sourcePort]
      if (shape === undefined) {
        isComplete = false // upstream could not be inferred; it has its own diagnostic
        continue
      }
      edgeShapes.set(edge.id, shape)
      if (spec.rank !== undefined && shape.length !== spec.rank) {
        isComplete = false
        diagnostics.push(
          error(
            'SHAPE_MISMATCH',
            `"${spec.label ?? port}" takes rank-${spec.rank} samples; ${formatShape(shape)} arrived.`,
            {
              node: id,
              port: portId,
              expected: `rank ${spec.rank}`,
              actual: formatShape(shape),
            },
          ),
        )
        continue
      }
      shapes[port] = shape
    }
    analysis.inputShapes[application] = shapes
    if (!isComplete) return

    const first = inferred[0] === undefined ? undefined : analysis.inputShapes[0]
    if (first !== undefined) {
      const differing = Object.keys(shapes).find((port) => {
        const a = first[port]
        const b = shapes[port]
        return a === undefined || b === undefined || !shapesEqual(a, b)
      })
      if (differing !== undefined) {
        diagnostics.push(
          error(
            'SHARED_SHAPE_MISMATCH',
            `Application ${application + 1} shares weights with the first, so "${differing}" must have the same shape.`,
            {
              node: id,
              port: applicationPortId(differing, application),
              expected: formatShape(first[differing] ?? []),
              actual: formatShape(shapes[differing] ?? []),
            },
          ),
        )
        return
      }
    }

    let result: ReturnType<AnyNodeDefinition['inferShapes']>
    try {
      result = definition.inferShapes(shapes, params)
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      diagnostics.push(
        error('BUILD_FAILED', `${definition.label} could not infer its shapes (${reason}).`, {
          node: id,
        }),
      )
      return
    }
    if ('issues' in result) {
      for (const issue of result.issues) {
        diagnostics.push(
          error('SHAPE_MISMATCH', issue.message, {
            node: id,
            ...(issue.port === undefined
              ? {}
              : { port: applicationPortId(issue.port, application) }),
            ...(issue.expected === undefined ? {} : { expected: issue.expected }),
            ...(issue.actual === undefined ? {} : { actual: issue.actual }),
          }),
        )
      }
      return
    }
    inferred.push(result.outputs as Record<string, Shape>)
  }
  analysis.outputShapes = inferred
  const firstShapes = analysis.inputShapes[0]
  if (definition.cost !== undefined && firstShapes !== undefined) {
    analysis.cost = definition.cost(firstShapes, params)
  }
}

/**
 * Which nodes each optimizer trains (its `trains` param, else every trainable ancestor of its
 * loss), and the training-setup diagnostics of DESIGN §3.
 */
function checkTraining(
  document: GraphDocument,
  nodes: ReadonlyMap<string, NodeAnalysis>,
  edges: readonly DocumentEdge[],
  diagnostics: Diagnostic[],
): Map<string, string[]> {
  const inputsOf = new Map<string, string[]>()
  const consumers = new Map<string, DocumentEdge[]>()
  for (const edge of edges) {
    inputsOf.set(edge.to.node, [...(inputsOf.get(edge.to.node) ?? []), edge.from.node])
    consumers.set(edge.from.node, [...(consumers.get(edge.from.node) ?? []), edge])
  }
  const ancestors = (id: string): Set<string> => {
    const seen = new Set<string>()
    const stack = [...(inputsOf.get(id) ?? [])]
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next)) continue
      seen.add(next)
      stack.push(...(inputsOf.get(next) ?? []))
    }
    return seen
  }
  const isTrainable = (id: string) => (nodes.get(id)?.cost?.parameters ?? 0) > 0

  const trainedBy = new Map<string, string[]>()
  for (const node of document.nodes) {
    const analysis = nodes.get(node.id)
    if (analysis?.definition?.category !== 'optim') continue
    const upstream = ancestors(node.id)
    const refs = analysis.params.trains
    const chosen =
      Array.isArray(refs) && refs.length > 0
        ? refs.filter((ref): ref is string => typeof ref === 'string')
        : undefined
    for (const ref of chosen ?? []) {
      if (!nodes.has(ref)) {
        diagnostics.push(
          warning(
            'UNKNOWN_NODE',
            `The optimizer is set to train "${ref}", which is not in the graph.`,
            { node: node.id },
          ),
        )
      }
    }
    const trained = (chosen ?? [...upstream]).filter((id) => isTrainable(id))
    trainedBy.set(node.id, trained)
    const hasLoss = edges.some((edge) => edge.to.node === node.id)
    if (hasLoss && trained.length === 0) {
      diagnostics.push(
        error(
          'OPTIMIZER_NOTHING_TO_TRAIN',
          'This optimizer has nothing to train: no node with weights feeds its loss.',
          {
            node: node.id,
          },
        ),
      )
    }
  }

  // A loss output must reach an optimizer, directly or through weighted sums.
  const reachesOptimizer = (id: string, seen = new Set<string>()): boolean => {
    if (seen.has(id)) return false
    seen.add(id)
    return (consumers.get(id) ?? []).some((edge) => {
      const target = nodes.get(edge.to.node)?.definition
      if (target?.category === 'optim') return true
      const port = target?.inputs[parseApplicationPortId(edge.to.port).port]
      return port?.kind === 'loss' && reachesOptimizer(edge.to.node, seen)
    })
  }
  for (const [id, analysis] of nodes) {
    const outputs = Object.values(analysis.definition?.outputs ?? {})
    if (!outputs.some((port) => port.kind === 'loss')) continue
    if (!reachesOptimizer(id)) {
      diagnostics.push(
        warning(
          'LOSS_WITHOUT_OPTIMIZER',
          'This loss is not minimised by any optimizer; connect it to one.',
          { node: id },
        ),
      )
    }
  }
  return trainedBy
}
