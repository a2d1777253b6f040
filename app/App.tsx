import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { useCallback, useMemo, useState } from 'react'
import { createDocument } from '../graph-core/document'
import { nodeRegistry } from '../nodes/registry'
import { parseBackendChoice, type BackendChoice } from '../workers/backendChoice'
import { GraphCanvas } from './components/GraphCanvas'
import { Inspector } from './components/Inspector'
import { Palette } from './components/Palette'
import { RunDock } from './components/RunDock'
import { RunStatus } from './components/RunStatus'
import { ShortcutsSheet } from './components/ShortcutsSheet'
import { StepOnlyMenu } from './components/StepOnlyMenu'
import { Toolbar } from './components/Toolbar'
import { layoutPositions } from './editor/autoLayout'
import { EditorContext, useEditorSelector, type EditorContextValue } from './editor/editorContext'
import { createEditorStore } from './editor/editorStore'
import { useEditorShortcuts } from './editor/useEditorShortcuts'
import { useLibraryShell } from './library/useLibraryShell'
import { usePresetShell } from './presets/usePresetShell'
import { useTrainingRun } from './run/useTrainingRun'
import { useTrainingWorker } from './run/useTrainingWorker'
import { useViewPolling } from './views/useViewPolling'
import { ViewStoreContext } from './views/viewContext'
import { createViewStore } from './views/viewStore'

const initialBackend = parseBackendChoice(new URLSearchParams(location.search).get('backend'))

/** The app shell: toolbar, palette | canvas | inspector, and the run dock. */
export function App() {
  const editor = useMemo<EditorContextValue>(
    () => ({ store: createEditorStore(createDocument(), nodeRegistry), registry: nodeRegistry }),
    [],
  )
  const views = useMemo(() => createViewStore(), [])
  return (
    <EditorContext.Provider value={editor}>
      <ViewStoreContext.Provider value={views}>
        <ReactFlowProvider>
          <Shell editor={editor} />
        </ReactFlowProvider>
      </ViewStoreContext.Provider>
    </EditorContext.Provider>
  )
}

function Shell({ editor }: { editor: EditorContextValue }) {
  const { store, registry } = editor
  // Only what the toolbar needs: a drag must not re-render the whole shell.
  const { canUndo, canRedo, hasNodes } = useEditorSelector((state) => ({
    canUndo: state.history.past.length > 0,
    canRedo: state.history.future.length > 0,
    hasNodes: state.document.nodes.length > 0,
  }))
  const flow = useReactFlow()
  const [choice, setChoice] = useState<BackendChoice>(initialBackend.choice)
  const [notice, setNotice] = useState(initialBackend.error)
  const [isShortcutsOpen, setShortcutsOpen] = useState(false)
  const worker = useTrainingWorker(choice)
  const run = useTrainingRun(worker, store, registry)
  const library = useLibraryShell(store, registry)
  useViewPolling(run, store, registry)
  useEditorShortcuts(store, registry, {
    toggleShortcutsSheet: () => {
      setShortcutsOpen((open) => !open)
    },
  })

  const changeBackend = (next: BackendChoice) => {
    setChoice(next)
    setNotice(undefined)
    const url = new URL(location.href)
    if (next === 'auto') url.searchParams.delete('backend')
    else url.searchParams.set('backend', next)
    history.replaceState(history.state, '', url)
  }

  const autoLayout = useCallback(async () => {
    const { document, measured } = store.getState()
    const positions = await layoutPositions(document, measured)
    store.dispatch({ type: 'moveNodes', positions })
    await flow.fitView({ padding: 0.15, duration: 200 })
  }, [store, flow])

  const presets = usePresetShell({
    workspace: library.workspace,
    run,
    backend: {
      choice,
      active: worker.phase === 'ready' ? worker.report.backend.name : undefined,
      change: changeBackend,
    },
  })

  const status = <RunStatus controller={run.controller} worker={worker} />

  return (
    <div className="flex h-full flex-col bg-white text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <Toolbar
        title={library.title}
        status={status}
        runExtras={<StepOnlyMenu run={run} />}
        controls={{ Presets: presets.toolbar }}
        actions={{
          ...library.actions,
          ...run.actions,
          Undo: canUndo ? store.undo : undefined,
          Redo: canRedo ? store.redo : undefined,
          'Auto layout': hasNodes
            ? () => {
                void autoLayout()
              }
            : undefined,
        }}
      />
      <div className="flex min-h-0 flex-1">
        <Palette />
        <GraphCanvas onDropFiles={library.onDropFiles} />
        {presets.panel}
        <Inspector />
        {library.panel}
      </div>
      <RunDock
        worker={worker}
        choice={choice}
        onChoiceChange={changeBackend}
        notice={notice}
        run={run}
      />
      {library.layer}
      {isShortcutsOpen && (
        <ShortcutsSheet
          onClose={() => {
            setShortcutsOpen(false)
          }}
        />
      )}
    </div>
  )
}
