/**
 * Static analysis of a document (DESIGN §3): ports and kinds, topological order, cycles,
 * missing inputs, shape inference through the whole graph with weight sharing, cost, and the
 * training setup. Pure and fast: the editor runs it on every change.
 */
import { error, warning, type Diagnostic } from './diagnostics'
import type { DocumentEdge, DocumentNode, GraphDocument } from './document'
import type { AnyNodeDefinition, CheckContext, NodeCost } from './nodeDefinition'
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
  /** Per application: input shapes by base port id, for applications that were inferred. */
  inputShapes: (Record<string, Shape> | undefined)[]
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
      inputShapes: [],
      outputShapes: [],
      cost: undefined,
    })
  }

  const validEdges = checkEdges(document.edges, nodes, diagnostics)
  const incoming = new Map<string, DocumentEdge>() // `${node}\u0000${port}` → edge
  for (const edge of validEdges) incoming.set(`${edge.to.node}\u0000${edge.to.port}`, edge)

  const { order, applications } = topologicalOrder(document, nodes, validEdges, diagnostics)
  const edgeShapes = new Map<string, Shape>()
  for (const { node: id, application } of applications) {
    const analysis = nodes.get(id)
    if (analysis?.definition === undefined) continue
    inferApplication(
      analysis,
      analysis.definition,
      application,
      incoming,
      nodes,
      edgeShapes,
      diagnostics,
    )
  }
  for (const analysis of nodes.values()) {
    const firstShapes = analysis.inputShapes[0]
    const { definition } = analysis
    const isInferred = analysis.outputShapes.filter(Boolean).length === analysis.applications
    if (definition?.cost === undefined || firstShapes === undefined || !isInferred) continue
    analysis.cost = definition.cost(firstShapes, analysis.params as ParamValues<ParamMap>)
  }

  checkSemantics(nodes, validEdges, diagnostics)
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

/**
 * Kahn's algorithm over node applications, in document order (stable). Weight sharing makes
 * applications the unit: CycleGAN's G_AB feeds G_BA, whose second application feeds G_AB's
 * second, which is a loop between nodes but not between applications. Nodes with an
 * application on a real cycle are reported and left out.
 */
function topologicalOrder(
  document: GraphDocument,
  nodes: ReadonlyMap<string, NodeAnalysis>,
  edges: readonly DocumentEdge[],
  diagnostics: Diagnostic[],
): { order: string[]; applications: { node: string; application: number }[] } {
  const key = (node: string, application: number) => `${node}\u0000${application}`
  const vertices: { node: string; application: number }[] = []
  for (const node of document.nodes) {
    const count = nodes.get(node.id)?.applications ?? 1
    for (let application = 0; application < count; application++)
      vertices.push({ node: node.id, application })
  }
  const indegree = new Map(vertices.map((vertex) => [key(vertex.node, vertex.application), 0]))
  const next = new Map<string, string[]>()
  for (const edge of edges) {
    const from = key(edge.from.node, parseApplicationPortId(edge.from.port).application)
    const to = key(edge.to.node, parseApplicationPortId(edge.to.port).application)
    // Ports of placeholders are unchecked; an edge to an application that does not exist is
    // already an UNKNOWN_PORT, so it constrains nothing here.
    if (!indegree.has(from) || !indegree.has(to)) continue
    indegree.set(to, (indegree.get(to) ?? 0) + 1)
    next.set(from, [...(next.get(from) ?? []), to])
  }
  const byKey = new Map(vertices.map((vertex) => [key(vertex.node, vertex.application), vertex]))
  const ready = vertices.filter(
    (vertex) => indegree.get(key(vertex.node, vertex.application)) === 0,
  )
  const applications: { node: string; application: number }[] = []
  for (let index = 0; index < ready.length; index++) {
    const vertex = ready[index]
    if (vertex === undefined) continue
    applications.push(vertex)
    for (const target of next.get(key(vertex.node, vertex.application)) ?? []) {
      const remaining = (indegree.get(target) ?? 0) - 1
      indegree.set(target, remaining)
      const targetVertex = byKey.get(target)
      if (remaining === 0 && targetVertex !== undefined) ready.push(targetVertex)
    }
  }
  const placed = new Set(applications.map((vertex) => key(vertex.node, vertex.application)))
  const stuck = new Set(
    vertices
      .filter((vertex) => !placed.has(key(vertex.node, vertex.application)))
      .map((vertex) => vertex.node),
  )
  for (const id of stuck) {
    diagnostics.push(
      error(
        'CYCLE',
        `This node is part of a loop (${[...stuck].join(' → ')}); data must flow one way.`,
        {
          node: id,
        },
      ),
    )
  }
  const order: string[] = []
  for (const { node } of applications) {
    if (!stuck.has(node) && !order.includes(node)) order.push(node)
  }
  return { order, applications: applications.filter((vertex) => !stuck.has(vertex.node)) }
}

