/**
 * React access to the editor store and the node registry, provided once by the app shell.
 */
import { createContext, useContext, useSyncExternalStore } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { EditorState, EditorStore } from './editorStore'

export interface EditorContextValue {
  store: EditorStore
  registry: NodeRegistry
}

export const EditorContext = createContext<EditorContextValue | null>(null)

export function useEditorContext(): EditorContextValue {
  const value = useContext(EditorContext)
  if (value === null) throw new Error('useEditorContext needs an EditorContext provider')
  return value
}

/** The editor state; the component re-renders on every change of it. */
export function useEditorView(): EditorState {
  const { store } = useEditorContext()
  return useSyncExternalStore(store.subscribe, store.getState)
}
