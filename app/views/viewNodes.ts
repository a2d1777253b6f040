/** Which nodes of a graph are views, and what they are called (pure). */
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'

export interface ViewNode {
  readonly id: string
  readonly type: string
  /** The node's title, else its type's label. */
  readonly name: string
}

/** The view nodes of `document` (category `view`), in document order. */
export function viewNodesOf(document: GraphDocument, registry: NodeRegistry): ViewNode[] {
  return document.nodes.flatMap((node) => {
    const definition = registry.get(node.type)
    if (definition?.category !== 'view') return []
    return [{ id: node.id, type: node.type, name: node.title ?? definition.label }]
  })
}

/** Same views with the same names: the Views tab need not re-render. */
export function sameViewNodes(a: readonly ViewNode[], b: readonly ViewNode[]): boolean {
  return (
    a.length === b.length &&
    a.every((node, index) => {
      const other = b[index]
      return node.id === other?.id && node.name === other.name
    })
  )
}
