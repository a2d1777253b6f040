import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runNode } from '../../graph-core/runNode'
import { attributeFilter, domainRows, resampleRows } from './attributeFilter'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = { low: 0.3, high: 0.7, batchSize: 16 }
const ONE_SCORE = 'The attribute filter takes one attribute score per image'

/** Images [n, 2, 2, 1] whose every pixel holds the row index, so outputs name their source. */
const indexedImages = (count: number) =>
  tf.tidy(() => tf.tile(tf.range(0, count).reshape([count, 1, 1, 1]), [1, 2, 2, 1]))

interface Filtered {
  domainA: number[]
  domainB: number[]
  metrics: Record<string, number>
}

/** The source row of every output row, and the reported metrics. */
function filter(
  attribute: number[],
  params: Record<string, unknown> = {},
  { seed = 1, isColumn = false } = {},
): Filtered {
  const images = indexedImages(attribute.length)
  const scores = isColumn ? tf.tensor2d(attribute, [attribute.length, 1]) : tf.tensor1d(attribute)
  const run = runNode(tf, attributeFilter, { inputs: { images, attribute: scores }, params, seed })
  const rowsOf = (output: tf.Tensor | undefined) => {
    const values = output?.arraySync() as number[][][][]
    // every pixel of a row holds its source index
    return values.map((image) => image[0]?.[0]?.[0] ?? Number.NaN)
  }
  const result = {
    domainA: rowsOf(run.outputs.domainA),
    domainB: rowsOf(run.outputs.domainB),
    metrics: Object.fromEntries(
      Object.entries(run.metrics).map(([name, value]) => [name, value.dataSync()[0] ?? Number.NaN]),
    ),
  }
  expect(run.outputs.domainA?.shape.slice(1)).toEqual([2, 2, 1])
  run.dispose()
  tf.dispose([images, scores])
  return result
}

// 0.0, 0.1, …, 1.0: rows 0–2 are below 0.3, rows 8–10 above 0.7, 3–7 (0.3 … 0.7) in neither
const SCORES = Array.from({ length: 11 }, (_, row) => row / 10)

describe('data.attributeFilter shapes', () => {
  it.each([
    [[8, 8, 1], []],
    [[8, 8, 3], [1]],
    [[784], []],
  ])('images %j with attribute %j give two domains of the image shape', (images, attribute) => {
    expect(attributeFilter.inferShapes({ images, attribute }, DEFAULTS)).toEqual({
      outputs: { domainA: images, domainB: images },
    })
  })

  it.each([
    [[2], '[2]'],
    [[1, 1], '[1, 1]'],
    [[8, 8, 1], '[8, 8, 1]'],
  ])('refuses attribute %j', (attribute, actual) => {
    expect(attributeFilter.inferShapes({ images: [8, 8, 1], attribute }, DEFAULTS)).toEqual({
      issues: [{ port: 'attribute', message: ONE_SCORE, expected: '[] or [1]', actual }],
    })
  })

  it('refuses low above high, naming no port', () => {
    expect(
      attributeFilter.inferShapes(
        { images: [8, 8, 1], attribute: [] },
        { low: 0.8, high: 0.2, batchSize: 16 },
      ),
    ).toEqual({
      issues: [
        {
          message: 'low must not be above high, or an image could belong to both domains',
          expected: 'low ≤ high',
          actual: 'low 0.8, high 0.2',
        },
      ],
    })
  })
})

