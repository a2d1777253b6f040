import { describe, expect, it } from 'vitest'
import {
  chartColumns,
  isLogScalable,
  logTicks,
  planCharts,
  smooth,
  thinColumns,
  withSmoothing,
  type ChartColumns,
} from './chartPlan'
import { MetricTable } from './metricTable'

const ganPhases = [
  { optimizer: 'optD', lossNode: 'dLoss', lossPort: 'loss' },
  { optimizer: 'optG', lossNode: 'gLoss', lossPort: 'loss' },
]

describe('planCharts', () => {
  it('draws one chart per loss and the D(real)/D(fake) means of the D term only', () => {
    const keys = [
      'loss/optD',
      'metric/dLoss.realScore',
      'metric/dLoss.fakeScore',
      'loss/optG',
      'metric/gLoss.fakeScore',
    ]
    const charts = planCharts(ganPhases, keys, (node) => node.toUpperCase())
    expect(charts.map((chart) => chart.id)).toEqual(['loss/optD', 'loss/optG', 'gan/dLoss'])
    expect(charts[0]?.title).toBe('DLOSS → OPTD')
    expect(charts[2]?.series.map((series) => series.label)).toEqual(['D(real)', 'D(fake)'])
    expect(charts[2]?.scale).toBe('unit')
  })

  it('draws the triplet kinds when a triplet loss reports them', () => {
    const keys = [
      'loss/opt',
      'metric/triplet.easyFraction',
      'metric/triplet.semiHardFraction',
      'metric/triplet.hardFraction',
      'metric/triplet.minedTriplets',
    ]
    const charts = planCharts([{ optimizer: 'opt', lossNode: 'triplet', lossPort: 'loss' }], keys)
    expect(charts.map((chart) => chart.id)).toEqual(['loss/opt', 'triplet/triplet'])
    expect(charts[1]?.series.map((series) => series.label)).toEqual(['easy', 'semi-hard', 'hard'])
  })
})

describe('smooth', () => {
  it('is the identity at weight 0 and unbiased at the start', () => {
    expect([...smooth([1, 2, 3], 0)]).toEqual([1, 2, 3])
    // Without the bias correction the first value would be 0.1 at weight 0.9.
    expect(smooth([1, 1, 1], 0.9)[0]).toBeCloseTo(1)
    expect(smooth([1, 1, 1], 0.9)[2]).toBeCloseTo(1)
  })

  it('skips gaps', () => {
    const out = smooth([2, Number.NaN, 2], 0.5)
    expect(out[1]).toBeNaN()
    expect(out[2]).toBeCloseTo(2)
  })
})

describe('chartColumns', () => {
  it('keeps only the rows a chart has values in', () => {
    const table = new MetricTable(10)
    table.appendRow(1, { 'loss/optD': 1, 'loss/optG': 2 })
    table.appendRow(1, { 'loss/optD': 0.5 }) // D stepped alone
    table.appendRow(2, { 'loss/optD': 0.25, 'loss/optG': Number.POSITIVE_INFINITY })
    const d = chartColumns(table, { series: [{ key: 'loss/optD', label: 'loss' }] })
    expect(d).toEqual([
      [1, 1, 2],
      [1, 0.5, 0.25],
    ])
    const g = chartColumns(table, { series: [{ key: 'loss/optG', label: 'loss' }] })
    expect(g).toEqual([[1], [2]])
  })

  it('adds a smoothed copy after each raw series when smoothing', () => {
    const columns: [number[], ...(number | null)[][]] = [
      [1, 2, 3],
      [1, null, 1],
    ]
    expect(withSmoothing(columns, 0)).toBe(columns)
    const [x, raw, smoothed] = withSmoothing(columns, 0.5)
    expect(x).toEqual([1, 2, 3])
    expect(raw).toEqual([1, null, 1])
    expect(smoothed?.[1]).toBeNull()
    expect(smoothed?.[2]).toBeCloseTo(1)
  })

  it('says whether a log scale fits', () => {
    expect(
      isLogScalable([
        [1, 2],
        [0.1, null],
      ]),
    ).toBe(true)
    expect(
      isLogScalable([
        [1, 2],
        [0.1, -1],
      ]),
    ).toBe(false)
  })
})

describe('logTicks', () => {
  it('steps 1-2-5 through decades, or spaces four ticks over a narrow range', () => {
    expect(logTicks(0.004, 0.3)).toEqual([0.005, 0.01, 0.02, 0.05, 0.1, 0.2])
    expect(logTicks(1.2, 1.7)).toEqual([1.2, 1.3, 1.5, 1.7])
  })
})

describe('thinColumns', () => {
  it('keeps short columns as they are', () => {
    const columns: ChartColumns = [
      [1, 2, 3],
      [0.5, null, 0.25],
    ]
    expect(thinColumns(columns, 3)).toBe(columns)
  })

  it('keeps every k-th row and the last, in every column', () => {
    const x = Array.from({ length: 10 }, (_, row) => row + 1)
    const y = x.map((step) => step / 10)
    expect(thinColumns([x, y], 4)).toEqual([
      [1, 4, 7, 10],
      [0.1, 0.4, 0.7, 1],
    ])
    expect(thinColumns([x, y], 5)).toEqual([
      [1, 3, 5, 7, 9, 10],
      [0.1, 0.3, 0.5, 0.7, 0.9, 1],
    ])
  })
})
