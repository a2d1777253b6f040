import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { useEditorContext, useEditorSelector } from '../editor/editorContext'
import { isSameTraining } from '../run/graphSnapshot'
import type { RunRecord } from '../storage/labDatabase'
import { downloadFile, safeFileName } from '../run/download'
import {
  finalMetricRows,
  lossKeysOf,
  metricsCsv,
  overlayColumns,
  runDifferences,
  runGraph,
} from '../run/runCompare'
import { VerificationCompare } from './VerificationCompare'
import { formatCount } from '../run/runReducer'
import { deleteRuns, listRuns, loadRunPoints, type StoredPoint } from '../run/runStore'
import { formatLoss } from '../run/statusText'
import type { TrainingRun } from '../run/useTrainingRun'
import { LossChart, staticSource } from './LossChart'

/** One colour per compared run, in selection order. */
const RUN_COLORS = ['#0284c7', '#e11d48', '#059669', '#d97706', '#7c3aed', '#0891b2', '#65a30d']

const BUTTON =
  'rounded-md border border-zinc-300 px-2 py-1 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-45 disabled:hover:bg-transparent dark:border-zinc-700 dark:hover:bg-zinc-800'

const CELL = 'border-b border-zinc-200 px-2 py-0.5 text-left dark:border-zinc-800'

/** "#3 · gan 2-D": runs are numbered by age, oldest first, so numbers stay put. */
function runLabels(runs: readonly RunRecord[]): Map<string, string> {
  const byAge = [...runs].sort((a, b) => a.createdAt - b.createdAt)
  return new Map(
    byAge.map((run, index) => {
      const name = typeof run.params.graphName === 'string' ? run.params.graphName : 'graph'
      return [run.id, `#${String(index + 1)} · ${name}`]
    }),
  )
}

/** An optimizer's name in the graph a run trained: its title, else its id. */
function optimizerName(run: RunRecord, optimizer: string): string {
  try {
    return runGraph(run).nodes.find((node) => node.id === optimizer)?.title ?? optimizer
  } catch {
    return optimizer
  }
}

const finalLosses = (run: RunRecord) =>
  Object.entries(run.finalMetrics ?? {})
    .filter(([key]) => key.startsWith('loss/'))
    .map(([key, value]) => `${optimizerName(run, key.slice(5))} ${formatLoss(value)}`)
    .join(' · ')

interface Comparison {
  runs: RunRecord[]
  points: StoredPoint[][]
}

/**
 * Every run kept in this browser: select runs to compare (overlaid loss curves, only the
 * params that differ, final metrics side by side), export one's metrics, or delete them.
 */
