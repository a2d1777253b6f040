import { useMemo, useState, useSyncExternalStore } from 'react'
import type { Diagnostic } from '../../graph-core/diagnostics'
import { useEditorContext } from '../editor/editorContext'
import { chartColumns, planCharts, type ChartSpec } from '../run/chartPlan'
import { downloadFile, safeFileName } from '../run/download'
import { metricsCsv } from '../run/runCompare'
import { DEFAULT_CHECKPOINT_EVERY, type RunController } from '../run/runController'
import {
  etaSeconds,
  formatBytes,
  formatCount,
  formatDuration,
  progressOf,
  type RunView,
} from '../run/runReducer'
import { loadRunPoints } from '../run/runStore'
import { withSetting } from '../run/runSettings'
import { formatLoss } from '../run/statusText'
import { useSelectNode } from '../run/useSelectNode'
import type { TrainingRun } from '../run/useTrainingRun'
import { LossChart, type ChartLine, type ChartSource } from './LossChart'

/** Line colours by series label; losses are sky. */
const COLORS: Record<string, string> = {
  loss: '#0284c7',
  'D(real)': '#059669',
  'D(fake)': '#e11d48',
  easy: '#16a34a',
  'semi-hard': '#d97706',
  hard: '#dc2626',
}

const BUTTON =
  'rounded-md border border-zinc-300 px-2 py-1 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-45 disabled:hover:bg-transparent dark:border-zinc-700 dark:hover:bg-zinc-800'

/**
 * The live run in the dock: settings for the next run, progress, rate, ETA and worker memory,
 * one chart per loss (plus D(real)/D(fake) and triplet kinds), hints with what to try, why a
 * run failed or did not compile (each pointing at its node), the resume offer, and exports.
 * Re-renders at most twice a second while training; charts redraw on their own (LossChart).
 */
export function RunMonitor({ run }: { run: TrainingRun }) {
  const { controller } = run
  const view = useSyncExternalStore(controller.subscribe, controller.getView)
  const { store } = useEditorContext()
  const selectNode = useSelectNode()
  const [smoothing, setSmoothing] = useState(0.6)
  const [isLog, setLog] = useState(true)
  const nameOf = (id: string) =>
    store.getState().document.nodes.find((node) => node.id === id)?.title ?? id
  const keys = controller.table.keys()
  const charts = planCharts(view.phases, keys, nameOf)
  const charted = new Set(charts.flatMap((chart) => chart.series.map((series) => series.key)))
  const otherMetrics = keys.filter((key) => key.startsWith('metric/') && !charted.has(key))
  const isRunOpen = view.state === 'running' || view.state === 'paused'

  return (
    <div className="flex flex-col gap-2">
      <ResumeOffer run={run} view={view} />
      {view.notice !== undefined && (
        <p className="text-amber-700 dark:text-amber-400">{view.notice}</p>
      )}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <label className="flex items-center gap-1">
          Max steps
          <input
            type="number"
            min={1}
            step={1}
            placeholder="no limit"
            disabled={isRunOpen}
            title={isRunOpen ? 'Applies to the next run' : 'Training stops at this step'}
            value={run.settings.maxSteps ?? ''}
            onChange={(event) => {
              run.setSettings(withSetting(run.settings, 'maxSteps', event.target.value))
            }}
            className="w-24 rounded-md border border-zinc-300 bg-white px-1 py-0.5 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950"
          />
        </label>
        <label className="flex items-center gap-1">
          Checkpoint every
          <input
            type="number"
            min={1}
            step={1}
            placeholder={String(DEFAULT_CHECKPOINT_EVERY)}
            disabled={isRunOpen}
            title={
              isRunOpen
                ? 'Applies to the next run'
                : 'Steps between checkpoints (one is also kept on every pause); a reload loses at most this many'
            }
            value={run.settings.checkpointEvery ?? ''}
            onChange={(event) => {
              run.setSettings(withSetting(run.settings, 'checkpointEvery', event.target.value))
            }}
            className="w-20 rounded-md border border-zinc-300 bg-white px-1 py-0.5 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950"
          />
          steps
        </label>
        <label className="flex items-center gap-1">
          Smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            onChange={(event) => {
              setSmoothing(Number(event.target.value))
            }}
            className="w-24"
          />
          <span className="w-8 tabular-nums">{smoothing.toFixed(2)}</span>
        </label>
        <label className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={isLog}
            onChange={(event) => {
              setLog(event.target.checked)
            }}
          />
          Log scale
        </label>
        <RunFigures view={view} />
        <div className="ml-auto flex gap-1">
          <button
            type="button"
            className={BUTTON}
            disabled={view.runId === undefined || view.isBusy}
            onClick={() => {
              exportWeights(controller).catch((cause: unknown) => {
                controller.setNotice(`Could not export the weights: ${String(cause)}`)
              })
            }}
          >
            Export weights
          </button>
          <button
            type="button"
            className={BUTTON}
            disabled={view.runId === undefined}
            onClick={() => {
              exportCsv(run, view).catch((cause: unknown) => {
                controller.setNotice(`Could not export the metrics: ${String(cause)}`)
              })
            }}
          >
            Metrics CSV
          </button>
        </div>
      </div>
      <Failure view={view} onSelect={selectNode} />
      {charts.length > 0 && (
        <div className="flex gap-3 overflow-x-auto pb-1">
          {charts.map((spec) => (
            <figure key={spec.id} aria-label={spec.title} className="flex w-72 shrink-0 flex-col">
              <figcaption className="flex flex-col">
                <button
                  type="button"
                  className="max-w-full truncate text-left font-medium hover:underline"
                  title={`Show ${nameOf(spec.node)} on the canvas`}
                  onClick={() => {
                    selectNode(spec.node)
                  }}
                >
                  {spec.title}
                </button>
                <span className="tabular-nums text-zinc-500 dark:text-zinc-400">
                  <LatestValues controller={controller} spec={spec} />
                </span>
              </figcaption>
              <LiveChart controller={controller} spec={spec} smoothing={smoothing} isLog={isLog} />
            </figure>
          ))}
        </div>
      )}
      {otherMetrics.length > 0 && (
        <p className="text-zinc-600 dark:text-zinc-400">
          {otherMetrics
            .map(
              (key) =>
                `${metricName(key, nameOf)} ${formatLoss(controller.table.latest(key) ?? Number.NaN)}`,
            )
            .join(' · ')}
        </p>
      )}
      <Hints view={view} onSelect={selectNode} />
      <DiagnosticList diagnostics={view.diagnostics} onSelect={selectNode} />
      {view.runId === undefined && view.state === 'idle' && view.resumeOffer === undefined && (
        <p className="text-zinc-500 dark:text-zinc-400">
          Press Train to compile the graph in the worker and train it; its losses are charted here.
        </p>
      )}
    </div>
  )
}

