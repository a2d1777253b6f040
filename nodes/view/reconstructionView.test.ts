import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import {
  psnrOf,
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
      reconstructionView.inferShapes(
        { original: shape, reconstruction: shape, input: undefined },
        params(),
      ),
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
    expect(
      reconstructionView.inferShapes({ original, reconstruction, input: undefined }, params()),
    ).toEqual({
      issues,
    })
  })

  it.each([[[14, 14, 1]], [[28, 28, 1]], [[7, 9, 1]]])(
    'takes an image input %j beside [28, 28, 1] pairs',
    (input) => {
      const shape = [28, 28, 1]
      expect(
        reconstructionView.inferShapes({ original: shape, reconstruction: shape, input }, params()),
      ).toEqual({ outputs: {} })
    },
  )

  it('refuses an input that cannot be drawn in the row', () => {
    const shape = [28, 28, 1]
    const infer = (input: number[], original = shape) =>
      reconstructionView.inferShapes({ original, reconstruction: original, input }, params())
    expect(infer([784])).toEqual({
      issues: [
        issue(
          'input',
          'input must be an image with 1 channel, as original, to be drawn in the same row',
          '[h, w, 1]',
          '[784]',
        ),
      ],
    })
    expect(infer([14, 14, 3])).toMatchObject({ issues: [{ port: 'input', expected: '[h, w, 1]' }] })
    expect(infer([8, 8, 2])).toEqual({ issues: [channels('input')] })
    // Beside vector pairs any drawable input is fine.
    expect(infer([3], [784])).toEqual({ outputs: {} })
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

describe('view.reconstruction with an input', () => {
  // Super-resolution at toy size: 1×1 inputs, 2×2 outputs (factor 2). The bicubic of a single
  // pixel is that pixel everywhere (every tap reads it; the weights sum to 1).
  //   row 0: input 0.5,  target (0, 1, 0.5, 0.5), model exact      → bicubic error 0.5²·2/4 = 0.125
  //   row 1: input 0.25, target 0.25 everywhere,  model one pixel +0.5 → model error 0.25/4 = 0.0625
  // Means over both rows: model 0.03125 → 10·log10(32) dB; bicubic 0.0625 → 10·log10(16) dB.
  const input = host([2, 1, 1, 1], [0.5, 0.25])
  const original = host([2, 2, 2, 1], [0, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25])
  const reconstruction = host([2, 2, 2, 1], [0, 1, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25])

  it('adds the inputs, their bicubic upsampling and both PSNRs over every held-out row', () => {
    const summary = summarizeReconstruction(
      { original, reconstruction, input },
      params({ count: 1 }),
    )
    expect(summary).toMatchObject({ count: 1, rowCount: 2, mse: [0], meanMse: 0.03125 })
    expect(summary.input).toEqual({
      kind: 'images',
      width: 1,
      height: 1,
      channels: 1,
      count: 1,
      columns: 1,
      pixels: [0.5],
    })
    expect(summary.psnr).toBeCloseTo(10 * Math.log10(32), 10)
    expect(summary.bicubic?.factor).toBe(2)
    expect(summary.bicubic?.meanMse).toBeCloseTo(0.0625, 7)
    expect(summary.bicubic?.psnr).toBeCloseTo(10 * Math.log10(16), 5)
    expect(summary.bicubic?.images).toMatchObject({ width: 2, height: 2, count: 1 })
    expect(summary.bicubic?.images.pixels).toEqual([0.5, 0.5, 0.5, 0.5])
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('has no bicubic reference for an input of the output size (pix2pix)', () => {
    const edges = host([2, 2, 2, 1], [1, 0, 0, 1, 0, 0, 0, 0])
    const summary = summarizeReconstruction(
      { original, reconstruction, input: edges },
      params({ count: 2 }),
    )
    expect(summary.input).toMatchObject({
      kind: 'images',
      count: 2,
      pixels: [1, 0, 0, 1, 0, 0, 0, 0],
    })
    expect(summary.bicubic).toBeUndefined()
    expect(summary.psnr).toBeCloseTo(10 * Math.log10(32), 10)
  })

  it('leaves an autoencoder’s summary as it was and draws vector inputs as vectors', () => {
    expect(summarizeReconstruction({ original, reconstruction }, params())).not.toHaveProperty(
      'input',
    )
    const vectors = summarizeReconstruction(
      {
        original: host([2, 2], [0, 1, 1, 0]),
        reconstruction: host([2, 2], [0, 1, 1, 0]),
        input: host([2, 3], [1, 2, 3, 4, 5, 6]),
      },
      params(),
    )
    expect(vectors.input).toEqual({ kind: 'vectors', dim: 3, count: 2, values: [1, 2, 3, 4, 5, 6] })
    expect(vectors).not.toHaveProperty('psnr')
    expect(vectors).not.toHaveProperty('bicubic')
  })
})

describe('psnrOf', () => {
  it('uses the peak of the value range', () => {
    expect(psnrOf(0.01, 'zeroOne')).toBeCloseTo(20, 10)
    expect(psnrOf(0.04, 'minusOneOne')).toBeCloseTo(20, 10) // peak 2: 10·log10(4 / 0.04)
    expect(psnrOf(0, 'zeroOne')).toBeNull()
    expect(psnrOf(null, 'zeroOne')).toBeNull()
  })
})