export function RunHistory({ run }: { run: TrainingRun }) {
  const { controller, db } = run
  const { registry } = useEditorContext()
  const canvas = useEditorSelector((state) => state.document)
  const [runs, setRuns] = useState<RunRecord[]>()
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [comparison, setComparison] = useState<Comparison>()
  const [problem, setProblem] = useState<string>()
  // The list reloads when a run starts, pauses or ends, not on every metrics batch.
  const runKey = useSyncExternalStore(controller.subscribe, () => {
    const view = controller.getView()
    return `${view.runId ?? ''}|${view.state}`
  })
  const [activeRunId, activeState] = runKey.split('|')
  const isActiveLive = activeState === 'running' || activeState === 'paused'

  const reload = useCallback(
    () =>
      listRuns(db).then(
        (list) => {
          setRuns(list)
          setSelected(
            (current) => new Set([...current].filter((id) => list.some((r) => r.id === id))),
          )
          setProblem(undefined)
        },
        (cause: unknown) => {
          setProblem(cause instanceof Error ? cause.message : String(cause))
        },
      ),
    [db],
  )

  useEffect(() => {
    void reload()
  }, [reload, runKey])

  const labels = useMemo(() => runLabels(runs ?? []), [runs])
  const chosen = (runs ?? []).filter((record) => selected.has(record.id))

  const act = (task: () => Promise<void>) => {
    task().catch((cause: unknown) => {
      setProblem(cause instanceof Error ? cause.message : String(cause))
    })
  }

  if (runs === undefined) return <p>Reading the runs…</p>
  return (
    <div className="flex flex-col gap-2">
      {problem !== undefined && <p className="text-red-700 dark:text-red-400">{problem}</p>}
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-zinc-600 dark:text-zinc-400">
          {runs.length === 0
            ? 'No runs yet: every run you train is kept here.'
            : `${formatCount(runs.length)} run${runs.length === 1 ? '' : 's'} kept in this browser; ${chosen.length} selected.`}
        </p>
        <button
          type="button"
          className={BUTTON}
          disabled={chosen.length === 0}
          onClick={() => {
            act(async () => {
              await controller.flush()
              const points = await Promise.all(chosen.map((record) => loadRunPoints(db, record.id)))
              setComparison({ runs: chosen, points })
            })
          }}
        >
          Compare
        </button>
        <ResumeButton
          record={chosen.length === 1 ? chosen[0] : undefined}
          canResume={(record) =>
            run.canResumeStored &&
            !(record.id === activeRunId && isActiveLive) &&
            (canvas.nodes.length === 0 || isSameTraining(runGraph(record), canvas, registry))
          }
          onResume={run.resumeStored}
        />
        <button
          type="button"
          className={BUTTON}
          disabled={chosen.length !== 1}
          onClick={() => {
            const [record] = chosen
            if (record === undefined) return
            act(async () => {
              await controller.flush()
              const points = await loadRunPoints(db, record.id)
              const name = safeFileName(labels.get(record.id) ?? record.id)
              downloadFile(`${name}.metrics.csv`, metricsCsv(points), 'text/csv')
            })
          }}
        >
          Metrics CSV
        </button>
        <button
          type="button"
          className={BUTTON}
          disabled={chosen.length === 0 || chosen.some((record) => record.id === activeRunId)}
          title="Deletes the selected runs with their metrics and checkpoints (not the open run)"
          onClick={() => {
            const ids = chosen.map((record) => record.id)
            act(async () => {
              await deleteRuns(db, ids)
              setComparison((current) =>
                current === undefined
                  ? undefined
                  : filterComparison(current, (id) => !ids.includes(id)),
              )
              await reload()
            })
          }}
        >
          Delete
        </button>
      </div>
      {runs.length > 0 && (
        <table aria-label="Runs" className="w-full border-collapse tabular-nums">
          <thead>
            <tr className="text-zinc-500 dark:text-zinc-400">
              <th className={CELL}>
                <span className="sr-only">Selected</span>
              </th>
              <th className={CELL}>Run</th>
              <th className={CELL}>Started</th>
              <th className={CELL}>Backend</th>
              <th className={CELL}>Status</th>
              <th className={CELL}>Steps</th>
              <th className={CELL}>Final losses</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((record) => {
              const label = labels.get(record.id) ?? record.id
              return (
                <tr key={record.id}>
                  <td className={CELL}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${label}`}
                      checked={selected.has(record.id)}
                      onChange={(event) => {
                        const next = new Set(selected)
                        if (event.target.checked) next.add(record.id)
                        else next.delete(record.id)
                        setSelected(next)
                      }}
                    />
                  </td>
                  <td className={CELL}>
                    {label}
                    {record.id === activeRunId && (
                      <span className="ml-1 text-sky-700 dark:text-sky-400">(open)</span>
                    )}
                  </td>
                  <td className={CELL}>{new Date(record.createdAt).toLocaleString()}</td>
                  <td className={CELL}>{record.backend}</td>
                  <td className={CELL} title={record.message}>
                    {record.status}
                  </td>
                  <td className={CELL}>
                    {record.finalMetrics?.step === undefined
                      ? '–'
                      : formatCount(record.finalMetrics.step)}
                  </td>
                  <td className={CELL}>{finalLosses(record) || '–'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {comparison !== undefined && comparison.runs.length > 0 && (
        <RunComparison comparison={comparison} labels={labels} />
      )}
    </div>
  )
}

/**
 * Continues one stored run from its latest checkpoint. A run trains its own graph snapshot, so
 * it resumes on that graph's canvas (or an empty one, which then shows the run's graph).
 */
function ResumeButton({
  record,
  canResume,
  onResume,
}: {
  record: RunRecord | undefined
  canResume: (record: RunRecord) => boolean
  onResume: (runId: string) => void
}) {
  const isResumable = record !== undefined && record.status !== 'failed' && canResume(record)
  const title =
    record === undefined
      ? 'Select one run to continue it from its latest checkpoint'
      : record.status === 'failed'
        ? 'A failed run cannot be continued'
        : isResumable
          ? 'Continues this run from its latest checkpoint'
          : 'Open the graph this run trained (or clear the canvas) to continue it; a run that is open or busy cannot'
  return (
    <button
      type="button"
      className={BUTTON}
      disabled={!isResumable}
      title={title}
      onClick={() => {
        if (record !== undefined) onResume(record.id)
      }}
    >
      Resume
    </button>
  )
}

function filterComparison(comparison: Comparison, keep: (id: string) => boolean): Comparison {
  const indices = comparison.runs.flatMap((record, index) => (keep(record.id) ? [index] : []))
  return {
    runs: indices.flatMap((index) => comparison.runs[index] ?? []),
    points: indices.flatMap((index) => [comparison.points[index] ?? []]),
  }
}

function RunComparison({
  comparison,
  labels,
}: {
  comparison: Comparison
  labels: ReadonlyMap<string, string>
}) {
  const { runs, points } = comparison
  const lossKeys = useMemo(() => lossKeysOf(points), [points])
  const { registry } = useEditorContext()
  const differences = useMemo(() => runDifferences(runs, registry), [runs, registry])
  const finals = useMemo(() => finalMetricRows(runs), [runs])
  const lines = useMemo(
    () =>
      runs.map((record, index) => ({
        label: labels.get(record.id) ?? record.id,
        color: RUN_COLORS[index % RUN_COLORS.length] ?? '#0284c7',
      })),
    [runs, labels],
  )
  const sources = useMemo(
    () => new Map(lossKeys.map((key) => [key, staticSource(overlayColumns(points, key))])),
    [lossKeys, points],
  )
  const header = (
    <tr className="text-zinc-500 dark:text-zinc-400">
      <th className={CELL} />
      {lines.map((line) => (
        <th key={line.label} className={CELL} style={{ color: line.color }}>
          {line.label}
        </th>
      ))}
    </tr>
  )
  return (
    <section aria-label="Run comparison" className="flex flex-col gap-2">
      <h3 className="font-medium">Comparing {runs.length} runs</h3>
      <div className="flex gap-3 overflow-x-auto pb-1">
        {lossKeys.map((key) => {
          const source = sources.get(key)
          const [first] = runs
          if (source === undefined || first === undefined) return null
          const name = optimizerName(first, key.slice('loss/'.length))
          return (
            <figure
              key={key}
              aria-label={`${name} loss of the compared runs`}
              className="w-80 shrink-0"
            >
              <figcaption className="font-medium">{name} loss</figcaption>
              <LossChart source={source} lines={lines} scale="loss" isLog smoothing={0} />
            </figure>
          )
        })}
      </div>
      <div className="flex flex-wrap gap-6">
        <table aria-label="What differs" className="border-collapse">
          <caption className="text-left font-medium">What differs</caption>
          <thead>{header}</thead>
          <tbody>
            {differences.length === 0 && (
              <tr>
                <td className={CELL} colSpan={lines.length + 1}>
                  Same graph and settings.
                </td>
              </tr>
            )}
            {differences.map((row) => (
              <tr key={row.label}>
                <th className={CELL}>{row.label}</th>
                {row.values.map((value, index) => (
                  <td key={String(index)} className={CELL}>
                    {value ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <VerificationCompare runs={runs} header={header} />
        <table aria-label="Final metrics" className="border-collapse tabular-nums">
          <caption className="text-left font-medium">Final metrics</caption>
          <thead>{header}</thead>
          <tbody>
            {finals.map((row) => (
              <tr key={row.key}>
                <th className={CELL}>{row.key}</th>
                {row.values.map((value, index) => (
                  <td key={String(index)} className={CELL}>
                    {value === undefined
                      ? '—'
                      : row.key === 'step'
                        ? formatCount(value)
                        : formatLoss(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
