/**
 * How numbers, params and costs read in the editor: compact, stable, the same everywhere.
 */
import { parseDatasetRef } from '../../graph-core/datasetRef'
import type { NodeCategory } from '../../graph-core/nodeDefinition'
import type { ParamSpec } from '../../graph-core/params'

/** 1234 → "1.23k", 2_500_000 → "2.5M"; small numbers as they are. */
export function formatCount(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ]
  for (const [size, unit] of units) {
    if (Math.abs(value) >= size) return `${trimNumber(value / size)}${unit}`
  }
  return trimNumber(value)
}

function trimNumber(value: number): string {
  return Number(value.toPrecision(3)).toString()
}

/** A param value as a node shows it: "256, 128", "relu", "0.0002", "on". */
export function formatParamValue(spec: ParamSpec, value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'default' : value.join(', ')
  if (typeof value === 'boolean') return value ? 'on' : 'off'
  if (spec.type === 'datasetRef') {
    const ref = typeof value === 'string' ? parseDatasetRef(value) : undefined
    return ref === undefined
      ? 'none'
      : `${ref.width}×${ref.height}×${ref.channels}, ${ref.labels} labels`
  }
  if (spec.type === 'choice') {
    return spec.options.find((option) => option.value === value)?.label ?? String(value)
  }
  if (typeof value === 'number') return trimNumber(value)
  return String(value)
}

/** The category colour of a node header (Tailwind classes, light and dark). */
export const CATEGORY_STYLES: Readonly<Record<NodeCategory, string>> = {
  data: 'bg-sky-600 dark:bg-sky-500',
  model: 'bg-violet-600 dark:bg-violet-500',
  loss: 'bg-rose-600 dark:bg-rose-500',
  op: 'bg-amber-600 dark:bg-amber-500',
  optim: 'bg-emerald-600 dark:bg-emerald-500',
  view: 'bg-teal-600 dark:bg-teal-500',
}

export const CATEGORY_LABELS: Readonly<Record<NodeCategory, string>> = {
  data: 'Data',
  model: 'Model',
  loss: 'Losses',
  op: 'Operations',
  optim: 'Optimizers',
  view: 'Views',
}
