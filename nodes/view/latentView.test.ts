import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import type { Shape } from '../../graph-core/shapes'
import { latentView, summarizeLatent, type LatentViewParams } from './latentView'
import { sampleLatents } from './metrics/latent'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})

const params = (saved: Partial<LatentViewParams> = {}) =>
  resolveParams(latentView.params, saved).values

// Smiling (attribute ≥ 0.5): (1, 2), (3, 4), mean (2, 3). Not: (0, 0), (2, −2), mean (1, −1).
// Smile vector (1, 4).
const latents = host([4, 2], [1, 2, 0, 0, 3, 4, 2, -2])
const smile = host([4], [0.9, 0.1, 0.5, 0.2])

describe('view.latent shapes', () => {
  it.each([[[]], [[1]]])('takes latents [k] with an attribute %j', (attribute) => {
    expect(latentView.inferShapes({ latents: [32], attribute }, params())).toEqual({ outputs: {} })
  })

  it('takes latents alone (the attribute port unconnected)', () => {
    const connected: Partial<Record<'latents' | 'attribute', Shape>> = { latents: [32] }
    const inputs = connected as Record<'latents' | 'attribute', Shape>
    expect(latentView.inferShapes(inputs, params())).toEqual({ outputs: {} })
  })

  it.each([
    [
      [4, 4, 1],
      [],
      {
        port: 'latents',
        message:
          'latents must be one vector per sample; flatten it or add a dense or embedding head first',
        expected: '[d]',
        actual: '[4, 4, 1]',
      },
    ],
    [
      [8],
      [2],
      {
        port: 'attribute',
        message: 'attribute must be one value per sample (a smile intensity, say)',
        expected: '[] or [1]',
        actual: '[2]',
      },
    ],
  ])('refuses latents %j with attribute %j', (latentShape, attribute, issue) => {
    expect(latentView.inferShapes({ latents: latentShape, attribute }, params())).toEqual({
      issues: [issue],
    })
  })

  it('has the documented defaults', () => {
    expect(params()).toEqual({
      samples: 256,
      threshold: 0.5,
      steps: 8,
      mode: 'linear',
      count: 8,
      seed: 0,
    })
  })
})

describe('view.latent summary', () => {
  it('computes the attribute vector, the path and prior samples', () => {
    const summary = summarizeLatent(
      { latents, attribute: smile },
      params({ steps: 3, count: 2, seed: 0 }),
    )
    expect(summary).toEqual({
      kind: 'latent',
      dim: 2,
      rowCount: 4,
      nonFiniteCount: 0,
      // (1, 2) → (0, 0) at t = 0, ½, 1.
      interpolation: { mode: 'linear', steps: 3, latents: [1, 2, 0.5, 1, 0, 0] },
      prior: { count: 2, seed: 0, latents: Array.from(sampleLatents(2, 2, 0)) },
      attribute: { threshold: 0.5, withCount: 2, withoutCount: 2, vector: [1, 4] },
    })
    // Box–Muller on mulberry32(0), as in metrics/latent.test.ts.
    expect(summary.prior.latents[0]).toBeCloseTo(0.78718466, 6)
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('moves the threshold and skips unknown attributes', () => {
    // Threshold 0.15: (1, 2), (3, 4), (2, −2) have it, mean (2, 4/3); (0, 0) does not.
    const lower = summarizeLatent({ latents, attribute: smile }, params({ threshold: 0.15 }))
    expect(lower.attribute?.withCount).toBe(3)
    expect(lower.attribute?.vector?.[0]).toBeCloseTo(2, 6)
    expect(lower.attribute?.vector?.[1]).toBeCloseTo(4 / 3, 6)
    // A NaN attribute puts (3, 4) in neither group: (1, 2) − mean((0, 0), (2, −2)) = (0, 3).
    const unknown = summarizeLatent(
      { latents, attribute: host([4, 1], [0.9, 0.1, Number.NaN, 0.2]) },
      params(),
    )
    expect(unknown.attribute).toEqual({
      threshold: 0.5,
      withCount: 1,
      withoutCount: 2,
      vector: [0, 3],
    })
  })

  it('walks the arc in spherical mode', () => {
    // (2, 0) → (0, 2): the midpoint of the arc is (√2, √2).
    const summary = summarizeLatent(
      { latents: host([2, 2], [2, 0, 0, 2]) },
      params({ steps: 3, mode: 'spherical' }),
    )
    const path = summary.interpolation?.latents ?? []
    expect(path[2]).toBeCloseTo(Math.SQRT2, 5)
    expect(path[3]).toBeCloseTo(Math.SQRT2, 5)
  })

  it('has no vector when one group is empty and no path with one latent', () => {
    const summary = latentView.summarize?.(
      { latents: host([1, 3], [1, 2, 3]), attribute: host([1], [0.9]) },
      params({ count: 0 }),
    )
    expect(summary).toEqual({
      kind: 'latent',
      dim: 3,
      rowCount: 1,
      nonFiniteCount: 0,
      interpolation: null,
      prior: { count: 0, seed: 0, latents: [] },
      attribute: { threshold: 0.5, withCount: 1, withoutCount: 0, vector: null },
    })
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('leaves out non-finite latents and omits the attribute when unconnected', () => {
    const summary = summarizeLatent(
      { latents: host([3, 2], [Number.NaN, 0, 1, 1, 3, 3]) },
      params({ steps: 2, count: 1 }),
    )
    expect(summary.nonFiniteCount).toBe(1)
    expect(summary.rowCount).toBe(2)
    expect(summary.interpolation?.latents).toEqual([1, 1, 3, 3])
    expect('attribute' in summary).toBe(false)
    expect(summary.prior.latents).toHaveLength(2)
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })
})
