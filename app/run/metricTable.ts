/**
 * The live run's metrics on the main thread: one row per metric point (a step, or one optimizer
 * stepped alone), one typed ring buffer per series. Appending a batch is cheap and allocates
 * nothing per point beyond the row's keys, so the dock can take 10 batches a second; charts
 * read the columns when they redraw, at most once a frame.
 */
import type { MetricPoint } from '../../workers/trainingWorkerApi'
import { RingBuffer } from './ringBuffer'

/** Rows kept per run before the oldest are overwritten: a few MB with a dozen series. */
export const METRIC_TABLE_CAPACITY = 20_000

/**
 * A point's numbers as one flat record, the keys the charts, the CSV and the run store use:
 * `loss/<optimizer>` (what it minimised), `metric/<node>.<metric>` (what a node reported) and
 * `term/<node>.<port>` (every loss node's own value).
 */
export function pointValues(point: MetricPoint): Record<string, number> {
  const values: Record<string, number> = {}
  for (const [optimizer, value] of Object.entries(point.losses)) values[`loss/${optimizer}`] = value
  for (const [name, value] of Object.entries(point.metrics)) values[`metric/${name}`] = value
  for (const [name, value] of Object.entries(point.lossTerms)) values[`term/${name}`] = value
  return values
}

export class MetricTable {
  readonly capacity: number
  /** Grows by one with every change, so a chart redraws only when there is something new. */
  version = 0
  private readonly steps: RingBuffer
  private readonly columns = new Map<string, RingBuffer>()
  private readonly latestValues = new Map<string, number>()

  constructor(capacity = METRIC_TABLE_CAPACITY) {
    this.capacity = capacity
    this.steps = new RingBuffer(capacity)
  }

  get length(): number {
    return this.steps.length
  }

  /** The step of the newest row, or undefined when empty. */
  get lastStep(): number | undefined {
    return this.steps.length === 0 ? undefined : this.steps.at(this.steps.length - 1)
  }

  /** One row; series it lacks get NaN (a gap), series new to the table are NaN before it. */
  appendRow(step: number, values: Readonly<Record<string, number>>): void {
    for (const key of Object.keys(values)) {
      if (this.columns.has(key)) continue
      const column = new RingBuffer(this.capacity)
      for (let index = 0; index < this.steps.length; index++) column.push(Number.NaN)
      this.columns.set(key, column)
    }
    this.steps.push(step)
    for (const [key, column] of this.columns) {
      const value = values[key]
      column.push(value ?? Number.NaN)
      if (value !== undefined && Number.isFinite(value)) this.latestValues.set(key, value)
    }
    this.version++
  }

  append(points: readonly MetricPoint[]): void {
    for (const point of points) this.appendRow(point.step, pointValues(point))
  }

  /** Series keys in the order they first appeared. */
  keys(): string[] {
    return [...this.columns.keys()]
  }

  has(key: string): boolean {
    return this.columns.has(key)
  }

  /** The steps of the rows, oldest first. */
  stepColumn(): Float64Array {
    return this.steps.toArray()
  }

  /** A series oldest first (NaN where a row lacks it), or undefined for an unknown key. */
  column(key: string): Float64Array | undefined {
    return this.columns.get(key)?.toArray()
  }

  /** The newest finite value of a series. */
  latest(key: string): number | undefined {
    return this.latestValues.get(key)
  }

  /** Every series' newest finite value. */
  latestAll(): Record<string, number> {
    return Object.fromEntries(this.latestValues)
  }

  clear(): void {
    this.steps.clear()
    this.columns.clear()
    this.latestValues.clear()
    this.version++
  }
}
