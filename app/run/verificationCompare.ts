/**
 * The seminar's claim side by side (issue #8): the verification numbers of metric-learning runs
 * on held-out identities — AUC, TAR at FAR 10⁻¹ and 10⁻², best-threshold accuracy, top-1 and
 * few-shot — kept with each run when it finishes (`verification/<node>.<metric>` among its final
 * metrics) and compared across runs. Pure: tested in Node.
 */
import type { VerificationViewData } from '../../nodes/view/verificationView'
import type { RunRecord } from '../storage/labDatabase'

/** The final-metric key prefix of verification numbers. */
export const VERIFICATION_PREFIX = 'verification/'

/** Metric ids in table order, with their row labels. */
const METRICS = [
  ['auc', 'AUC'],
  ['tarAtFar1e-1', 'TAR @ FAR 10⁻¹'],
  ['tarAtFar1e-2', 'TAR @ FAR 10⁻²'],
  ['bestAccuracy', 'Best-threshold accuracy'],
  ['top1', 'Top-1 identification'],
  ['fewShot', 'Few-shot 3 → 1'],
] as const

/** The numbers of a verification view as final metrics; unmeasured ones (null, n/a) left out. */
export function verificationMetrics(
  nodeId: string,
  data: VerificationViewData,
): Record<string, number> {
  const values: Record<string, number | null | undefined> = {
    auc: data.auc,
    'tarAtFar1e-1': tarAt(data, 0.1),
    'tarAtFar1e-2': tarAt(data, 0.01),
    bestAccuracy: data.bestAccuracy?.accuracy,
    top1: data.identification.accuracy,
    fewShot: data.fewShot.accuracy,
  }
  const metrics: Record<string, number> = {}
  for (const [metric, value] of Object.entries(values)) {
    if (typeof value === 'number' && Number.isFinite(value))
      metrics[`${VERIFICATION_PREFIX}${nodeId}.${metric}`] = value
  }
  return metrics
}

function tarAt(data: VerificationViewData, targetFar: number): number | undefined {
  const point = data.tarAtFar.find((entry) => Math.abs(entry.targetFar - targetFar) < 1e-12)
  return point?.isResolved === true ? point.tar : undefined
}

export interface CompareRow {
  key: string
  label: string
  values: (number | undefined)[]
  /** The best (highest) value of the row, for every run reaching it; undefined with fewer than two. */
  best: number | undefined
}

/**
 * The Compare table: one row per verification metric any of the runs has, in a fixed order,
 * labelled (with the node id when a run has several verification views), the best run marked.
 */
export function verificationCompareRows(records: readonly RunRecord[]): CompareRow[] {
  const keys = new Set(
    records.flatMap((record) =>
      Object.keys(record.finalMetrics ?? {}).filter((key) => key.startsWith(VERIFICATION_PREFIX)),
    ),
  )
  const nodes = [...new Set([...keys].map((key) => parseKey(key).node))].sort()
  const rows: CompareRow[] = []
  for (const node of nodes) {
    for (const [metric, label] of METRICS) {
      const key = `${VERIFICATION_PREFIX}${node}.${metric}`
      if (!keys.has(key)) continue
      const values = records.map((record) => record.finalMetrics?.[key])
      const present = values.filter((value): value is number => value !== undefined)
      const top = Math.max(...present)
      rows.push({
        key,
        label: nodes.length > 1 ? `${label} (${node})` : label,
        values,
        best: present.length >= 2 ? top : undefined,
      })
    }
  }
  return rows
}

function parseKey(key: string): { node: string; metric: string } {
  const rest = key.slice(VERIFICATION_PREFIX.length)
  const dot = rest.lastIndexOf('.')
  return { node: rest.slice(0, dot), metric: rest.slice(dot + 1) }
}
