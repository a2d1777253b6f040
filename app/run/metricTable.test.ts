import { describe, expect, it } from 'vitest'
import type { MetricPoint } from '../../workers/trainingWorkerApi'
import { MetricTable, pointValues } from './metricTable'

const point = (step: number, losses: Record<string, number>, metrics = {}): MetricPoint => ({
  step,
  losses,
  metrics,
  lossTerms: {},
  time: step * 10,
})

describe('pointValues', () => {
  it('flattens losses, metrics and loss terms under prefixed keys', () => {
    expect(
      pointValues({
        step: 1,
        losses: { optD: 1.2 },
        metrics: { 'dLoss.realScore': 0.6 },
        lossTerms: { 'dLoss.loss': 1.2 },
        time: 0,
      }),
    ).toEqual({ 'loss/optD': 1.2, 'metric/dLoss.realScore': 0.6, 'term/dLoss.loss': 1.2 })
  })
})

describe('MetricTable', () => {
  it('aligns series by row, with NaN gaps for series a point lacks', () => {
    const table = new MetricTable(10)
    table.append([
      point(1, { optD: 1, optG: 2 }),
      point(1, { optD: 0.9 }),
      point(2, { optD: 0.8, optG: 1.9 }),
    ])
    expect([...table.stepColumn()]).toEqual([1, 1, 2])
    expect([...(table.column('loss/optD') ?? [])]).toEqual([1, 0.9, 0.8])
    expect([...(table.column('loss/optG') ?? [])]).toEqual([2, Number.NaN, 1.9])
    expect(table.latest('loss/optG')).toBe(1.9)
    expect(table.lastStep).toBe(2)
  })

  it('pads a series that appears late with NaN before it', () => {
    const table = new MetricTable(10)
    table.append([point(1, { a: 1 }), point(2, { a: 1 }, { 'n.m': 5 })])
    expect([...(table.column('metric/n.m') ?? [])]).toEqual([Number.NaN, 5])
  })

  it('keeps the newest rows when full and counts every change', () => {
    const table = new MetricTable(2)
    const before = table.version
    table.append([point(1, { a: 1 }), point(2, { a: 2 }), point(3, { a: 3 })])
    expect([...table.stepColumn()]).toEqual([2, 3])
    expect(table.version).toBe(before + 3)
    table.clear()
    expect(table.length).toBe(0)
    expect(table.keys()).toEqual([])
  })

  it('keeps the newest finite value of each series', () => {
    const table = new MetricTable(4)
    table.append([point(1, { a: 1 }), point(2, { a: Number.NaN })])
    expect(table.latestAll()).toEqual({ 'loss/a': 1 })
  })
})
