/**
 * Everything the app shell mounts for keeping and sharing graphs, from one hook: toolbar
 * actions (Save, Share link, Export JSON, Import JSON, Library), the graph's name and save
 * state for the toolbar, the Library panel, notices and the file picker, and the canvas's
 * file-drop handler. App.tsx places these; the logic lives in the workspace.
 */
import { useCallback, useRef, useState, useSyncExternalStore, type ReactNode } from 'react'
import type { NodeRegistry } from '../../graph-core/registry'
import type { ToolbarAction } from '../components/Toolbar'
import type { EditorStore } from '../editor/editorStore'
import { GRAPH_FILE_TYPE } from '../storage/graphFiles'
import { LibraryPanel } from './LibraryPanel'
import { NoticeStack } from './NoticeStack'
import { useWorkspace, useWorkspaceState } from './useWorkspace'
import type { Workspace } from './workspace'
import { WorkspaceTitle } from './WorkspaceTitle'

/** What App.tsx places. */
export interface LibraryShell {
  actions: Partial<Record<ToolbarAction, (() => void) | undefined>>
  /** The graph's name and save state, for the toolbar. */
  title: ReactNode
  /** The Library panel when open: a column beside the inspector. */
  panel: ReactNode
  /** Notices and the hidden file picker, anywhere in the shell. */
  layer: ReactNode
  /** For the canvas: graph files dropped on it. */
  onDropFiles: (files: readonly File[]) => void
  /** The workspace, for whatever else opens graphs (presets); undefined until mounted. */
  workspace: Workspace | undefined
}

/** The keeping-and-sharing parts of the shell. */
export function useLibraryShell(store: EditorStore, registry: NodeRegistry): LibraryShell {
  const workspace = useWorkspace(store, registry)
  const state = useWorkspaceState(workspace)
  const name = useSyncExternalStore(store.subscribe, () => store.getState().document.name)
  const [isLibraryOpen, setLibraryOpen] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)

  const onDropFiles = useCallback(
    (files: readonly File[]) => {
      const [file] = files
      if (file !== undefined) void workspace?.importFile(file)
    },
    [workspace],
  )

  const actions: LibraryShell['actions'] =
    workspace === undefined
      ? {}
      : {
          Save: () => {
            void workspace.save()
          },
          'Share link': () => {
            void workspace.shareLink()
          },
          'Export JSON': workspace.exportJson,
          'Import JSON': () => {
            fileInput.current?.click()
          },
          Library: () => {
            setLibraryOpen((open) => !open)
          },
        }

  const title = <WorkspaceTitle name={name} saveState={state?.saveState ?? 'new'} />

  const panel =
    isLibraryOpen && workspace !== undefined && state !== undefined ? (
      <LibraryPanel
        workspace={workspace}
        state={state}
        registry={registry}
        onClose={() => {
          setLibraryOpen(false)
        }}
      />
    ) : null

  const layer = (
    <>
      <input
        ref={fileInput}
        type="file"
        accept={`.json,${GRAPH_FILE_TYPE}`}
        aria-label="Import JSON file"
        tabIndex={-1}
        className="sr-only"
        onChange={(event) => {
          const file = event.target.files?.[0]
          // Cleared so choosing the same file again still reports a change.
          event.target.value = ''
          if (file !== undefined) void workspace?.importFile(file)
        }}
      />
      {workspace !== undefined && state !== undefined && (
        <NoticeStack notices={state.notices} onDismiss={workspace.dismissNotice} />
      )}
    </>
  )

  return { actions, title, panel, layer, onDropFiles, workspace }
}
