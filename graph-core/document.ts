/**
 * The graph document (DESIGN §3): what is saved, shared and exported. Small, versioned and
 * validated at the boundary; React Flow's node objects and every analysis are derived from it.
 */
import { z } from 'zod'

export const GRAPH_FORMAT = 'latent-lab.graph'

/** The schema version this build writes. Older documents are migrated up by the loader. */
export const CURRENT_SCHEMA_VERSION = 1

const portRef = z.object({ node: z.string().min(1), port: z.string().min(1) })

/** Unknown keys are kept (`looseObject`): a newer minor addition must never be dropped. */
export const documentNodeSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  typeVersion: z.int().min(1),
  position: z.object({ x: z.number(), y: z.number() }),
  params: z.record(z.string(), z.unknown()),
  title: z.string().optional(),
  /** How many inputs a shareable block is applied to (weight sharing); 1 when absent. */
  applications: z.int().min(1).max(64).optional(),
})

export const documentEdgeSchema = z.looseObject({
  id: z.string().min(1),
  from: portRef,
  to: portRef,
})

export const graphDocumentSchema = z.looseObject({
  format: z.literal(GRAPH_FORMAT),
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  nodes: z.array(documentNodeSchema),
  edges: z.array(documentEdgeSchema),
  meta: z.record(z.string(), z.unknown()).default({}),
})

export type GraphDocument = z.infer<typeof graphDocumentSchema>
export type DocumentNode = z.infer<typeof documentNodeSchema>
export type DocumentEdge = z.infer<typeof documentEdgeSchema>
export type PortRef = z.infer<typeof portRef>

/** A new, empty graph. */
export function createDocument(name = 'Untitled graph', seed = 1): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name,
    seed,
    nodes: [],
    edges: [],
    meta: {},
  }
}

/**
 * The document as JSON text: keys in a fixed order so saving the same graph twice gives the
 * same bytes (diffable files, stable share links).
 */
export function serializeDocument(document: GraphDocument, indent = 2): string {
  return JSON.stringify(sortKeys(document), null, indent)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]))
}
