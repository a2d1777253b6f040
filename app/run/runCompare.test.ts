import { describe, expect, it } from 'vitest'
import { serializeDocument } from '../../graph-core/document'
import { graph } from '../../graph-core/testing/graphBuilder'
import type { RunRecord } from '../storage/labDatabase'
import {
  finalMetricRows,
  lossKeysOf,
  metricsCsv,
  overlayColumns,
  runDifferences,
} from './runCompare'
import type { StoredPoint } from './runStore'

const point = (step: number, values: Record<string, number>): StoredPoint => ({
  step,
  time: step * 10.4,
  values,
})

const record = (id: string, learningRate: number, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  graphId: 'g',
  createdAt: 0,
  backend: 'wasm',
  graphJson: serializeDocument(graph('g').node('opt', 'optim.adam', { learningRate }).build(), 0),
  params: { checkpointEvery: 50, graphName: 'g' },
  status: 'finished',
  ...extra,
})

describe('overlayColumns', () => {
  it('puts the runs on the union of their steps, the last value of a repeated step winning', () => {
    const a = [point(1, { 'loss/d': 1 }), point(1, { 'loss/d': 0.9 }), point(2, { 'loss/d': 0.8 })]
    const b = [point(2, { 'loss/d': 2 }), point(3, { 'loss/d': Number.NaN })]
    expect(lossKeysOf([a, b, [point(1, { 'metric/x': 1 })]])).toEqual(['loss/d'])
    expect(overlayColumns([a, b], 'loss/d')).toEqual([
      [1, 2],
      [0.9, 0.8],
      [null, 2],
    ])
  })
})

describe('runDifferences', () => {
  it('shows only the settings and params that differ', () => {
    const rows = runDifferences([
      record('a', 1e-3),
      record('b', 2e-3, { backend: 'webgpu', params: { checkpointEvery: 50, maxSteps: 10 } }),
    ])
    expect(rows).toEqual([
      { label: 'backend', values: ['wasm', 'webgpu'] },
      { label: 'maxSteps', values: [undefined, '10'] },
      { label: 'opt.learningRate', values: ['0.001', '0.002'] },
    ])
  })
})

describe('finalMetricRows', () => {
  it('leaves verification numbers to the Compare table', () => {
    const rows = finalMetricRows([
      record('a', 0.1, { finalMetrics: { step: 5, 'verification/roc.auc': 0.9 } }),
    ])
    expect(rows.map((row) => row.key)).toEqual(['step'])
  })

  it('lists step, losses, then metrics, with a hole where a run lacks one', () => {
    const rows = finalMetricRows([
      record('a', 1, { finalMetrics: { 'metric/m': 1, 'loss/d': 0.5, step: 10 } }),
      record('b', 1, { finalMetrics: { 'loss/d': 0.4, step: 20 } }),
    ])
    expect(rows).toEqual([
      { key: 'step', values: [10, 20] },
      { key: 'loss/d', values: [0.5, 0.4] },
      { key: 'metric/m', values: [1, undefined] },
    ])
  })
})

describe('metricsCsv', () => {
  it('writes a header and one line per point with empty cells for gaps', () => {
    const csv = metricsCsv([
      point(1, { 'loss/optD': 1.5, 'loss/optG': 0.7 }),
      point(1, { 'loss/optD': 1.25 }),
    ])
    expect(csv).toBe('step,time_ms,loss/optD,loss/optG\n1,10,1.5,0.7\n1,10,1.25,\n')
  })
})
