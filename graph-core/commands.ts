/**
 * Editing commands (STYLE principle 4): every change to a graph is a named command applied as
 * `(document, command) => document`. The editor's undo/redo replays this one path; the CLI and
 * tests use it too. Commands never mutate their input and return the same document object when
 * they change nothing, so callers can skip a history entry.
 */
import type { DocumentEdge, DocumentNode, GraphDocument, PortRef } from './document'
import { applicationPortId, parseApplicationPortId } from './ports'

export interface Point {
  x: number
  y: number
}

export type GraphCommand =
  /** Adds nodes and the edges among them (palette drop, paste, duplicate). Ids must be new. */
  | { type: 'addNodes'; nodes: readonly DocumentNode[]; edges?: readonly DocumentEdge[] }
  /** Moves nodes (a drag, auto layout). */
  | { type: 'moveNodes'; positions: Readonly<Record<string, Point>> }
  /** Deletes nodes with every edge touching them, and edges. */
  | { type: 'removeElements'; nodes?: readonly string[]; edges?: readonly string[] }
  /**
   * Connects an output to an input. An input takes one edge, so an edge already there is
   * replaced. An input of a later application (`x@2`) grows the node's applications to match:
   * connecting another input to a shared block is how weight sharing is made (DESIGN §3).
   */
  | { type: 'connect'; id: string; from: PortRef; to: PortRef }
  | { type: 'setParam'; node: string; param: string; value: unknown }
  /** Sets (or, with an empty title, clears) a node's display name. */
  | { type: 'renameNode'; node: string; title: string }
  /** Removes one application of a shared block with its edges; later ones move down by one. */
  | { type: 'removeApplication'; node: string; application: number }
  | { type: 'renameGraph'; name: string }
  | { type: 'setSeed'; seed: number }

/** Whether a command can change what the analysis sees (positions and names never do). */
export function changesStructure(command: GraphCommand): boolean {
  return !['moveNodes', 'renameNode', 'renameGraph'].includes(command.type)
}

/** Applies a command; the same document object back means nothing changed. */
export function applyCommand(document: GraphDocument, command: GraphCommand): GraphDocument {
  switch (command.type) {
    case 'addNodes': {
      if (command.nodes.length === 0 && (command.edges ?? []).length === 0) return document
      const ids = new Set(document.nodes.map((node) => node.id))
      for (const node of command.nodes) {
        if (ids.has(node.id)) throw new Error(`A node "${node.id}" already exists`)
        ids.add(node.id)
      }
      return {
        ...document,
        nodes: [...document.nodes, ...command.nodes],
        edges: [...document.edges, ...(command.edges ?? [])],
      }
    }
    case 'moveNodes': {
      const nodes = document.nodes.map((node) => {
        const next = command.positions[node.id]
        if (next === undefined || (next.x === node.position.x && next.y === node.position.y))
          return node
        return { ...node, position: { x: next.x, y: next.y } }
      })
      return nodes.some((node, index) => node !== document.nodes[index])
        ? { ...document, nodes }
        : document
    }
    case 'removeElements': {
      const nodeIds = new Set(command.nodes)
      const edgeIds = new Set(command.edges)
      const nodes = document.nodes.filter((node) => !nodeIds.has(node.id))
      const edges = document.edges.filter(
        (edge) =>
          !edgeIds.has(edge.id) && !nodeIds.has(edge.from.node) && !nodeIds.has(edge.to.node),
      )
      if (nodes.length === document.nodes.length && edges.length === document.edges.length)
        return document
      return { ...document, nodes, edges }
    }
    case 'connect':
      return connect(document, command.id, command.from, command.to)
    case 'setParam':
      return updateNode(document, command.node, (node) =>
        Object.is(node.params[command.param], command.value)
          ? node
          : { ...node, params: { ...node.params, [command.param]: command.value } },
      )
    case 'renameNode': {
      const title = command.title.trim()
      return updateNode(document, command.node, (node) => {
        if ((node.title ?? '') === title) return node
        const { title: _previous, ...rest } = node
        return title === '' ? rest : { ...rest, title }
      })
    }
    case 'removeApplication':
      return removeApplication(document, command.node, command.application)
    case 'renameGraph':
      return document.name === command.name ? document : { ...document, name: command.name }
    case 'setSeed':
      return document.seed === command.seed ? document : { ...document, seed: command.seed }
  }
}

/** Applies commands in order (one undo step made of several changes). */
export function applyCommands(
  document: GraphDocument,
  commands: readonly GraphCommand[],
): GraphDocument {
  return commands.reduce(applyCommand, document)
}

function updateNode(
  document: GraphDocument,
  id: string,
  update: (node: DocumentNode) => DocumentNode,
): GraphDocument {
  const nodes = document.nodes.map((node) => (node.id === id ? update(node) : node))
  return nodes.some((node, index) => node !== document.nodes[index])
    ? { ...document, nodes }
    : document
}

function connect(document: GraphDocument, id: string, from: PortRef, to: PortRef): GraphDocument {
  if (from.node === to.node) throw new Error('A node cannot feed itself')
  const existing = document.edges.find(
    (edge) => edge.to.node === to.node && edge.to.port === to.port,
  )
  if (existing?.from.node === from.node && existing.from.port === from.port) return document
  const edges = document.edges.filter((edge) => edge !== existing)
  edges.push({ id, from: { ...from }, to: { ...to } })
  const { application } = parseApplicationPortId(to.port)
  const grown = updateNode(document, to.node, (node) =>
    application + 1 > (node.applications ?? 1) ? { ...node, applications: application + 1 } : node,
  )
  return { ...grown, edges }
}

function removeApplication(
  document: GraphDocument,
  id: string,
  application: number,
): GraphDocument {
  const node = document.nodes.find((candidate) => candidate.id === id)
  const applications = node?.applications ?? 1
  if (node === undefined || applications <= 1 || application >= applications) return document
  // Ports of later applications shift down by one so the numbering stays dense.
  const renumber = (port: string): string | undefined => {
    const parsed = parseApplicationPortId(port)
    if (parsed.application === application) return undefined
    return parsed.application > application
      ? applicationPortId(parsed.port, parsed.application - 1)
      : port
  }
  const edges: DocumentEdge[] = []
  for (const edge of document.edges) {
    const fromPort = edge.from.node === id ? renumber(edge.from.port) : edge.from.port
    const toPort = edge.to.node === id ? renumber(edge.to.port) : edge.to.port
    if (fromPort === undefined || toPort === undefined) continue
    edges.push(
      fromPort === edge.from.port && toPort === edge.to.port
        ? edge
        : { ...edge, from: { ...edge.from, port: fromPort }, to: { ...edge.to, port: toPort } },
    )
  }
  const updated = updateNode(document, id, (current) => {
    const { applications: _previous, ...rest } = current
    return applications - 1 === 1 ? rest : { ...rest, applications: applications - 1 }
  })
  return { ...updated, edges }
}

/** A readable id that is not taken yet: `generator1`, `generator2`, … from `model.generator`. */
export function freshNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = (type.split('.').at(-1) ?? 'node').replace(/[^A-Za-z0-9]/g, '') || 'node'
  for (let index = 1; ; index++) {
    const id = `${base}${index}`
    if (!taken.has(id)) return id
  }
}

/** A new edge id: `e1`, `e2`, … skipping taken ones. */
export function freshEdgeId(taken: ReadonlySet<string>): string {
  for (let index = 1; ; index++) {
    const id = `e${index}`
    if (!taken.has(id)) return id
  }
}
