/**
 * The one way into a document, for files, links, pastes, presets and the database: parse,
 * migrate step by step, validate, fill param defaults, and keep everything the user had.
 * Never throws: every failure comes back as diagnostics.
 */
import {
  CURRENT_SCHEMA_VERSION,
  GRAPH_FORMAT,
  graphDocumentSchema,
  type DocumentNode,
  type GraphDocument,
} from './document'
import { error, warning, type Diagnostic } from './diagnostics'
import { paramProblem } from './params'
import type { NodeRegistry } from './registry'
import { SCHEMA_MIGRATIONS, type SchemaMigration } from './schemaMigrations'

export type LoadResult =
  | { ok: true; document: GraphDocument; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] }

export interface LoadOptions {
  /** Text longer than this is refused before parsing (default 5 MB). */
  maxLength?: number
  /** Replaces the built-in schema migrations. */
  migrations?: readonly SchemaMigration[]
}

const DEFAULT_MAX_LENGTH = 5_000_000

/** Loads a document from JSON text or an already parsed value. */
export function loadDocument(
  input: unknown,
  registry: NodeRegistry,
  options: LoadOptions = {},
): LoadResult {
  try {
    return load(input, registry, options)
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return refuse(error('INTERNAL_ERROR', `The graph could not be read (${reason}).`))
  }
}

function refuse(...diagnostics: Diagnostic[]): LoadResult {
  return { ok: false, diagnostics }
}

function load(input: unknown, registry: NodeRegistry, options: LoadOptions): LoadResult {
  let raw = input
  if (typeof input === 'string') {
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH
    if (input.length > maxLength) {
      const megabytes = (input.length / 1e6).toFixed(1)
      return refuse(
        error(
          'FILE_TOO_LARGE',
          `This file is ${megabytes} MB; a graph is at most ${(maxLength / 1e6).toFixed(1)} MB. Is it really a Latent Lab graph?`,
        ),
      )
    }
    try {
      raw = JSON.parse(input)
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      return refuse(error('INVALID_JSON', `This is not valid JSON: ${reason}.`))
    }
  }
  if (!isRecord(raw) || raw.format !== GRAPH_FORMAT) {
    const format =
      isRecord(raw) && typeof raw.format === 'string' ? ` (format "${raw.format}")` : ''
    return refuse(
      error(
        'NOT_A_GRAPH',
        `This is not a Latent Lab graph${format}: its "format" must be "${GRAPH_FORMAT}".`,
      ),
    )
  }
  const version = raw.schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return refuse(error('SCHEMA_INVALID', 'The graph has no valid "schemaVersion".'))
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return refuse(
      error(
        'NEWER_SCHEMA_VERSION',
        `This graph was saved by a newer Latent Lab (schema ${version}); this version reads up to schema ${CURRENT_SCHEMA_VERSION}. Open it in an up-to-date Latent Lab.`,
      ),
    )
  }

  const migrated = migrateSchema(
    raw,
    version,
    CURRENT_SCHEMA_VERSION,
    options.migrations ?? SCHEMA_MIGRATIONS,
  )
  if ('diagnostic' in migrated) return refuse(migrated.diagnostic)

  const parsed = graphDocumentSchema.safeParse(migrated.raw)
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`)
      .join('; ')
    const more =
      parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : ''
    return refuse(error('SCHEMA_INVALID', `The graph is damaged: ${details}${more}.`))
  }
  const document = parsed.data

  const duplicate =
    firstDuplicate([...document.nodes.map((node) => node.id)]) ??
    firstDuplicate(document.edges.map((edge) => edge.id))
  if (duplicate !== undefined) {
    return refuse(
      error('DUPLICATE_ID', `The graph is damaged: the id "${duplicate}" is used twice.`),
    )
  }

  const diagnostics: Diagnostic[] = []
  const nodes = document.nodes.map((node) => upgradeNode(node, registry, diagnostics))
  return { ok: true, document: { ...document, nodes }, diagnostics }
}

/** Runs the schema migrations from `version` up to `target`, one step at a time. */
export function migrateSchema(
  raw: Record<string, unknown>,
  version: number,
  target: number,
  migrations: readonly SchemaMigration[],
): { raw: Record<string, unknown> } | { diagnostic: Diagnostic } {
  let current = raw
  for (let from = version; from < target; from++) {
    const step = migrations.find((migration) => migration.from === from)
    if (step === undefined) {
      return {
        diagnostic: error('MIGRATION_FAILED', `No migration from schema ${from} to ${from + 1}.`),
      }
    }
    try {
      current = { ...step.migrate(current), schemaVersion: from + 1 }
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      return {
        diagnostic: error(
          'MIGRATION_FAILED',
          `Upgrading the graph from schema ${from} failed (${step.name}: ${reason}).`,
        ),
      }
    }
  }
  return { raw: current }
}

/**
 * Brings one node to its type's current version and fills missing params with defaults.
 * Unknown types, newer versions and failed migrations leave the node exactly as saved.
 */
export function upgradeNode(
  node: DocumentNode,
  registry: NodeRegistry,
  diagnostics: Diagnostic[],
): DocumentNode {
  const definition = registry.get(node.type)
  const at = { node: node.id }
  if (definition === undefined) {
    diagnostics.push(
      error(
        'UNKNOWN_NODE_TYPE',
        `"${node.type}" is not a node type this version knows; the node is kept as a placeholder.`,
        at,
      ),
    )
    return node
  }
  if (node.typeVersion > definition.version) {
    diagnostics.push(
      error(
        'NEWER_NODE_VERSION',
        `${definition.label} was saved by a newer Latent Lab (version ${node.typeVersion}; this one has ${definition.version}); it is kept as saved.`,
        at,
      ),
    )
    return node
  }
  let params: Record<string, unknown> = { ...node.params }
  for (const migration of definition.migrations ?? []) {
    if (migration.toVersion <= node.typeVersion) continue
    try {
      params = migration.migrate(params)
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      diagnostics.push(
        error(
          'MIGRATION_FAILED',
          `${definition.label} could not be upgraded (${migration.name}: ${reason}); it is kept as saved.`,
          at,
        ),
      )
      return node
    }
  }
  for (const [id, spec] of Object.entries(definition.params)) {
    if (!Object.hasOwn(params, id)) params[id] = spec.default
    const problem = paramProblem(spec, params[id])
    if (problem !== undefined) {
      diagnostics.push(
        error(
          'PARAM_INVALID',
          `${definition.label}: ${spec.label ?? id} ${problem}; the default is used until it is fixed.`,
          {
            ...at,
            port: id,
          },
        ),
      )
    }
  }
  for (const id of Object.keys(params)) {
    if (!Object.hasOwn(definition.params, id)) {
      diagnostics.push(
        warning(
          'UNKNOWN_PARAM',
          `${definition.label} has no param "${id}"; it is kept but ignored.`,
          at,
        ),
      )
    }
  }
  return { ...node, typeVersion: definition.version, params }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function firstDuplicate(ids: readonly string[]): string | undefined {
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) return id
    seen.add(id)
  }
  return undefined
}
