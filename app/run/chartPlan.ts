/**
 * Which charts the run dock draws and what goes in them, from the run's optimizer phases and
 * the series its points carry: one chart per loss, the GAN's D(real)/D(fake) means per
 * discriminator loss, the triplet kinds per triplet loss. Pure, so the choice and the data
 * each chart gets are tested in Node.
 */
import type { Phase } from '../../graph-core/compiler'
import type { MetricTable } from './metricTable'

export interface ChartSeries {
  key: string
  label: string
}

/** How a chart's y axis reads: losses (log when it can be), or a 0…1 quantity. */
export type ChartScale = 'loss' | 'unit'

export interface ChartSpec {
  /** Stable while the run goes on: a chart keeps its uPlot instance across redraws. */
  id: string
  title: string
  /** The node the chart is about; its title selects it on the canvas. */
  node: string
  scale: ChartScale
  series: ChartSeries[]
}

type PhaseRef = Pick<Phase, 'optimizer' | 'lossNode' | 'lossPort'>

const GAN_SCORES: readonly [string, string][] = [
  ['realScore', 'D(real)'],
  ['fakeScore', 'D(fake)'],
]

const TRIPLET_KINDS: readonly [string, string][] = [
  ['easyFraction', 'easy'],
  ['semiHardFraction', 'semi-hard'],
  ['hardFraction', 'hard'],
]

/**
 * The charts for a run. `nameOf` gives a node's name for people (its title, else its id).
 * A GAN chart needs `realScore` (the D term reports it; the G term only `fakeScore`).
 */
export function planCharts(
  phases: readonly PhaseRef[],
  keys: readonly string[],
  nameOf: (node: string) => string = (node) => node,
): ChartSpec[] {
  const present = new Set(keys)
  const charts: ChartSpec[] = phases.map((phase) => ({
    id: `loss/${phase.optimizer}`,
    title: `${nameOf(phase.lossNode)} → ${nameOf(phase.optimizer)}`,
    node: phase.lossNode,
    scale: 'loss',
    series: [{ key: `loss/${phase.optimizer}`, label: 'loss' }],
  }))
  const metricNodes = [
    ...new Set(
      keys.flatMap((key) => {
        const match = /^metric\/(.+)\.[^.]+$/.exec(key)
        return match?.[1] === undefined ? [] : [match[1]]
      }),
    ),
  ]
  for (const node of metricNodes) {
    if (present.has(`metric/${node}.realScore`)) {
      charts.push({
        id: `gan/${node}`,
        title: `D(real) / D(fake) · ${nameOf(node)}`,
        node,
        scale: 'unit',
        series: GAN_SCORES.map(([metric, label]) => ({ key: `metric/${node}.${metric}`, label })),
      })
    }
    if (TRIPLET_KINDS.some(([metric]) => present.has(`metric/${node}.${metric}`))) {
      charts.push({
        id: `triplet/${node}`,
        title: `Triplet kinds · ${nameOf(node)}`,
        node,
        scale: 'unit',
        series: TRIPLET_KINDS.filter(([metric]) => present.has(`metric/${node}.${metric}`)).map(
          ([metric, label]) => ({ key: `metric/${node}.${metric}`, label }),
        ),
      })
    }
  }
  return charts
}

/**
 * An exponential moving average that, like TensorBoard's, divides out the start-up bias (so
 * the first values are not pulled towards 0). Non-finite values stay gaps and are skipped.
 * `weight` is 0 (none) to below 1 (heavy).
 */
export function smooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length)
  let average = 0
  let count = 0
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? Number.NaN
    if (!Number.isFinite(value)) {
      out[index] = Number.NaN
      continue
    }
    average = average * weight + (1 - weight) * value
    count++
    out[index] = average / (1 - weight ** count)
  }
  return out
}

/** uPlot's aligned data: x, then each series; `null` is a gap. */
export type ChartColumns = [number[], ...(number | null)[][]]

/** A chart's raw data from the table: only rows where one of its series has a value. */
export function chartColumns(table: MetricTable, spec: Pick<ChartSpec, 'series'>): ChartColumns {
  const steps = table.stepColumn()
  const raw = spec.series.map(({ key }) => table.column(key) ?? new Float64Array(steps.length))
  const rows: number[] = []
  for (let row = 0; row < steps.length; row++) {
    if (raw.some((column) => Number.isFinite(column[row] ?? Number.NaN))) rows.push(row)
  }
  const x = rows.map((row) => steps[row] ?? Number.NaN)
  return [x, ...raw.map((column) => rows.map((row) => orNull(column[row] ?? Number.NaN)))]
}

/**
 * What a chart draws: with smoothing, each series twice — raw (drawn faintly) then smoothed;
 * without, the raw series alone.
 */
export function withSmoothing(columns: ChartColumns, weight: number): ChartColumns {
  if (weight <= 0) return columns
  const [x, ...series] = columns
  const out: (number | null)[][] = []
  for (const values of series) {
    out.push(values)
    out.push(
      Array.from(
        smooth(
          values.map((value) => value ?? Number.NaN),
          weight,
        ),
        orNull,
      ),
    )
  }
  return [x, ...out]
}

const orNull = (value: number) => (Number.isFinite(value) ? value : null)

/**
 * At most about `maxPoints` rows of `columns`: every k-th row and the last one. A chart is a few
 * hundred pixels wide, and drawing all 20,000 rows a long run keeps cost the page 20–35 ms of
 * CPU per redraw. Smooth first, so the smoothed line is exact at the rows kept.
 */
export function thinColumns(columns: ChartColumns, maxPoints: number): ChartColumns {
  const count = columns[0].length
  if (count <= maxPoints) return columns
  const stride = Math.ceil(count / maxPoints)
  const kept: number[] = []
  for (let row = 0; row < count; row += stride) kept.push(row)
  if (kept[kept.length - 1] !== count - 1) kept.push(count - 1)
  const [x, ...series] = columns
  return [
    kept.map((row) => x[row] ?? Number.NaN),
    ...series.map((values) => kept.map((row) => values[row] ?? null)),
  ]
}

/**
 * Whether a loss chart can use a log scale: every value positive. Otherwise the dock uses
 * arcsinh, which is log-like away from 0 and linear through it (a minimax G loss is negative).
 */
export function isLogScalable(columns: ChartColumns): boolean {
  return columns.slice(1).every((column) => column.every((value) => value === null || value > 0))
}

/**
 * Ticks for a log axis over any range: 1-2-5 steps of each decade inside it, or, for a range
 * narrower than that gives two of, four geometrically spaced values rounded to two digits.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > min)) return [min]
  const ticks: number[] = []
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    for (const mantissa of [1, 2, 5]) {
      const value = mantissa * 10 ** power
      if (value >= min && value <= max) ticks.push(value)
    }
  }
  if (ticks.length >= 2) return ticks
  const ratio = (max / min) ** (1 / 3)
  return [0, 1, 2, 3].map((index) => Number((min * ratio ** index).toPrecision(2)))
}
