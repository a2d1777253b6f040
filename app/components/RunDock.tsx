import { useEffect, useId, useState } from 'react'
import { BACKEND_NAMES, type BackendChoice } from '../../workers/backendChoice'
import type { BackendDetails } from '../../workers/backends'
import { formatLoss } from '../run/statusText'
import type { TrainingRun } from '../run/useTrainingRun'
import type { WorkerState } from '../run/useTrainingWorker'
import {
  clampDockHeight,
  loadDockHeight,
  maxDockHeight,
  MIN_DOCK,
  saveDockHeight,
} from './dockHeight'
import { DockResizer } from './DockResizer'
import { LossSparkline } from './LossSparkline'
import { RunHistory } from './RunHistory'
import { RunMonitor } from './RunMonitor'
import { ViewsPanel } from '../views/ViewsPanel'

interface RunDockProps {
  worker: WorkerState
  choice: BackendChoice
  onChoiceChange: (choice: BackendChoice) => void
  notice: string | undefined
  run: TrainingRun
}

type DockTab = 'Live' | 'Views' | 'Runs'

const TABS: readonly DockTab[] = ['Live', 'Views', 'Runs']

/**
 * The run dock: the backend (choice and what the worker proved on it) beside the live run
 * (settings, charts, hints, exports), the view nodes drawn large, and the runs kept in this
 * browser.
 */
export function RunDock({ worker, choice, onChoiceChange, notice, run }: RunDockProps) {
  const selectId = useId()
  const tabsId = useId()
  const [tab, setTab] = useState<DockTab>('Live')
  const [windowHeight, setWindowHeight] = useState(() => window.innerHeight)
  const [wanted, setWanted] = useState(loadDockHeight)
  useEffect(() => {
    const onResize = () => {
      setWindowHeight(window.innerHeight)
    }
    window.addEventListener('resize', onResize)
    return () => {
      window.removeEventListener('resize', onResize)
    }
  }, [])
  // The height asked for is kept; a smaller window only limits what is shown.
  const height = clampDockHeight(wanted, windowHeight)
  const resize = (next: number) => {
    const clamped = clampDockHeight(next, windowHeight)
    setWanted(clamped)
    saveDockHeight(clamped)
  }
  return (
    <>
      <DockResizer
        height={height}
        min={MIN_DOCK}
        max={maxDockHeight(windowHeight)}
        onResize={resize}
      />
      <section
        aria-label="Run dock"
        style={{ height }}
        className="flex shrink-0 border-zinc-200 bg-white text-xs text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300"
      >
        <div className="flex w-72 shrink-0 flex-col gap-2 overflow-auto border-r border-zinc-200 px-3 py-2 dark:border-zinc-800">
          <div className="flex items-center gap-2">
            <label htmlFor={selectId} className="font-medium">
              Backend
            </label>
            <select
              id={selectId}
              value={choice}
              onChange={(event) => {
                onChoiceChange(event.target.value as BackendChoice)
              }}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-950"
            >
              <option value="auto">auto</option>
              {BACKEND_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          {notice !== undefined && <p className="text-amber-700 dark:text-amber-400">{notice}</p>}
          <WorkerSummary
            worker={worker}
            onUseCpu={() => {
              onChoiceChange('cpu')
            }}
          />
        </div>
        <div className="flex min-w-0 flex-1 flex-col">
          <div
            role="tablist"
            aria-label="Run views"
            className="flex gap-1 border-b border-zinc-200 px-3 pt-1 dark:border-zinc-800"
          >
            {TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`${tabsId}-${name}`}
                aria-selected={tab === name}
                aria-controls={`${tabsId}-panel`}
                onClick={() => {
                  setTab(name)
                }}
                className={`-mb-px border-b-2 px-2 py-1 font-medium ${
                  tab === name
                    ? 'border-sky-600 text-zinc-900 dark:text-zinc-100'
                    : 'border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200'
                }`}
              >
                {name}
              </button>
            ))}
          </div>
          <div
            role="tabpanel"
            id={`${tabsId}-panel`}
            aria-labelledby={`${tabsId}-${tab}`}
            className="min-h-0 flex-1 overflow-auto px-3 py-2"
          >
            {tab === 'Live' ? (
              <RunMonitor run={run} />
            ) : tab === 'Views' ? (
              <ViewsPanel controller={run.controller} />
            ) : (
              <RunHistory run={run} />
            )}
          </div>
        </div>
      </section>
    </>
  )
}

function WorkerSummary({ worker, onUseCpu }: { worker: WorkerState; onUseCpu: () => void }) {
  switch (worker.phase) {
    case 'starting':
      return <p>Starting the training worker on {worker.choice}…</p>
    case 'failed':
      return (
        <div className="flex flex-col items-start gap-1">
          <p className="text-red-700 dark:text-red-400">No backend could train: {worker.message}</p>
          {worker.choice !== 'cpu' && (
            <button
              type="button"
              onClick={onUseCpu}
              className="rounded-md border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Use the CPU backend
            </button>
          )}
        </div>
      )
    case 'ready': {
      const { backend, selfCheck, skipped, tfVersion } = worker.report
      const first = selfCheck.losses[0] ?? Number.NaN
      const last = selfCheck.losses.at(-1) ?? Number.NaN
      return (
        <>
          <p>
            <span className="font-medium">{describeBackend(backend)}</span> · TF.js {tfVersion}
          </p>
          <div className="flex items-center gap-3">
            <LossSparkline losses={selfCheck.losses} label="Self-check loss by step" />
            <p>
              Self-check: loss {formatLoss(first)} → {formatLoss(last)} in {selfCheck.losses.length}{' '}
              steps, {Math.round(selfCheck.milliseconds)} ms
            </p>
          </div>
          {skipped.map(({ name, reason }) => (
            <p key={name} className="text-zinc-500 dark:text-zinc-400">
              Skipped {name}: {reason}
            </p>
          ))}
        </>
      )
    }
  }
}

/** e.g. "wasm · SIMD · 2 threads · cross-origin isolated". */
export function describeBackend(backend: BackendDetails): string {
  const parts: string[] = [backend.name]
  if (backend.adapter !== undefined) {
    const { vendor, architecture, isSoftware } = backend.adapter
    parts.push([vendor, architecture].filter(Boolean).join(' ') || 'unnamed adapter')
    if (isSoftware) parts.push('software adapter')
  }
  if (backend.wasm !== undefined) {
    if (backend.wasm.simd) parts.push('SIMD')
    if (backend.wasm.isThreaded) parts.push('threaded build')
    parts.push(`${backend.wasm.threads} thread${backend.wasm.threads === 1 ? '' : 's'}`)
  }
  if (backend.webglVersion !== undefined) parts.push(`WebGL ${backend.webglVersion}`)
  parts.push(backend.isCrossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated')
  return parts.join(' · ')
}
