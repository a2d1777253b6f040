import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import type { Shape } from '../../graph-core/shapes'
import { embeddingsView, summarizeEmbeddings, type EmbeddingsViewParams } from './embeddingsView'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})
const ids = (values: number[]): HostTensor => ({
  shape: [values.length],
  data: Int32Array.from(values),
})

const params = (saved: Partial<EmbeddingsViewParams> = {}) =>
  resolveParams(embeddingsView.params, saved).values

describe('view.embeddings shapes', () => {
  it('takes a vector per sample, with or without labels', () => {
    expect(embeddingsView.inferShapes({ embeddings: [128], labels: [] }, params())).toEqual({
      outputs: {},
    })
    // An unconnected optional port has no shape at all.
    const connected: Partial<Record<'embeddings' | 'labels', Shape>> = { embeddings: [16] }
    const inputs = connected as Record<'embeddings' | 'labels', Shape>
    expect(embeddingsView.inferShapes(inputs, params())).toEqual({ outputs: {} })
  })

  it.each([
    [
      [28, 28, 1],
      [],
      [
        {
          port: 'embeddings',
          message:
            'embeddings must be one vector per sample; flatten it or add a dense or embedding head first',
          expected: '[d]',
          actual: '[28, 28, 1]',
        },
      ],
    ],
    [
      [8],
      [4],
      [
        {
          port: 'labels',
          message: 'labels must be one class or identity id per sample',
          expected: '[]',
          actual: '[4]',
        },
      ],
    ],
    [
      [],
      [1],
      [
        expect.objectContaining({ port: 'embeddings' }),
        expect.objectContaining({ port: 'labels' }),
      ],
    ],
  ])('refuses embeddings %j with labels %j', (embeddings, labels, issues) => {
    expect(embeddingsView.inferShapes({ embeddings, labels }, params())).toEqual({ issues })
  })

  it('has the documented defaults', () => {
    expect(params()).toEqual({
      samples: 512,
      projection: 'pca',
      nNeighbors: 15,
      minDist: 0.1,
      metric: 'cosine',
      seed: 0,
    })
  })
})

describe('view.embeddings summary', () => {
  it('projects with PCA: points on a line land on the x axis with all the variance', () => {
    // Rows (1, 0), (−1, 0), (3, 0), (−3, 0): mean 0, covariance diag(5, 0). The first
    // component is (1, 0) (largest loading positive), so x = the first coordinate and y = 0.
    const summary = summarizeEmbeddings(
      { embeddings: host([4, 2], [1, 0, -1, 0, 3, 0, -3, 0]), labels: ids([0, 0, 1, 1]) },
      params(),
    )
    expect(summary).toEqual({
      kind: 'embeddings',
      projection: 'pca',
      count: 4,
      nonFiniteCount: 0,
      labels: [0, 0, 1, 1],
      points: [1, 0, -1, 0, 3, 0, -3, 0],
      explainedVariance: [1, 0],
    })
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('drops non-finite rows with their labels and omits labels when unconnected', () => {
    // Rows 1 (NaN) and 3 (∞) are dropped; (2, 2) and (0, 0) remain: mean (1, 1), direction
    // (1, 1)/√2, coordinates ±√2.
    const embeddings = host([4, 2], [2, 2, Number.NaN, 0, 0, 0, Infinity, 1])
    const summary = summarizeEmbeddings({ embeddings, labels: ids([5, 6, 7, 8]) }, params())
    expect(summary.labels).toEqual([5, 7])
    expect(summary.nonFiniteCount).toBe(2)
    expect(summary.points[0]).toBeCloseTo(Math.SQRT2, 6)
    expect(summary.points[2]).toBeCloseTo(-Math.SQRT2, 6)
    const unlabelled = summarizeEmbeddings({ embeddings }, params())
    expect('labels' in unlabelled).toBe(false)
    expect(unlabelled.count).toBe(2)
    expect(JSON.parse(JSON.stringify(unlabelled))).toStrictEqual(unlabelled)
  })

  it('uses only the rows present in both inputs', () => {
    const summary = summarizeEmbeddings(
      { embeddings: host([3, 1], [1, 2, 3]), labels: ids([0, 1]) },
      params(),
    )
    expect(summary).toMatchObject({ count: 2, labels: [0, 1], points: [-0.5, 0, 0.5, 0] })
  })

  it('maps with UMAP reproducibly, through the node contract', () => {
    // Three tight clusters of four points in 3-D.
    const centres = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]
    const values = centres.flatMap((centre, c) =>
      [0, 1, 2, 3].flatMap((k) => centre.map((v, axis) => v + 0.01 * ((k + axis + c) % 3))),
    )
    const inputs = {
      embeddings: host([12, 3], values),
      labels: ids(centres.flatMap((_, c) => [c, c, c, c])),
    }
    const umap = params({ projection: 'umap', nNeighbors: 4, seed: 3 })
    const first = embeddingsView.summarize?.(inputs, umap)
    const again = embeddingsView.summarize?.(inputs, umap)
    expect(first).toEqual(again)
    expect(first).toMatchObject({ kind: 'embeddings', projection: 'umap', count: 12 })
    expect(first && 'explainedVariance' in first).toBe(false)
    const points = (first?.points ?? []) as number[]
    expect(points).toHaveLength(24)
    expect(points.every(Number.isFinite)).toBe(true)
    expect(JSON.parse(JSON.stringify(first))).toStrictEqual(first)
  })

  it('returns an empty map for no rows', () => {
    expect(summarizeEmbeddings({ embeddings: host([0, 4], []) }, params())).toEqual({
      kind: 'embeddings',
      projection: 'pca',
      count: 0,
      nonFiniteCount: 0,
      points: [],
      explainedVariance: [0, 0],
    })
  })
})
