/**
 * What the workspace hears from the page as a whole: a pasted graph or share link, a graph file
 * dropped beside the canvas, the page being hidden or closed, a new `#graph=` typed into the
 * address bar.
 */
import { parseFragment } from '../editor/clipboard'
import { isTyping } from '../editor/useEditorShortcuts'
import { looksLikeGraph } from '../storage/graphFiles'
import { hasShareFragment } from '../storage/shareLink'
import type { Workspace } from './workspace'

/** Listens on `window`; returns the function that stops listening. */
export function attachPageEvents(workspace: Workspace): () => void {
  // The editor's own paste handler takes node fragments; this one takes whole graphs and links
  // and leaves every other paste alone.
  const onPaste = (event: ClipboardEvent) => {
    if (isTyping(event.target) || event.clipboardData === null) return
    const text = event.clipboardData.getData('text/plain')
    if (parseFragment(text) !== undefined || !looksLikeGraph(text)) return
    event.preventDefault()
    void workspace.pasteText(text)
  }

  // A file dropped anywhere but the canvas would make the browser navigate to it, leaving the
  // page. The canvas handles its own drops (and prevents the default), so only the rest is here.
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true
  const onDragOver = (event: DragEvent) => {
    if (hasFiles(event)) event.preventDefault()
  }
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event) || event.defaultPrevented) return
    event.preventDefault()
    const file = event.dataTransfer?.files[0]
    if (file !== undefined) void workspace.importFile(file)
  }

  const onHidden = () => {
    if (document.visibilityState === 'hidden') void workspace.flush()
  }
  const onPageHide = () => {
    void workspace.flush()
  }
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    void workspace.flush()
    // Edits that no save can keep (storage off, a conflict, a failed save): ask before leaving.
    if (workspace.hasUnsavedWork()) event.preventDefault()
  }
  const onHashChange = () => {
    if (hasShareFragment(location.hash)) void workspace.openShareFragment(location.hash)
  }

  window.addEventListener('paste', onPaste)
  window.addEventListener('dragover', onDragOver)
  window.addEventListener('drop', onDrop)
  document.addEventListener('visibilitychange', onHidden)
  window.addEventListener('pagehide', onPageHide)
  window.addEventListener('beforeunload', onBeforeUnload)
  window.addEventListener('hashchange', onHashChange)
  return () => {
    window.removeEventListener('paste', onPaste)
    window.removeEventListener('dragover', onDragOver)
    window.removeEventListener('drop', onDrop)
    document.removeEventListener('visibilitychange', onHidden)
    window.removeEventListener('pagehide', onPageHide)
    window.removeEventListener('beforeunload', onBeforeUnload)
    window.removeEventListener('hashchange', onHashChange)
  }
}