/** Step, progress and ETA, rate, worker memory, last checkpoint. */
function RunFigures({ view }: { view: RunView }) {
  const progress = progressOf(view)
  const eta = etaSeconds(view)
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 tabular-nums">
      {progress !== undefined && view.maxSteps !== undefined && (
        <progress
          aria-label="Progress"
          max={view.maxSteps}
          value={Math.min(view.step, view.maxSteps)}
          className="h-2 w-28"
        />
      )}
      <span>
        step {formatCount(view.step)}
        {view.maxSteps !== undefined && ` of ${formatCount(view.maxSteps)}`}
        {eta !== undefined && ` · ETA ${formatDuration(eta)}`}
      </span>
      {view.state === 'running' && view.stepsPerSecond > 0 && (
        <span>{view.stepsPerSecond.toFixed(view.stepsPerSecond < 10 ? 1 : 0)} steps/s</span>
      )}
      {view.memory !== undefined && (
        <span title="TF.js tensors held in the worker: flat in a healthy run">
          {formatCount(view.memory.numTensors)} tensors · {formatBytes(view.memory.numBytes)}
        </span>
      )}
      {view.checkpointStep !== undefined && (
        <span className="text-zinc-500 dark:text-zinc-400">
          checkpoint at step {formatCount(view.checkpointStep)}
        </span>
      )}
    </div>
  )
}

/** The newest value of each series; with several, each labelled in its line's colour. */
function LatestValues({ controller, spec }: { controller: RunController; spec: ChartSpec }) {
  const shown = (key: string) => {
    const value = controller.table.latest(key)
    return value === undefined ? '–' : formatLoss(value)
  }
  const [only] = spec.series
  if (spec.series.length === 1 && only !== undefined) return shown(only.key)
  return spec.series.map((series, index) => (
    <span key={series.key}>
      {index > 0 && ' · '}
      <span style={{ color: COLORS[series.label] }}>{series.label}</span> {shown(series.key)}
    </span>
  ))
}

/** `metric/gan2.fakeScore` → "G loss fakeScore". */
function metricName(key: string, nameOf: (node: string) => string): string {
  const name = key.slice('metric/'.length)
  const dot = name.lastIndexOf('.')
  return dot < 0 ? name : `${nameOf(name.slice(0, dot))} ${name.slice(dot + 1)}`
}

function LiveChart({
  controller,
  spec,
  smoothing,
  isLog,
}: {
  controller: RunController
  spec: ChartSpec
  smoothing: number
  isLog: boolean
}) {
  const seriesKey = spec.series.map((series) => `${series.key}=${series.label}`).join('|')
  const source = useMemo<ChartSource>(() => {
    const series = seriesKey.split('|').map((entry) => {
      const [key = '', label = ''] = entry.split('=')
      return { key, label }
    })
    return {
      subscribe: controller.subscribe,
      version: () => controller.table.version,
      columns: () => chartColumns(controller.table, { series }),
    }
  }, [controller, seriesKey])
  const lines = useMemo<ChartLine[]>(
    () =>
      seriesKey.split('|').map((entry) => {
        const label = entry.split('=')[1] ?? ''
        return { label, color: COLORS[label] ?? '#7c3aed' }
      }),
    [seriesKey],
  )
  return (
    <LossChart
      source={source}
      lines={lines}
      scale={spec.scale}
      isLog={isLog}
      smoothing={smoothing}
    />
  )
}

