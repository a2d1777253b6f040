/**
 * Comparing stored runs (issue #6): their loss curves overlaid on one step axis, only the
 * params that differ between their graph snapshots, and their final metrics side by side;
 * and a run's metrics as CSV. Pure, tested in Node.
 */
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'
import type { RunRecord } from '../storage/labDatabase'
import type { ChartColumns } from './chartPlan'
import { snapshotDifferences, type SnapshotDifference } from './graphSnapshot'
import type { StoredPoint } from './runStore'
import { VERIFICATION_PREFIX } from './verificationCompare'

/** The loss series (`loss/<optimizer>`) any of the runs has, in first-seen order. */
export function lossKeysOf(runs: readonly (readonly StoredPoint[])[]): string[] {
  const keys = new Set<string>()
  for (const points of runs) {
    for (const point of points) {
      for (const key of Object.keys(point.values)) if (key.startsWith('loss/')) keys.add(key)
    }
  }
  return [...keys]
}

/**
 * One series per run on the union of their steps (`null` where a run has no value). A step
 * with several points (an optimizer stepped alone) keeps its last value.
 */
export function overlayColumns(
  runs: readonly (readonly StoredPoint[])[],
  key: string,
): ChartColumns {
  const byRun = runs.map((points) => {
    const values = new Map<number, number>()
    for (const point of points) {
      const value = point.values[key]
      if (value !== undefined && Number.isFinite(value)) values.set(point.step, value)
    }
    return values
  })
  const steps = [...new Set(byRun.flatMap((values) => [...values.keys()]))].sort((a, b) => a - b)
  return [steps, ...byRun.map((values) => steps.map((step) => values.get(step) ?? null))]
}

/** The graph snapshot a run trained. */
export const runGraph = (record: RunRecord): GraphDocument =>
  JSON.parse(record.graphJson) as GraphDocument

/**
 * What differs between the runs: their graphs' params (defaults filled in with the registry),
 * plus their own settings and backend.
 */
export function runDifferences(
  records: readonly RunRecord[],
  registry?: NodeRegistry,
): SnapshotDifference[] {
  const rows: SnapshotDifference[] = []
  const add = (label: string, values: (string | undefined)[]) => {
    if (new Set(values).size > 1) rows.push({ label, values })
  }
  add(
    'backend',
    records.map((record) => record.backend),
  )
  const settings = [...new Set(records.flatMap((record) => Object.keys(record.params)))]
  for (const name of settings.filter((key) => key !== 'graphName' && key !== 'seed').sort()) {
    add(
      name,
      records.map((record) => {
        const value = record.params[name]
        return value === undefined ? undefined : JSON.stringify(value)
      }),
    )
  }
  return [...rows, ...snapshotDifferences(records.map(runGraph), registry)]
}

/**
 * Final metrics side by side: every key any run has, losses first, then the rest by name;
 * verification numbers have their own Compare table (`verificationCompare.ts`).
 */
export function finalMetricRows(
  records: readonly RunRecord[],
): { key: string; values: (number | undefined)[] }[] {
  const keys = [
    ...new Set(records.flatMap((record) => Object.keys(record.finalMetrics ?? {}))),
  ].filter((key) => !key.startsWith(VERIFICATION_PREFIX))
  const rank = (key: string) =>
    key === 'step' ? 0 : key.startsWith('loss/') ? 1 : key.startsWith('metric/') ? 2 : 3
  keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  return keys.map((key) => ({
    key,
    values: records.map((record) => record.finalMetrics?.[key]),
  }))
}

const csvField = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

/** A run's points as CSV: `step,time_ms,` then every series, empty where a point lacks one. */
export function metricsCsv(points: readonly StoredPoint[]): string {
  const keys = [...new Set(points.flatMap((point) => Object.keys(point.values)))]
  const lines = [['step', 'time_ms', ...keys].map(csvField).join(',')]
  for (const point of points) {
    const cells = keys.map((key) => {
      const value = point.values[key]
      return value === undefined ? '' : String(value)
    })
    lines.push([String(point.step), String(Math.round(point.time)), ...cells].join(','))
  }
  return `${lines.join('\n')}\n`
}
