/**
 * A test-graph builder (STYLE.md: instead of repeated literals): nodes by id and type, edges as
 * `'node.port'` strings.
 *
 *   const doc = graph()
 *     .node('noise', 'data.noise', { dim: 8 })
 *     .node('gen', 'model.generator')
 *     .edge('noise.z', 'gen.z')
 *     .build()
 */
import { createDocument, type DocumentNode, type GraphDocument } from '../document'

export interface GraphBuilder {
  node(
    id: string,
    type: string,
    params?: Record<string, unknown>,
    extra?: Partial<Pick<DocumentNode, 'applications' | 'title' | 'typeVersion'>>,
  ): GraphBuilder
  /** `from` and `to` are `node.port`; the port may carry an application suffix (`x@1`). */
  edge(from: string, to: string): GraphBuilder
  build(): GraphDocument
}

export function graph(name = 'test graph', seed = 1): GraphBuilder {
  const document = createDocument(name, seed)
  const split = (ref: string) => {
    const dot = ref.indexOf('.')
    if (dot <= 0) throw new Error(`"${ref}" is not node.port`)
    return { node: ref.slice(0, dot), port: ref.slice(dot + 1) }
  }
  const builder: GraphBuilder = {
    node(id, type, params = {}, extra = {}) {
      document.nodes.push({
        id,
        type,
        typeVersion: 1,
        position: { x: document.nodes.length * 220, y: 0 },
        params,
        ...extra,
      })
      return builder
    },
    edge(from, to) {
      document.edges.push({ id: `e${document.edges.length}`, from: split(from), to: split(to) })
      return builder
    },
    build: () => structuredClone(document),
  }
  return builder
}
