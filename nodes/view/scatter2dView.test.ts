import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import type { Shape } from '../../graph-core/shapes'
import { scatter2dView, summarizeScatter2d, type Scatter2dViewParams } from './scatter2dView'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})

const params = (saved: Partial<Scatter2dViewParams> = {}) =>
  resolveParams(scatter2dView.params, saved).values

const closeAll = (actual: readonly number[], expected: readonly number[], digits = 5) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, digits)
  })
}

describe('view.scatter2d shapes', () => {
  it('takes 2-D points, generated ones optional', () => {
    expect(scatter2dView.inferShapes({ real: [2], fake: [2] }, params())).toEqual({ outputs: {} })
    const connected: Partial<Record<'real' | 'fake', Shape>> = { real: [2] }
    const realOnly = connected as Record<'real' | 'fake', Shape>
    expect(scatter2dView.inferShapes(realOnly, params())).toEqual({ outputs: {} })
  })

  it.each([
    [[3], [2], ['real']],
    [[2], [28, 28, 1], ['fake']],
    [[], [4], ['real', 'fake']],
  ])('refuses real %j with fake %j', (real, fake, ports) => {
    const shapes = { real, fake }
    expect(scatter2dView.inferShapes(shapes, params())).toEqual({
      issues: ports.map((port) => ({
        port,
        message: `${port} must be a 2-D point per sample`,
        expected: '[2]',
        actual: `[${(port === 'real' ? real : fake).join(', ')}]`,
      })),
    })
  })

  it('has the documented defaults', () => {
    expect(params()).toEqual({ samples: 512, resolution: 32 })
  })
})

describe('view.scatter2d summary', () => {
  it('returns the points, the bounds covering them and the grid for D', () => {
    // Real (−1, 0), (3, 1); fake (0, 0.5) and (NaN, 50), which cannot be drawn. x ∈ [−1, 3]
    // and y ∈ [0, 1] padded by 10 %: x [−1.4, 3.4]; square, y widened to 4.8 about 0.5:
    // [−1.9, 2.9]. A 2 × 2 grid of 2.4-wide pixels: centres x −0.2, 2.2; y 1.7 (top), −0.7.
    const summary = summarizeScatter2d(
      { real: host([2, 2], [-1, 0, 3, 1]), fake: host([2, 2], [0, 0.5, Number.NaN, 50]) },
      params({ resolution: 2 }),
    )
    expect(summary).toMatchObject({
      kind: 'scatter2d',
      real: [-1, 0, 3, 1],
      fake: [0, 0.5],
      nonFiniteCount: 1,
      resolution: 2,
    })
    const { xMin, xMax, yMin, yMax } = summary.bounds
    closeAll([xMin, xMax, yMin, yMax], [-1.4, 3.4, -1.9, 2.9], 12)
    closeAll(summary.grid, [-0.2, 1.7, 2.2, 1.7, -0.2, -0.7, 2.2, -0.7])
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('has resolution² grid points and no fake key when fake is unconnected', () => {
    const summary = scatter2dView.summarize?.({ real: host([1, 2], [2, 5]) }, params())
    expect(summary).toMatchObject({
      real: [2, 5],
      nonFiniteCount: 0,
      // One point (2, 5): ±1 on both axes.
      bounds: { xMin: 1, xMax: 3, yMin: 4, yMax: 6 },
      resolution: 32,
    })
    expect(summary?.grid).toHaveLength(32 * 32 * 2)
    expect(summary && 'fake' in summary).toBe(false)
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })
})
