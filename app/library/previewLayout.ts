/**
 * A small picture of a graph for the revision history: one box per node at its saved position
 * and a line per edge, scaled into a fixed view box. Measured node sizes belong to the canvas,
 * so every box has the same nominal size.
 */
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'

/** Nominal node size in canvas units (about a collapsed LabNode). */
export const PREVIEW_NODE = { width: 200, height: 72 }

const PADDING = 40

/** A node's box, in canvas units. */
export interface PreviewBox {
  id: string
  x: number
  y: number
  label: string
  /** A type this version does not know (drawn as a placeholder). */
  isUnknown: boolean
}

/** An edge from the right side of one box to the left side of another. */
export interface PreviewWire {
  id: string
  x1: number
  y1: number
  x2: number
  y2: number
}

/** What GraphPreview draws. */
export interface PreviewLayout {
  /** `minX minY width height`, for the SVG `viewBox`. */
  viewBox: string
  boxes: PreviewBox[]
  wires: PreviewWire[]
}

/** The preview of a document; an empty graph gets an empty view box of nominal size. */
export function previewLayout(document: GraphDocument, registry: NodeRegistry): PreviewLayout {
  const boxes = document.nodes.map((node) => {
    const definition = registry.get(node.type)
    return {
      id: node.id,
      x: node.position.x,
      y: node.position.y,
      label: node.title ?? definition?.label ?? node.type,
      isUnknown: definition === undefined,
    }
  })
  const byId = new Map(boxes.map((box) => [box.id, box]))
  const wires: PreviewWire[] = []
  for (const edge of document.edges) {
    const from = byId.get(edge.from.node)
    const to = byId.get(edge.to.node)
    if (from === undefined || to === undefined) continue
    wires.push({
      id: edge.id,
      x1: from.x + PREVIEW_NODE.width,
      y1: from.y + PREVIEW_NODE.height / 2,
      x2: to.x,
      y2: to.y + PREVIEW_NODE.height / 2,
    })
  }
  if (boxes.length === 0) {
    return { viewBox: `0 0 ${PREVIEW_NODE.width * 2} ${PREVIEW_NODE.height * 2}`, boxes, wires }
  }
  const minX = Math.min(...boxes.map((box) => box.x)) - PADDING
  const minY = Math.min(...boxes.map((box) => box.y)) - PADDING
  const maxX = Math.max(...boxes.map((box) => box.x + PREVIEW_NODE.width)) + PADDING
  const maxY = Math.max(...boxes.map((box) => box.y + PREVIEW_NODE.height)) + PADDING
  return { viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`, boxes, wires }
}
