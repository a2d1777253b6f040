/**
 * Editing shortcuts on the whole window, except while the user types in a field: undo/redo,
 * duplicate, select all, the shortcuts sheet; copy, cut and paste through the system clipboard
 * (JSON text, so a selection moves between tabs and windows).
 */
import { useEffect, useRef } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import { copyFragment, parseFragment, pasteCommand } from './clipboard'
import type { EditorStore } from './editorStore'

const PASTE_OFFSET = 32

export interface ShortcutActions {
  toggleShortcutsSheet: () => void
}

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement &&
      !['checkbox', 'radio', 'range', 'button'].includes(target.type))
  )
}

export function useEditorShortcuts(
  store: EditorStore,
  registry: NodeRegistry,
  actions: ShortcutActions,
): void {
  const pasteCount = useRef(0)
  const actionsRef = useRef(actions)
  useEffect(() => {
    actionsRef.current = actions
  })

  useEffect(() => {
    const duplicate = () => {
      const { document, selection } = store.getState()
      if (selection.nodes.size === 0) return
      const fragment = copyFragment(document, selection.nodes)
      const { command, nodeIds } = pasteCommand(
        document,
        fragment,
        { x: PASTE_OFFSET, y: PASTE_OFFSET },
        registry,
      )
      if (store.dispatch(command)) store.select({ nodes: nodeIds })
    }

    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return
      const isMod = event.ctrlKey || event.metaKey
      const key = event.key.toLowerCase()
      if (isMod && key === 'z') store[event.shiftKey ? 'redo' : 'undo']()
      else if (isMod && key === 'y') store.redo()
      else if (isMod && key === 'd') duplicate()
      else if (isMod && key === 'a') {
        const { document } = store.getState()
        store.select({ nodes: document.nodes.map((node) => node.id) })
      } else if (event.key === 'Escape') store.select({})
      else if (event.key === '?') actionsRef.current.toggleShortcutsSheet()
      else return
      event.preventDefault()
    }

    const onCopy = (event: ClipboardEvent, isCut: boolean) => {
      if (isTyping(event.target) || event.clipboardData === null) return
      const { document, selection } = store.getState()
      if (selection.nodes.size === 0) return
      event.clipboardData.setData(
        'text/plain',
        JSON.stringify(copyFragment(document, selection.nodes)),
      )
      event.preventDefault()
      pasteCount.current = 0
      if (isCut) store.dispatch({ type: 'removeElements', nodes: [...selection.nodes] })
    }

    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target) || event.clipboardData === null) return
      const fragment = parseFragment(event.clipboardData.getData('text/plain'))
      if (fragment === undefined) return
      event.preventDefault()
      pasteCount.current++
      const offset = PASTE_OFFSET * pasteCount.current
      const { command, nodeIds } = pasteCommand(
        store.getState().document,
        fragment,
        { x: offset, y: offset },
        registry,
      )
      if (store.dispatch(command)) store.select({ nodes: nodeIds })
    }

    const copy = (event: ClipboardEvent) => {
      onCopy(event, false)
    }
    const cut = (event: ClipboardEvent) => {
      onCopy(event, true)
    }
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('copy', copy)
    window.addEventListener('cut', cut)
    window.addEventListener('paste', onPaste)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('copy', copy)
      window.removeEventListener('cut', cut)
      window.removeEventListener('paste', onPaste)
    }
  }, [store, registry])
}
