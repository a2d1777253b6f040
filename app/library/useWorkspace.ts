/**
 * Mounts the workspace in React: one database, library and workspace per mounted app, started
 * once and disposed on unmount (twice in development's StrictMode, which is why they are
 * created in the effect rather than during render).
 */
import { useEffect, useState, useSyncExternalStore } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { EditorStore } from '../editor/editorStore'
import { createGraphLibrary } from '../storage/graphLibrary'
import { createLabDatabase } from '../storage/labDatabase'
import { browserEnvironment } from './browserEnvironment'
import { attachPageEvents } from './pageEvents'
import { createWorkspace, type Workspace, type WorkspaceState } from './workspace'
import { createWorkspaceSettings } from './workspaceSettings'

/** A value an effect creates and render reads. */
interface Slot<T> {
  get: () => T | undefined
  set: (value: T | undefined) => void
  subscribe: (listener: () => void) => () => void
}

function createSlot<T>(): Slot<T> {
  let value: T | undefined
  const listeners = new Set<() => void>()
  return {
    get: () => value,
    set: (next) => {
      value = next
      for (const listener of [...listeners]) listener()
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}

/** The workspace of this tab; undefined during the first render. */
export function useWorkspace(store: EditorStore, registry: NodeRegistry): Workspace | undefined {
  const [slot] = useState(createSlot<Workspace>)
  useEffect(() => {
    const db = createLabDatabase()
    const library = createGraphLibrary({ db, registry })
    const workspace = createWorkspace({
      store,
      registry,
      library,
      settings: createWorkspaceSettings(db),
      environment: browserEnvironment(),
    })
    slot.set(workspace)
    const detach = attachPageEvents(workspace)
    void workspace.start()
    return () => {
      detach()
      slot.set(undefined)
      workspace.dispose()
      library.close()
      db.close()
    }
  }, [slot, store, registry])
  return useSyncExternalStore(slot.subscribe, slot.get)
}

const NO_WORKSPACE = () => () => undefined

/** The workspace's state; re-renders on every change of it. */
export function useWorkspaceState(workspace: Workspace | undefined): WorkspaceState | undefined {
  return useSyncExternalStore(workspace?.subscribe ?? NO_WORKSPACE, () => workspace?.getState())
}
