/**
 * Copy and paste of a selection as JSON text on the system clipboard, so it works between tabs
 * and windows. Pasted nodes get fresh ids; edges among them follow; edges to nodes left behind
 * are dropped; an optimizer's list of nodes to train is remapped to the pasted copies.
 */
import { z } from 'zod'
import { freshEdgeId, freshNodeId, type GraphCommand, type Point } from '../../graph-core/commands'
import {
  documentEdgeSchema,
  documentNodeSchema,
  type DocumentEdge,
  type DocumentNode,
  type GraphDocument,
} from '../../graph-core/document'
import { upgradeNode } from '../../graph-core/loader'
import type { NodeRegistry } from '../../graph-core/registry'

export const FRAGMENT_FORMAT = 'latent-lab.fragment'

const fragmentSchema = z.object({
  format: z.literal(FRAGMENT_FORMAT),
  nodes: z.array(documentNodeSchema).max(5000),
  edges: z.array(documentEdgeSchema).max(20000),
})

export type Fragment = z.infer<typeof fragmentSchema>

/** The selected nodes and the edges between them. */
export function copyFragment(document: GraphDocument, nodeIds: ReadonlySet<string>): Fragment {
  return {
    format: FRAGMENT_FORMAT,
    nodes: structuredClone(document.nodes.filter((node) => nodeIds.has(node.id))),
    edges: structuredClone(
      document.edges.filter((edge) => nodeIds.has(edge.from.node) && nodeIds.has(edge.to.node)),
    ),
  }
}

/** Clipboard text → a fragment, or undefined when the text is something else. */
export function parseFragment(text: string): Fragment | undefined {
  if (!text.includes(FRAGMENT_FORMAT)) return undefined
  try {
    const parsed = fragmentSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * The command that pastes a fragment into a document, shifted by `offset`, and the new ids (to
 * select them).
 */
export function pasteCommand(
  document: GraphDocument,
  fragment: Fragment,
  offset: Point,
  registry: NodeRegistry,
): { command: GraphCommand; nodeIds: string[] } {
  const takenNodes = new Set(document.nodes.map((node) => node.id))
  const renamed = new Map<string, string>()
  for (const node of fragment.nodes) {
    const id = freshNodeId(node.type, takenNodes)
    takenNodes.add(id)
    renamed.set(node.id, id)
  }
  const nodes: DocumentNode[] = fragment.nodes.map((copied) => {
    // A fragment copied from an older Latent Lab is migrated as the loader would: it must train
    // the same pasted as it does opened.
    const isOlder = copied.typeVersion < (registry.get(copied.type)?.version ?? 0)
    const node = isOlder ? upgradeNode(copied, registry, []) : copied
    const params = { ...node.params }
    const specs = registry.get(node.type)?.params ?? {}
    for (const [param, spec] of Object.entries(specs)) {
      const value = params[param]
      if (spec.type !== 'nodeRefs' || !Array.isArray(value)) continue
      params[param] = value.map((ref: unknown) =>
        typeof ref === 'string' ? (renamed.get(ref) ?? ref) : ref,
      )
    }
    return {
      ...node,
      id: renamed.get(node.id) ?? node.id,
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
      params,
    }
  })
  const takenEdges = new Set(document.edges.map((edge) => edge.id))
  const edges: DocumentEdge[] = []
  for (const edge of fragment.edges) {
    const from = renamed.get(edge.from.node)
    const to = renamed.get(edge.to.node)
    if (from === undefined || to === undefined) continue
    const id = freshEdgeId(takenEdges)
    takenEdges.add(id)
    edges.push({ ...edge, id, from: { ...edge.from, node: from }, to: { ...edge.to, node: to } })
  }
  return { command: { type: 'addNodes', nodes, edges }, nodeIds: nodes.map((node) => node.id) }
}
