/**
 * The workspace's own settings in the database's `settings` table: which graph was open last,
 * so the next visit reopens it.
 */
import type { LabDatabase } from '../storage/labDatabase'
import { toStorageError } from '../storage/storageError'

/** The settings key of the graph open last. Persisted: never rename. */
export const LAST_GRAPH_KEY = 'workspace.lastGraphId'

/** Reads and writes the workspace settings; every method rejects with a StorageError. */
export interface WorkspaceSettings {
  /** The graph open when the page was last left, if any. Opens the database. */
  lastGraphId(): Promise<string | undefined>
  /** Remembers the open graph, or forgets it (undefined). */
  setLastGraphId(graphId: string | undefined): Promise<void>
}

/** Settings stored in `db.settings`. */
export function createWorkspaceSettings(db: LabDatabase): WorkspaceSettings {
  return {
    lastGraphId: async () => {
      try {
        const row = await db.settings.get(LAST_GRAPH_KEY)
        return typeof row?.value === 'string' ? row.value : undefined
      } catch (cause) {
        throw toStorageError(cause, 'opening the library')
      }
    },
    setLastGraphId: async (graphId) => {
      try {
        if (graphId === undefined) await db.settings.delete(LAST_GRAPH_KEY)
        else await db.settings.put({ key: LAST_GRAPH_KEY, value: graphId })
      } catch (cause) {
        throw toStorageError(cause, 'remembering the open graph')
      }
    },
  }
}
