import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import {
  reconstructionView,
  summarizeReconstruction,
  type ReconstructionViewParams,
} from './reconstructionView'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})

const params = (saved: Partial<ReconstructionViewParams> = {}) =>
  resolveParams(reconstructionView.params, saved).values

describe('view.reconstruction shapes', () => {
  it.each([[[28, 28, 1]], [[8, 8, 3]], [[784]]])('takes %j against itself', (shape) => {
    expect(
      reconstructionView.inferShapes({ original: shape, reconstruction: shape }, params()),
    ).toEqual({ outputs: {} })
  })

  const issue = (port: string, message: string, expected: string, actual: string) => ({
    port,
    message,
    expected,
    actual,
  })
  const channels = (port: string) =>
    issue(
      port,
      `${port} has 2 channels; only 1 (grey) or 3 (RGB) can be drawn`,
      '[h, w, 1] or [h, w, 3]',
      '[8, 8, 2]',
    )

  it.each([
    [
      [28, 28, 1],
      [784],
      [
        issue(
          'reconstruction',
          'reconstruction must have the same per-sample shape as original',
          '[28, 28, 1]',
          '[784]',
        ),
      ],
    ],
    [
      [8, 8, 2],
      [8, 8, 2],
      [channels('original'), channels('reconstruction')],
    ],
    [
      [],
      [4],
      [
        issue(
          'original',
          'original must be an image [h, w, c] or a vector [n] per sample',
          '[h, w, c] or [n]',
          '[]',
        ),
      ],
    ],
  ])('refuses original %j with reconstruction %j', (original, reconstruction, issues) => {
    expect(reconstructionView.inferShapes({ original, reconstruction }, params())).toEqual({
      issues,
    })
  })

  it('has the documented defaults', () => {
    expect(params()).toEqual({ samples: 64, count: 8, range: 'zeroOne' })
    expect(reconstructionView.outputs).toEqual({})
  })
})

describe('view.reconstruction summary', () => {
  // Three 1×2 grey images. Errors: (0, 0) → 0; (0.5, −0.5) → (0.25 + 0.25)/2 = 0.25;
  // (1, 1) → 1. Mean over all three: 1.25 / 3.
  const original = host([3, 1, 2, 1], [0, 1, 0.5, 0.5, 0, 0])
  const reconstruction = host([3, 1, 2, 1], [0, 1, 0, 1, 1, 1])

  it('pairs the first count images and measures each and the mean error', () => {
    const summary = summarizeReconstruction({ original, reconstruction }, params({ count: 2 }))
    expect(summary).toEqual({
      kind: 'reconstruction',
      count: 2,
      rowCount: 3,
      original: {
        kind: 'images',
        width: 2,
        height: 1,
        channels: 1,
        count: 2,
        columns: 2,
        pixels: [0, 1, 0.5, 0.5],
      },
      reconstruction: {
        kind: 'images',
        width: 2,
        height: 1,
        channels: 1,
        count: 2,
        columns: 2,
        pixels: [0, 1, 0, 1],
      },
      mse: [0, 0.25],
      meanMse: 1.25 / 3,
    })
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('measures raw values, before the display clips them', () => {
    // (2 − 0)² = 4 although both pixels show as clipped values 1 and 0.
    const summary = reconstructionView.summarize?.(
      { original: host([1, 1, 1, 1], [2]), reconstruction: host([1, 1, 1, 1], [0]) },
      params(),
    )
    expect(summary).toMatchObject({ mse: [4], meanMse: 4 })
  })

  it('reports a diverged reconstruction as null errors and vectors as raw values', () => {
    const summary = summarizeReconstruction(
      {
        original: host([2, 3], [1, 2, 3, 0, 0, 0]),
        reconstruction: host([2, 3], [1, 2, 0, 0, Number.NaN, 0]),
      },
      params(),
    )
    expect(summary.mse).toEqual([3, null])
    expect(summary.meanMse).toBeNull()
    expect(summary.reconstruction).toEqual({
      kind: 'vectors',
      dim: 3,
      count: 2,
      values: [1, 2, 0, 0, null, 0],
    })
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('has no mean error without rows and refuses mismatched shapes', () => {
    const none = summarizeReconstruction(
      { original: host([0, 4], []), reconstruction: host([0, 4], []) },
      params(),
    )
    expect(none).toMatchObject({ count: 0, rowCount: 0, mse: [], meanMse: null })
    expect(() =>
      summarizeReconstruction(
        { original: host([1, 4], [0, 0, 0, 0]), reconstruction: host([1, 2, 2], [0, 0, 0, 0]) },
        params(),
      ),
    ).toThrow(RangeError)
  })
})