describe('data.attributeFilter forward', () => {
  it.each([16, 3, 40])(
    'draws exactly %d rows per domain, A from attribute < low and B from > high',
    (batchSize) => {
      const { domainA, domainB, metrics } = filter(SCORES, { batchSize })
      expect(domainA).toHaveLength(batchSize)
      expect(domainB).toHaveLength(batchSize)
      for (const row of domainA) expect(SCORES[row]).toBeLessThan(0.3)
      for (const row of domainB) expect(SCORES[row]).toBeGreaterThan(0.7)
      expect(Object.keys(metrics).sort()).toEqual(['domainAFraction', 'domainBFraction'])
      expect(metrics.domainAFraction).toBeCloseTo(3 / 11, 6)
      expect(metrics.domainBFraction).toBeCloseTo(3 / 11, 6)
    },
  )

  it('is strict at the bounds and takes a column attribute [batch, 1] alike', () => {
    // 0.3 and 0.7 themselves belong to neither domain
    const attribute = [0.3, 0.29, 0.7, 0.71]
    const { domainA, domainB } = filter(attribute, { batchSize: 32 }, { isColumn: true })
    expect(new Set(domainA)).toEqual(new Set([1]))
    expect(new Set(domainB)).toEqual(new Set([3]))
  })

  it('reaches every qualifying row over a large batch', () => {
    const { domainA, domainB } = filter(SCORES, { batchSize: 300 })
    expect(new Set(domainA)).toEqual(new Set([0, 1, 2]))
    expect(new Set(domainB)).toEqual(new Set([8, 9, 10]))
  })

  it('falls back to the nearest quarter of the batch when no row qualifies, and reports it', () => {
    // nothing below 0.3: A takes the ⌈8 / 4⌉ = 2 lowest rows (5 and 2); B has rows above 0.7
    const attribute = [0.6, 0.9, 0.45, 0.8, 0.5, 0.4, 0.55, 0.95]
    const { domainA, domainB, metrics } = filter(attribute, { batchSize: 64 })
    expect(new Set(domainA)).toEqual(new Set([5, 2]))
    expect(new Set(domainB)).toEqual(new Set([1, 3, 7]))
    expect(metrics).toEqual({ domainAFraction: 0, domainBFraction: 3 / 8 })
  })

  it('gives zero images of the batch size for an empty batch', () => {
    const inputs = { images: tf.zeros([0, 2, 2, 1]), attribute: tf.zeros([0]) }
    const run = runNode(tf, attributeFilter, { inputs, params: { batchSize: 4 } })
    expect(run.outputs.domainA?.shape).toEqual([4, 2, 2, 1])
    expect(Math.max(...(run.outputs.domainB?.dataSync() ?? [1]))).toBe(0)
    run.dispose()
    tf.dispose(Object.values(inputs))
  })

  it('names the mismatch when attributes and images come in different batch sizes', () => {
    const inputs = { images: indexedImages(4), attribute: tf.tensor1d([0.1, 0.9]) }
    expect(() => runNode(tf, attributeFilter, { inputs })).toThrow(
      'attribute has 2 values for 4 images; wire both from the same data node',
    )
    tf.dispose(Object.values(inputs))
  })

  it('is reproducible for a seed and new for another', () => {
    const draw = (seed: number) => filter(SCORES, { batchSize: 16 }, { seed })
    expect(draw(1)).toEqual(draw(1))
    expect(draw(1).domainA).not.toEqual(draw(2).domainA)
  })

  it('leaves no tensors behind', () => {
    const images = indexedImages(11)
    const attribute = tf.tensor1d(SCORES)
    const before = tf.memory().numTensors
    runNode(tf, attributeFilter, { inputs: { images, attribute } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([images, attribute])
  })
})

describe('domainRows and resampleRows', () => {
  it('never lets NaN qualify, and sorts it last in the fallback', () => {
    expect(domainRows([Number.NaN, 0.1], (value) => value - 0.3)).toEqual({
      rows: [1],
      qualifying: 1,
    })
    expect(domainRows([Number.NaN, 0.9, 0.5, 0.6], (value) => value - 0.3)).toEqual({
      rows: [2],
      qualifying: 0,
    })
    expect(domainRows([], (value) => value)).toEqual({ rows: [], qualifying: 0 })
  })

  it('resamples uniformly with replacement', () => {
    const counts = new Map<number, number>()
    for (const row of resampleRows([4, 7, 9], 3000, 11)) counts.set(row, (counts.get(row) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual([4, 7, 9])
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(100)
  })
})
