/**
 * Everything the app shell mounts for presets (DESIGN §6), from one hook: the toolbar's Presets
 * menu with the "About this preset" toggle beside it, and the explainer panel of the open graph.
 * Choosing a preset opens it as a new graph through the workspace, fits the view to it and makes
 * its training steps and backend the run's defaults.
 */
import { useReactFlow } from '@xyflow/react'
import { useCallback, useMemo, useState, type ReactNode } from 'react'
import type { Explainer } from '../../presets/explainer'
import type { PresetId } from '../../presets/ids'
import type { BackendChoice } from '../../workers/backendChoice'
import { useEditorContext, useEditorSelector } from '../editor/editorContext'
import type { Workspace } from '../library/workspace'
import type { TrainingRun } from '../run/useTrainingRun'
import { ExplainerPanel } from './ExplainerPanel'
import { graphExplainer, knobRows, usesTrainingDefaults, type KnobRow } from './explainerView'
import { openPreset } from './openPreset'
import { loadedPresetCatalog, loadPresetCatalog } from './presetCatalog'
import { PresetsMenu } from './PresetsMenu'

/** What the shell passes in: where graphs open, the run and the backend choice. */
export interface PresetShellOptions {
  workspace: Workspace | undefined
  run: TrainingRun
  backend: {
    choice: BackendChoice
    /** The backend the worker proved (what `auto` chose); undefined while it starts. */
    active: string | undefined
    change: (choice: BackendChoice) => void
  }
}

/** What App.tsx places. */
export interface PresetShell {
  /** The Presets menu and, for a graph with an explainer, the "About this preset" toggle. */
  toolbar: ReactNode
  /** The explainer column beside the canvas, when open. */
  panel: ReactNode
}

/** Fits the whole graph with a margin, never zooming in past 100% (as the canvas does). */
const FIT = { padding: 0.15, maxZoom: 1 }

export function usePresetShell({ workspace, run, backend }: PresetShellOptions): PresetShell {
  const { store, registry } = useEditorContext()
  const flow = useReactFlow()
  const raw = useEditorSelector((state) => state.document.meta.explainer, Object.is)
  const explainer = useMemo(() => graphExplainer(raw), [raw])
  // Only the knobs' nodes matter: a drag elsewhere does not re-render the shell.
  const knobs = useEditorSelector(
    (state) => (explainer === undefined ? [] : knobRows(explainer, state.document, registry)),
    (a, b) => JSON.stringify(a) === JSON.stringify(b),
  )
  // The explainer the user closed; a graph opened later (a new object) shows its own again.
  const [closed, setClosed] = useState<unknown>()
  const isOpen = explainer !== undefined && closed !== raw

  const applyTraining = useCallback(
    (training: Explainer['training']) => {
      run.setSettings({ ...run.settings, maxSteps: training.steps })
      // Switching the backend restarts the worker: never under an open run, never needlessly.
      const { state } = run.controller.getView()
      const isRunOpen = state === 'running' || state === 'paused'
      const isThere =
        backend.choice === training.backend ||
        (backend.choice === 'auto' && backend.active === training.backend)
      if (!isRunOpen && !isThere) backend.change(training.backend)
    },
    [run, backend],
  )

  const choose = useCallback(
    (id: PresetId) => {
      if (workspace === undefined) return
      void (async () => {
        const catalog = await loadPresetCatalog()
        const opened = await openPreset(id, { catalog, registry, workspace, store })
        if (opened === undefined) return
        setClosed(undefined)
        applyTraining(opened.training)
        // Two frames on, the canvas has its new width (the explainer column may have just
        // appeared) and React Flow has the new nodes; it fits once they are measured.
        requestAnimationFrame(() => {
          requestAnimationFrame(() => {
            void flow.fitView(FIT)
          })
        })
      })().catch((cause: unknown) => {
        workspace.notify({
          key: 'preset',
          tone: 'error',
          message: `The preset could not be opened: ${cause instanceof Error ? cause.message : String(cause)}`,
        })
      })
    },
    [workspace, registry, store, applyTraining, flow],
  )

  const focusKnob = useCallback(
    ({ node, param }: KnobRow) => {
      store.focusParam(node, param)
      void flow.fitView({ nodes: [{ id: node }], duration: 200, maxZoom: 1, padding: 0.4 })
    },
    [store, flow],
  )

  const titleOf = useCallback(
    (preset: string) =>
      loadedPresetCatalog()?.PRESETS.find((entry) => entry.id === preset)?.title ?? preset,
    [],
  )

  const toolbar = (
    <>
      <PresetsMenu onChoose={choose} />
      {explainer !== undefined && (
        <button
          type="button"
          aria-pressed={isOpen}
          onClick={() => {
            setClosed(isOpen ? raw : undefined)
          }}
          className={`rounded-md border px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 ${
            isOpen
              ? 'border-sky-400 bg-sky-50 text-sky-900 hover:bg-sky-100 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-100 dark:hover:bg-sky-900'
              : 'border-zinc-300 text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800'
          }`}
        >
          About this preset
        </button>
      )}
    </>
  )

  const panel = isOpen ? (
    <ExplainerPanel
      explainer={explainer}
      knobs={knobs}
      isUsingDefaults={usesTrainingDefaults(explainer.training, {
        maxSteps: run.settings.maxSteps,
        backend: backend.choice,
        activeBackend: backend.active,
      })}
      titleOf={titleOf}
      onUseDefaults={() => {
        applyTraining(explainer.training)
      }}
      onKnob={focusKnob}
      onClose={() => {
        setClosed(raw)
      }}
    />
  ) : null

  return { toolbar, panel }
}
