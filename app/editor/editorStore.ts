/**
 * The editor's state outside React: the document with its undo history, the analysis derived
 * from it, and view state that is never saved (selection, measured node sizes). Components read
 * it through `useEditor` (useSyncExternalStore); every document change goes through `dispatch`
 * with named graph commands, so undo/redo replays one path.
 */
import { analyzeGraph, type GraphAnalysis } from '../../graph-core/analysis'
import { applyCommands, changesStructure, type GraphCommand } from '../../graph-core/commands'
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'
import { createHistory, record, redo, undo, type History } from './history'

export interface Selection {
  readonly nodes: ReadonlySet<string>
  readonly edges: ReadonlySet<string>
}

export interface Size {
  width: number
  height: number
}

export interface EditorState {
  readonly history: History
  readonly document: GraphDocument
  readonly analysis: GraphAnalysis
  readonly selection: Selection
  readonly measured: ReadonlyMap<string, Size>
  /** A sentence about the last refused edit, shown until the next edit. */
  readonly notice: string | undefined
  /** The param field the inspector should focus (a preset's knob); `serial` tells repeats apart. */
  readonly paramFocus: ParamFocus | undefined
}

export interface ParamFocus {
  readonly node: string
  readonly param: string
  readonly serial: number
}

export interface DispatchOptions {
  /** Changes with one key in quick succession are one undo step (drags, slider scrubs). */
  coalesceKey?: string
}

export interface EditorStore {
  getState: () => EditorState
  subscribe: (listener: () => void) => () => void
  /** Applies commands as one undo step; a refused command leaves everything as it was. */
  dispatch: (commands: GraphCommand | readonly GraphCommand[], options?: DispatchOptions) => boolean
  undo: () => void
  redo: () => void
  /** Replaces the document and starts a new history (opening a graph). */
  open: (document: GraphDocument) => void
  select: (selection: { nodes?: Iterable<string>; edges?: Iterable<string> }) => void
  setMeasured: (sizes: ReadonlyMap<string, Size>) => void
  setNotice: (notice: string | undefined) => void
  /** Selects a node alone and asks the inspector to focus one of its param fields. */
  focusParam: (node: string, param: string) => void
}

const EMPTY_SELECTION: Selection = { nodes: new Set(), edges: new Set() }

export function createEditorStore(document: GraphDocument, registry: NodeRegistry): EditorStore {
  let state: EditorState = {
    history: createHistory(document),
    document,
    analysis: analyzeGraph(document, registry),
    selection: EMPTY_SELECTION,
    measured: new Map(),
    notice: undefined,
    paramFocus: undefined,
  }
  const listeners = new Set<() => void>()
  const set = (next: EditorState) => {
    state = next
    for (const listener of listeners) listener()
  }

  /** A new present: analysis recomputed unless only positions or names changed. */
  const present = (history: History, isStructural: boolean): EditorState => {
    const next = history.present
    const liveNodes = new Set(next.nodes.map((node) => node.id))
    const liveEdges = new Set(next.edges.map((edge) => edge.id))
    const nodes = [...state.selection.nodes].filter((id) => liveNodes.has(id))
    const edges = [...state.selection.edges].filter((id) => liveEdges.has(id))
    // Nothing selected was removed (a drag, a rename): the same object, so what is derived
    // from the selection is not rebuilt on every frame of a drag.
    const selection =
      nodes.length === state.selection.nodes.size && edges.length === state.selection.edges.size
        ? state.selection
        : { nodes: new Set(nodes), edges: new Set(edges) }
    return {
      ...state,
      history,
      document: next,
      analysis: isStructural ? analyzeGraph(next, registry) : state.analysis,
      selection,
      notice: undefined,
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispatch(commands, options = {}) {
      const list: readonly GraphCommand[] = Array.isArray(commands) ? commands : [commands]
      let next: GraphDocument
      try {
        next = applyCommands(state.document, list)
      } catch (cause) {
        set({ ...state, notice: cause instanceof Error ? `${cause.message}.` : String(cause) })
        return false
      }
      if (next === state.document) return true
      const history = record(state.history, next, { coalesceKey: options.coalesceKey })
      set(present(history, list.some(changesStructure)))
      return true
    },
    undo() {
      const history = undo(state.history)
      if (history !== state.history) set(present(history, true))
    },
    redo() {
      const history = redo(state.history)
      if (history !== state.history) set(present(history, true))
    },
    open(next) {
      state = { ...state, selection: EMPTY_SELECTION, measured: new Map(), paramFocus: undefined }
      set(present(createHistory(next), true))
    },
    select({ nodes = [], edges = [] }) {
      // A new selection cancels a pending focus: reselecting the node later must not jump to it.
      set({
        ...state,
        selection: { nodes: new Set(nodes), edges: new Set(edges) },
        paramFocus: undefined,
      })
    },
    setMeasured(sizes) {
      set({ ...state, measured: sizes })
    },
    setNotice(notice) {
      if (notice !== state.notice) set({ ...state, notice })
    },
    focusParam(node, param) {
      if (!state.document.nodes.some((entry) => entry.id === node)) return
      set({
        ...state,
        selection: { nodes: new Set([node]), edges: new Set() },
        paramFocus: { node, param, serial: (state.paramFocus?.serial ?? 0) + 1 },
      })
    },
  }
}
