/**
 * React access to the editor store and the node registry, provided once by the app shell.
 */
import { createContext, useContext, useRef, useSyncExternalStore } from 'react'
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

/**
 * A slice of the editor state; the component re-renders only when `isEqual` says the slice
 * changed (by default every top-level field compared with Object.is). Panels use it so a drag,
 * which changes the document sixty times a second, re-renders the canvas and nothing else.
 */
export function useEditorSelector<T>(
  selector: (state: EditorState) => T,
  isEqual: (a: T, b: T) => boolean = shallowEqual,
): T {
  const { store } = useEditorContext()
  const cache = useRef<{ state: EditorState; value: T } | undefined>(undefined)
  const getSnapshot = () => {
    const state = store.getState()
    const cached = cache.current
    if (cached?.state === state) return cached.value
    const value = selector(state)
    if (cached !== undefined && isEqual(cached.value, value)) {
      cache.current = { state, value: cached.value }
      return cached.value
    }
    cache.current = { state, value }
    return value
  }
  return useSyncExternalStore(store.subscribe, getSnapshot)
}

/** Same keys, each value Object.is-equal (or both primitives equal). */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  return keysA.every((key) =>
    Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}
