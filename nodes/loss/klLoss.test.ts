import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { klLoss } from './klLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function kl(mean: number[][], logVariance: number[][]): number {
  const inputs = { mean: tf.tensor2d(mean), logVariance: tf.tensor2d(logVariance) }
  const run = runNode(tf, klLoss, { inputs })
  expect(run.outputs.loss?.shape).toEqual([])
  expect(Object.keys(run.metrics)).toEqual([])
  const [loss] = run.outputs.loss?.dataSync() ?? []
  run.dispose()
  tf.dispose(Object.values(inputs))
  return loss ?? Number.NaN
}

const LN4 = Math.log(4)
const VECTOR = 'KL loss takes a latent vector per sample'
const ONE_PER_DIMENSION = 'logVariance must have one entry per latent dimension, like mean'

describe('loss.kl shapes', () => {
  it.each([[[2]], [[32]]])('mean and logVariance %j give a scalar loss', (shape) => {
    expect(klLoss.inferShapes({ mean: shape, logVariance: shape }, {})).toEqual({
      outputs: { loss: [] },
    })
  })

  it.each([
    [[16], [8], 'logVariance', ONE_PER_DIMENSION, '[16]', '[8]'],
    [[4, 4], [4], 'mean', VECTOR, '[k]', '[4, 4]'],
    [[8], [], 'logVariance', VECTOR, '[k]', '[]'],
  ])(
    'refuses mean %j with logVariance %j',
    (mean, logVariance, port, message, expected, actual) => {
      expect(klLoss.inferShapes({ mean, logVariance }, {})).toEqual({
        issues: [{ port, message, expected, actual }],
      })
    },
  )

  it('reports both ports when neither is a vector', () => {
    const result = klLoss.inferShapes({ mean: [2, 2], logVariance: [] }, {})
    expect('issues' in result && result.issues.map((issue) => issue.port)).toEqual([
      'mean',
      'logVariance',
    ])
  })
})

describe('loss.kl forward', () => {
  it('is exactly 0 when the posterior is the prior (μ = 0, log σ² = 0)', () => {
    expect(
      kl(
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
      ),
    ).toBe(0)
  })

  it('sums −½(1 + log σ² − μ² − σ²) over latent dims and averages over the batch', () => {
    // sample 1: μ = [1, 0], log σ² = [0, ln 4]
    //   dim 1: −½(1 + 0 − 1 − 1) = ½;  dim 2: −½(1 + ln 4 − 0 − 4) = ½(3 − ln 4) = 0.806852819
    //   sum = 1.306852819
    // sample 2: μ = [−2, 0], log σ² = [0, 0] → −½(1 − 4 − 1) + 0 = 2
    // mean over the batch = (1.306852819 + 2) / 2 = 1.653426410
    const loss = kl(
      [
        [1, 0],
        [-2, 0],
      ],
      [
        [0, LN4],
        [0, 0],
      ],
    )
    expect(loss).toBeCloseTo((0.5 + 0.5 * (3 - LN4) + 2) / 2, 6)
    expect(loss).toBeCloseTo(1.65342641, 6)
  })

  it('keeps its precision for tiny variances', () => {
    // μ = 0, v = log σ² = 1e−4 (as float32): −½(1 + v − e^v) = ½(e^v − 1 − v) ≈ v²/4 = 2.5e−9.
    // e^v − 1 − v in float32 would lose it to rounding (≈ 8e−9 instead).
    const v = Math.fround(1e-4)
    const exact = 0.5 * (Math.expm1(v) - v)
    expect(Math.abs(kl([[0]], [[v]]) - exact) / exact).toBeLessThan(1e-2)
  })

  it('has the gradients μ/B and ½(σ² − 1)/B', () => {
    const grads = nodeGradients(tf, klLoss, {
      inputs: {
        mean: tf.tensor2d([
          [1, 0],
          [-2, 0],
        ]),
        logVariance: tf.tensor2d([
          [0, LN4],
          [0, -100],
        ]),
      },
      output: 'loss',
      wrt: ['mean', 'logVariance'],
    })
    // B = 2: ∂/∂μ = μ/2 = [[0.5, 0], [−1, 0]]
    // ∂/∂log σ² = ½(σ² − 1)/2: σ² = 1 → 0; σ² = 4 → 0.75; σ² = e^−100 ≈ 0 → −0.25
    const mean = Array.from(grads.mean?.dataSync() ?? [])
    const logVariance = Array.from(grads.logVariance?.dataSync() ?? [])
    expect(mean).toEqual([0.5, 0, -1, 0])
    expect(logVariance[0]).toBeCloseTo(0, 6)
    expect(logVariance[1]).toBeCloseTo(0.75, 6)
    expect(logVariance[2]).toBeCloseTo(0, 6)
    expect(logVariance[3]).toBeCloseTo(-0.25, 6)
    tf.dispose(Object.values(grads))
  })

  it('leaves no tensors behind', () => {
    const mean = tf.randomNormal([4, 8], 0, 1, 'float32', 1)
    const logVariance = tf.randomNormal([4, 8], 0, 1, 'float32', 2)
    const before = tf.memory().numTensors
    runNode(tf, klLoss, { inputs: { mean, logVariance } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([mean, logVariance])
  })
})
