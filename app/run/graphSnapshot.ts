/**
 * What of a graph a training run depends on, to tell whether a stored run belongs to the graph
 * on the canvas (so it can be resumed) and what differs between the graphs of two runs.
 * Positions, titles, names and meta change nothing in training and are left out.
 */
import type { GraphDocument } from '../../graph-core/document'
import { upgradeNode } from '../../graph-core/loader'
import { defaultParams } from '../../graph-core/params'
import type { NodeRegistry } from '../../graph-core/registry'

/** Every key sorted, so equal content gives equal text. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

const wireOf = (edge: GraphDocument['edges'][number]) =>
  `${edge.from.node}.${edge.from.port} → ${edge.to.node}.${edge.to.port}`

/**
 * A node's params with its type's defaults filled in: a graph reopened through the loader
 * (which fills them) trains exactly like the one it was saved from.
 */
function paramsOf(node: GraphDocument['nodes'][number], registry?: NodeRegistry) {
  const definition = registry?.get(node.type)
  return definition === undefined
    ? node.params
    : { ...defaultParams(definition.params), ...node.params }
}

/**
 * The training-relevant content of a document as canonical JSON: seed, each node's id, type,
 * version, params (with defaults, given the registry) and applications, and the wires, sorted.
 * Given the registry, nodes are taken at their current version, as the loader migrates them: a
 * run of a graph with older nodes stays resumable when the graph comes back through the loader.
 */
export function trainingSnapshot(document: GraphDocument, registry?: NodeRegistry): string {
  const nodes = [...document.nodes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((saved) => {
      const node = registry === undefined ? saved : upgradeNode(saved, registry, [])
      return {
        id: node.id,
        type: node.type,
        typeVersion: node.typeVersion,
        params: paramsOf(node, registry),
        applications: node.applications ?? 1,
      }
    })
  const wires = document.edges.map(wireOf).sort()
  return JSON.stringify(canonical({ seed: document.seed, nodes, wires }))
}

/**
 * cyrb53 (a public-domain 53-bit string hash): short, fast, and collisions are rare enough for
 * a key that is checked against the full snapshot before anything is resumed.
 */
function hash53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * The key runs are filed under (`RunRecord.graphId`): graphs that train the same way share it,
 * whatever their layout or name, so a reloaded tab finds the runs of the graph it shows.
 */
export function graphKey(document: GraphDocument, registry?: NodeRegistry): string {
  return `train:${hash53(trainingSnapshot(document, registry)).toString(16).padStart(14, '0')}`
}

/** Whether two documents train the same way. */
export function isSameTraining(
  a: GraphDocument,
  b: GraphDocument,
  registry?: NodeRegistry,
): boolean {
  return trainingSnapshot(a, registry) === trainingSnapshot(b, registry)
}

/** One line of a comparison: what it is and its value in each graph (`undefined`: absent). */
export interface SnapshotDifference {
  label: string
  values: (string | undefined)[]
}

const show = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)

/**
 * Only what differs between graphs, in a stable order: the seed, nodes present in some graphs
 * only, node params (by `node.param`), shared-block applications, and wires.
 */
export function snapshotDifferences(
  documents: readonly GraphDocument[],
  registry?: NodeRegistry,
): SnapshotDifference[] {
  const rows: SnapshotDifference[] = []
  const add = (label: string, values: (string | undefined)[]) => {
    if (new Set(values).size > 1) rows.push({ label, values })
  }
  add(
    'seed',
    documents.map((document) => String(document.seed)),
  )
  const nodeMaps = documents.map(
    (document) => new Map(document.nodes.map((node) => [node.id, node])),
  )
  const nodeIds = [...new Set(documents.flatMap((document) => document.nodes.map((n) => n.id)))]
  for (const id of nodeIds.sort()) {
    const nodes = nodeMaps.map((map) => map.get(id))
    if (nodes.some((node) => node === undefined)) {
      add(
        id,
        nodes.map((node) => node?.type),
      )
      continue
    }
    add(
      `${id} type`,
      nodes.map((node) => node?.type),
    )
    const filled = nodes.map((node) => (node === undefined ? {} : paramsOf(node, registry)))
    const params = [...new Set(filled.flatMap((values) => Object.keys(values)))].sort()
    for (const param of params) {
      add(
        `${id}.${param}`,
        filled.map((values) => show(canonical(values[param]))),
      )
    }
    add(
      `${id} applications`,
      nodes.map((node) => String(node?.applications ?? 1)),
    )
  }
  const wireSets = documents.map((document) => new Set(document.edges.map(wireOf)))
  const wires = [...new Set(wireSets.flatMap((set) => [...set]))].sort()
  for (const wire of wires) {
    add(
      `wire ${wire}`,
      wireSets.map((set) => (set.has(wire) ? 'yes' : undefined)),
    )
  }
  return rows
}
