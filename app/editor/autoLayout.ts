/**
 * Auto layout: left to right by data flow (ELK's layered algorithm). ELK is large, so it is
 * loaded on first use and stays out of the main chunk.
 */
import type { Point } from '../../graph-core/commands'
import type { GraphDocument } from '../../graph-core/document'
import type { Size } from './editorStore'

/** Used for nodes the canvas has not measured yet (a graph laid out before it is drawn). */
const DEFAULT_SIZE: Size = { width: 220, height: 140 }

/** New positions for every node, rounded to whole pixels. */
export async function layoutPositions(
  document: GraphDocument,
  measured: ReadonlyMap<string, Size>,
): Promise<Record<string, Point>> {
  if (document.nodes.length === 0) return {}
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js')
  const elk = new ELK()
  const ids = new Set(document.nodes.map((node) => node.id))
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.separateConnectedComponents': 'true',
    },
    children: document.nodes.map((node) => ({
      id: node.id,
      ...(measured.get(node.id) ?? DEFAULT_SIZE),
    })),
    edges: document.edges
      .filter((edge) => ids.has(edge.from.node) && ids.has(edge.to.node))
      .map((edge) => ({ id: edge.id, sources: [edge.from.node], targets: [edge.to.node] })),
  })
  const positions: Record<string, Point> = {}
  for (const child of result.children ?? []) {
    positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) }
  }
  return positions
}