function ResumeOffer({ run, view }: { run: TrainingRun; view: RunView }) {
  const offer = view.resumeOffer
  if (offer === undefined || view.state === 'running' || view.state === 'paused') return null
  const step = formatCount(offer.step)
  return (
    <div className="flex flex-wrap items-center gap-2 rounded border border-sky-200 bg-sky-50 px-2 py-1 text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100">
      <p>
        {offer.isSameGraph
          ? `An unfinished run of this graph was checkpointed at step ${step}.`
          : `An unfinished run of “${offer.graphName}” was checkpointed at step ${step}.`}
      </p>
      <button
        type="button"
        className={BUTTON}
        disabled={!run.canResumeStored}
        onClick={() => {
          run.resumeStored(offer.runId)
        }}
      >
        {offer.isSameGraph
          ? `Resume run from step ${step}`
          : `Open its graph and resume from step ${step}`}
      </button>
    </div>
  )
}

function Failure({ view, onSelect }: { view: RunView; onSelect: (node: string) => void }) {
  if (view.state !== 'failed' || view.failure === undefined) return null
  const node = view.failure.diagnostic?.node
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 rounded border border-red-200 bg-red-50 px-2 py-1 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <p>{view.failure.message}</p>
      {node !== undefined && (
        <button
          type="button"
          className={BUTTON}
          onClick={() => {
            onSelect(node)
          }}
        >
          Show {node}
        </button>
      )}
    </div>
  )
}

function Hints({ view, onSelect }: { view: RunView; onSelect: (node: string) => void }) {
  if (view.hints.length === 0) return null
  return (
    <section aria-label="Training hints" className="flex flex-col gap-1">
      {view.hints.map((hint) => (
        <div
          key={`${hint.code}:${hint.node ?? ''}`}
          className="rounded border border-amber-200 bg-amber-50 px-2 py-1 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          <p>
            {hint.node !== undefined && (
              <button
                type="button"
                className="mr-1 font-medium underline-offset-2 hover:underline"
                onClick={() => {
                  if (hint.node !== undefined) onSelect(hint.node)
                }}
              >
                {hint.node}:
              </button>
            )}
            {hint.message}
          </p>
          <p className="text-amber-800 dark:text-amber-200">Try: {hint.whatToTry}</p>
        </div>
      ))}
    </section>
  )
}

function DiagnosticList({
  diagnostics,
  onSelect,
}: {
  diagnostics: readonly Diagnostic[]
  onSelect: (node: string) => void
}) {
  if (diagnostics.length === 0) return null
  return (
    <section aria-label="Compile diagnostics" className="flex flex-col gap-1">
      <h3 className="font-medium">What compiling found ({diagnostics.length})</h3>
      <ul className="flex flex-col gap-1">
        {diagnostics.map((diagnostic, index) => (
          <li
            key={`${diagnostic.code}:${diagnostic.node ?? ''}:${diagnostic.port ?? ''}:${String(index)}`}
            className={`rounded border px-2 py-1 ${
              diagnostic.severity === 'error'
                ? 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
                : 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200'
            }`}
          >
            {diagnostic.node !== undefined ? (
              <button
                type="button"
                className="text-left underline-offset-2 hover:underline"
                onClick={() => {
                  if (diagnostic.node !== undefined) onSelect(diagnostic.node)
                }}
              >
                {diagnostic.node}
                {diagnostic.port !== undefined && `.${diagnostic.port}`}: {diagnostic.message}
              </button>
            ) : (
              diagnostic.message
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Every block's weights: `<node>.model.json` (manifest) and `<node>.weights.bin` each. */
async function exportWeights(controller: RunController): Promise<void> {
  const artifacts = await controller.exportWeights()
  if (artifacts.length === 0) {
    controller.setNotice('This graph has no trained weights to export.')
    return
  }
  for (const artifact of artifacts) {
    const base = safeFileName(artifact.node)
    downloadFile(
      `${base}.model.json`,
      JSON.stringify(artifact.modelJson, null, 2),
      'application/json',
    )
    downloadFile(
      artifact.modelJson.weightsManifest[0].paths[0],
      artifact.weightsBin,
      'application/octet-stream',
    )
  }
}

/** The run's stored points (all of them, not only what the charts keep) as CSV. */
async function exportCsv(run: TrainingRun, view: RunView): Promise<void> {
  const runId = view.runId
  if (runId === undefined) return
  await run.controller.flush()
  const points = await loadRunPoints(run.db, runId)
  downloadFile(`run-${safeFileName(runId.slice(0, 8))}.metrics.csv`, metricsCsv(points), 'text/csv')
}