/**
 * Infers one application of a node, or leaves it without shapes (a diagnostic says why, or an
 * upstream node failed); applications of a shared block must see the same input shapes.
 */
function inferApplication(
  analysis: NodeAnalysis,
  definition: AnyNodeDefinition,
  application: number,
  incoming: ReadonlyMap<string, DocumentEdge>,
  nodes: ReadonlyMap<string, NodeAnalysis>,
  edgeShapes: Map<string, Shape>,
  diagnostics: Diagnostic[],
): void {
  const id = analysis.node.id
  // The params were resolved against this definition's own specs.
  const params = analysis.params as ParamValues<ParamMap>
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
  if (!isComplete) return

  // Shared weights: every application must see the shapes of the applications inferred before.
  const other = analysis.inputShapes.find(
    (known, index) => index !== application && known !== undefined,
  )
  if (other !== undefined) {
    const differing = Object.keys({ ...other, ...shapes }).find((port) => {
      const a = other[port]
      const b = shapes[port]
      return a === undefined || b === undefined || !shapesEqual(a, b)
    })
    if (differing !== undefined) {
      diagnostics.push(
        error(
          'SHARED_SHAPE_MISMATCH',
          `Application ${application + 1} shares weights with the others, so "${differing}" must have the same shape.`,
          {
            node: id,
            port: applicationPortId(differing, application),
            expected: formatShape(other[differing] ?? []),
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
          ...(issue.port === undefined ? {} : { port: applicationPortId(issue.port, application) }),
          ...(issue.expected === undefined ? {} : { expected: issue.expected }),
          ...(issue.actual === undefined ? {} : { actual: issue.actual }),
        }),
      )
    }
    return
  }
  const outputs = result.outputs as Record<string, Shape>
  const missing = Object.keys(definition.outputs).filter((port) => !Object.hasOwn(outputs, port))
  if (missing.length > 0) {
    // A defect in the node definition, not in the user's graph; say so plainly.
    diagnostics.push(
      error(
        'BUILD_FAILED',
        `${definition.label} did not work out the shape of ${missing.join(', ')}.`,
        { node: id },
      ),
    )
    return
  }
  analysis.inputShapes[application] = shapes
  analysis.outputShapes[application] = outputs
}

/** Runs every node's semantic check with a small view of the graph around it. */
function checkSemantics(
  nodes: ReadonlyMap<string, NodeAnalysis>,
  edges: readonly DocumentEdge[],
  diagnostics: Diagnostic[],
): void {
  const sourceOf = (node: string, port: string) =>
    edges.find((edge) => edge.to.node === node && edge.to.port === port)?.from
  for (const [id, analysis] of nodes) {
    const check = analysis.definition?.check
    if (check === undefined) continue
    const context: CheckContext<ParamMap> = {
      params: analysis.params as ParamValues<ParamMap>,
      dataInfo(port) {
        const source = sourceOf(id, port)
        const upstream = source === undefined ? undefined : nodes.get(source.node)
        return upstream?.definition?.dataInfo?.(upstream.params as ParamValues<ParamMap>)
      },
      consumersOfSource(port) {
        const source = sourceOf(id, port)
        if (source === undefined) return []
        return edges
          .filter((edge) => edge.from.node === source.node && edge.from.port === source.port)
          .map((edge) => nodes.get(edge.to.node)?.node.type ?? '')
      },
    }
    let issues: ReturnType<typeof check>
    try {
      issues = check(context)
    } catch {
      continue // a check that fails to run must not hide the rest of the analysis
    }
    for (const issue of issues) {
      diagnostics.push({
        code: issue.code,
        severity: issue.severity,
        message: issue.message,
        node: id,
        ...(issue.port === undefined ? {} : { port: issue.port }),
        ...(issue.expected === undefined ? {} : { expected: issue.expected }),
        ...(issue.actual === undefined ? {} : { actual: issue.actual }),
      })
    }
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
