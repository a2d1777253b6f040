/**
 * Diagnostics: problems found in a document or a run, with stable codes (persisted in run
 * records and matched by tests; never rename) and the node and port they point at.
 */

export type DiagnosticCode =
  // Loading
  | 'INVALID_JSON'
  | 'FILE_TOO_LARGE'
  | 'INTERNAL_ERROR'
  | 'NOT_A_GRAPH'
  | 'SCHEMA_INVALID'
  | 'NEWER_SCHEMA_VERSION'
  | 'NEWER_NODE_VERSION'
  | 'MIGRATION_FAILED'
  | 'UNKNOWN_NODE_TYPE'
  | 'UNKNOWN_PARAM'
  | 'PARAM_INVALID'
  | 'DUPLICATE_ID'
  // Structure
  | 'UNKNOWN_NODE'
  | 'UNKNOWN_PORT'
  | 'INCOMPATIBLE_PORTS'
  | 'DUPLICATE_INPUT'
  | 'MISSING_INPUT'
  | 'CYCLE'
  // Shapes
  | 'SHAPE_MISMATCH'
  | 'SHARED_SHAPE_MISMATCH'
  // Training setup
  | 'LOSS_WITHOUT_OPTIMIZER'
  | 'OPTIMIZER_WITHOUT_LOSS'
  | 'OPTIMIZER_NOTHING_TO_TRAIN'
  | 'NO_OPTIMIZER'
  // Semantics (DESIGN §3)
  | 'CLASS_COUNT_MISMATCH'
  | 'TRIPLET_NEEDS_PK_BATCHES'
  | 'VAE_WITHOUT_KL'
  // Running
  | 'NON_FINITE_LOSS'
  | 'BUILD_FAILED'

export type Severity = 'error' | 'warning' | 'info'

export interface Diagnostic {
  code: DiagnosticCode
  severity: Severity
  /** A sentence for people: what is wrong and, where it helps, what to do. */
  message: string
  node?: string
  port?: string
  /** For shape and kind mismatches: what the port wanted and what reached it. */
  expected?: string
  actual?: string
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((diagnostic) => diagnostic.severity === 'error')

export function error(
  code: DiagnosticCode,
  message: string,
  at: Partial<Pick<Diagnostic, 'node' | 'port' | 'expected' | 'actual'>> = {},
): Diagnostic {
  return { code, severity: 'error', message, ...at }
}

export function warning(
  code: DiagnosticCode,
  message: string,
  at: Partial<Pick<Diagnostic, 'node' | 'port' | 'expected' | 'actual'>> = {},
): Diagnostic {
  return { code, severity: 'warning', message, ...at }
}
