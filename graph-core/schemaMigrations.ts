/**
 * Forward-only migrations of the whole document, one per schema version step. A migration
 * takes the raw JSON object of version `from` and returns version `from + 1`; it must not
 * throw on odd input (the loader catches and reports it anyway) and never drops user data.
 *
 * To change the schema: bump CURRENT_SCHEMA_VERSION in document.ts, add a migration here
 * named as a verb phrase (`AddRunSettings`), freeze a fixture of the old version in
 * fixtures/, and add a test for the migration.
 */
export interface SchemaMigration {
  name: string
  from: number
  migrate: (raw: Readonly<Record<string, unknown>>) => Record<string, unknown>
}

/** Schema 1 is the first; the list grows with each version. */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = []
