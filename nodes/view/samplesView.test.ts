import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import { samplesView, summarizeSamples, type SamplesViewParams } from './samplesView'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})

const params = (saved: Partial<SamplesViewParams> = {}) =>
  resolveParams(samplesView.params, saved).values

const expectPlainJson = (value: unknown) => {
  expect(JSON.parse(JSON.stringify(value))).toStrictEqual(value)
}

describe('view.samples shapes', () => {
  it.each([[[28, 28, 1]], [[32, 32, 3]], [[8, 8]], [[2]], [[16]]])('draws %j', (images) => {
    expect(samplesView.inferShapes({ images }, params())).toEqual({ outputs: {} })
  })

  it.each([
    [[8, 8, 64], 'images has 64 channels; only 1 (grey) or 3 (RGB) can be drawn'],
    [[], 'images must be an image [h, w, c] or a vector [n] per sample'],
    [[2, 8, 8, 1], 'images must be an image [h, w, c] or a vector [n] per sample'],
  ])('refuses %j', (images, message) => {
    const result = samplesView.inferShapes({ images }, params())
    expect(result).toEqual({
      issues: [
        {
          port: 'images',
          message,
          expected: images.length === 3 ? '[h, w, 1] or [h, w, 3]' : '[h, w, c] or [n]',
          actual: `[${images.join(', ')}]`,
        },
      ],
    })
  })

  it('is a view: no outputs, no build, defaults as documented', () => {
    expect(samplesView.outputs).toEqual({})
    expect(samplesView.build).toBeUndefined()
    expect(params()).toEqual({ samples: 64, count: 16, range: 'zeroOne' })
  })
})

describe('view.samples summary', () => {
  it('lays out up to count images one after another, row-major per image', () => {
    // Three 2×2 RGB images; image i, pixel (y, x), channel c holds i/10 + y/100 + x/1000 + c/10⁴
    // (all in [0, 1)), at ((i·2 + y)·2 + x)·3 + c.
    const values = Array.from({ length: 3 * 2 * 2 * 3 }, (_, index) => {
      const [c, x, y, i] = [
        index % 3,
        Math.floor(index / 3) % 2,
        Math.floor(index / 6) % 2,
        Math.floor(index / 12),
      ]
      return i / 10 + y / 100 + x / 1000 + c / 1e4
    })
    const grid = summarizeSamples({ images: host([3, 2, 2, 3], values) }, params({ count: 2 }))
    expect(grid).toMatchObject({
      kind: 'images',
      width: 2,
      height: 2,
      channels: 3,
      count: 2,
      columns: 2,
    })
    if (grid.kind !== 'images') throw new Error('expected images')
    expect(grid.pixels).toHaveLength(2 * 2 * 2 * 3)
    // Image 1, pixel (y 1, x 0), channel 2 → index ((1·2 + 1)·2 + 0)·3 + 2 = 20.
    expect(grid.pixels[20]).toBeCloseTo(0.1 + 0.01 + 0 + 0.0002, 6)
    expect(grid.pixels.slice(0, 3).map((v) => Math.round(v * 1e4))).toEqual([0, 1, 2])
    expectPlainJson(grid)
  })

  it('clips [0, 1] values and maps tanh outputs by (v + 1)/2', () => {
    const images = host([1, 1, 4, 1], [-1, 0, 0.5, 2])
    const zeroOne = summarizeSamples({ images }, params())
    const tanh = summarizeSamples({ images }, params({ range: 'minusOneOne' }))
    expect(zeroOne).toMatchObject({ kind: 'images', pixels: [0, 0, 0.5, 1] })
    expect(tanh).toMatchObject({ kind: 'images', pixels: [0, 0.5, 0.75, 1] })
  })

  it('treats [h, w] as grey images and shows fewer when fewer arrive', () => {
    const grid = summarizeSamples({ images: host([1, 2, 2], [0, 0.25, 0.5, 1]) }, params())
    expect(grid).toEqual({
      kind: 'images',
      width: 2,
      height: 2,
      channels: 1,
      count: 1,
      columns: 1,
      pixels: [0, 0.25, 0.5, 1],
    })
  })

  it('shows every finite 2-D point, counting the dropped ones', () => {
    const points = summarizeSamples(
      { images: host([3, 2], [1, 2, Number.NaN, 0, -3, 4.5]) },
      params({ count: 1 }),
    )
    expect(points).toEqual({ kind: 'points', count: 2, points: [1, 2, -3, 4.5], nonFiniteCount: 1 })
    expectPlainJson(points)
  })

  it('shows other vectors as rows of raw values', () => {
    const vectors = summarizeSamples(
      { images: host([3, 3], [1, 2, 3, 4, Infinity, 6, 7, 8, 9]) },
      params({ count: 2 }),
    )
    expect(vectors).toEqual({ kind: 'vectors', dim: 3, count: 2, values: [1, 2, 3, 4, null, 6] })
    expectPlainJson(vectors)
  })

  it('returns an empty grid for no rows, through the node contract', () => {
    const empty = samplesView.summarize?.({ images: host([0, 2, 2, 1], []) }, params())
    expect(empty).toEqual({
      kind: 'images',
      width: 2,
      height: 2,
      channels: 1,
      count: 0,
      columns: 0,
      pixels: [],
    })
  })
})
