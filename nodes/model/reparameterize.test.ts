import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { seedFor } from '../../graph-core/initializers'
import { nodeGradients, runNode, type RunNodeOptions } from '../../graph-core/runNode'
import { reparameterize } from './reparameterize'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const LN4 = Math.log(4)
const VECTOR = 'Reparameterize takes a latent vector per sample'
const ONE_PER_DIMENSION = 'logVariance must have one entry per latent dimension, like mean'

/** z for μ and log σ² given per sample; the node's other options pass through. */
function sample(
  mean: number[][],
  logVariance: number[][],
  options: Omit<RunNodeOptions, 'inputs'> = {},
): number[][] {
  const inputs = { mean: tf.tensor2d(mean), logVariance: tf.tensor2d(logVariance) }
  const run = runNode(tf, reparameterize, { ...options, inputs })
  const z = run.outputs.z?.arraySync() as number[][]
  run.dispose()
  tf.dispose(Object.values(inputs))
  return z
}

const MEAN = [
  [0, 1],
  [-1, 2],
]
const LOG_VARIANCE = [
  [0, LN4],
  [0, LN4],
] // σ = 1, 2

describe('model.reparameterize shapes', () => {
  it.each([[[2]], [[64]]])('mean and logVariance %j give z of the same shape', (shape) => {
    expect(
      reparameterize.inferShapes(
        { mean: shape, logVariance: shape },
        { isDeterministicOnHeldOut: true },
      ),
    ).toEqual({ outputs: { z: shape } })
  })

  it.each([
    [[16], [8], 'logVariance', ONE_PER_DIMENSION, '[16]', '[8]'],
    [[4, 4, 2], [32], 'mean', VECTOR, '[k]', '[4, 4, 2]'],
    [[8], [], 'logVariance', VECTOR, '[k]', '[]'],
  ])(
    'refuses mean %j with logVariance %j',
    (mean, logVariance, port, message, expected, actual) => {
      expect(
        reparameterize.inferShapes({ mean, logVariance }, { isDeterministicOnHeldOut: true }),
      ).toEqual({ issues: [{ port, message, expected, actual }] })
    },
  )
})

describe('model.reparameterize forward', () => {
  it('computes μ + exp(½ log σ²)·ε with ε ~ N(0, 1) from the pass seed', () => {
    // runNode gives the pass the seed seedFor(seed, 'forward'); ε is tf.randomNormal with it.
    const epsilon = tf.tidy(
      () =>
        tf.randomNormal([2, 2], 0, 1, 'float32', seedFor(7, 'forward')).arraySync() as number[][],
    )
    const z = sample(MEAN, LOG_VARIANCE, { seed: 7 })
    // σ = exp(½ · 0) = 1 and exp(½ · ln 4) = 2: z = [μ₀ + ε₀, μ₁ + 2ε₁] per row
    z.forEach((row, i) => {
      expect(row[0]).toBeCloseTo((MEAN[i]?.[0] ?? 0) + (epsilon[i]?.[0] ?? 0), 5)
      expect(row[1]).toBeCloseTo((MEAN[i]?.[1] ?? 0) + 2 * (epsilon[i]?.[1] ?? 0), 5)
    })
    expect(z).not.toEqual(MEAN)
  })

  it('is reproducible for a seed and differs between seeds', () => {
    expect(sample(MEAN, LOG_VARIANCE, { seed: 3 })).toEqual(sample(MEAN, LOG_VARIANCE, { seed: 3 }))
    expect(sample(MEAN, LOG_VARIANCE, { seed: 3 })).not.toEqual(
      sample(MEAN, LOG_VARIANCE, { seed: 4 }),
    )
  })

  it('outputs z = μ on held-out data by default, and samples there when asked to', () => {
    expect(sample(MEAN, LOG_VARIANCE, { split: 'heldOut' })).toEqual(MEAN)
    expect(
      sample(MEAN, LOG_VARIANCE, { split: 'heldOut', params: { isDeterministicOnHeldOut: false } }),
    ).not.toEqual(MEAN)
    expect(sample(MEAN, LOG_VARIANCE, { split: 'train' })).not.toEqual(MEAN)
  })

  it('samples with mean μ and standard deviation σ', () => {
    // μ = [1, −2], σ = [2, ½] (log σ² = ln 4, ln ¼), 10 000 samples: the sample mean is within
    // 3σ/√n (0.06 and 0.015) of μ, the sample std within 3 % of σ (its error is ≈ σ/√(2n)).
    const n = 10_000
    const mean = tf.tidy(() => tf.tile(tf.tensor2d([[1, -2]]), [n, 1]))
    const logVariance = tf.tidy(() => tf.tile(tf.tensor2d([[LN4, -LN4]]), [n, 1]))
    const run = runNode(tf, reparameterize, { seed: 11, inputs: { mean, logVariance } })
    const z = run.outputs.z ?? tf.zeros([n, 2])
    const moments = tf.moments(z, 0)
    const [mean0, mean1] = moments.mean.dataSync()
    const [variance0, variance1] = moments.variance.dataSync()
    expect(Math.abs((mean0 ?? 0) - 1)).toBeLessThan(0.06)
    expect(Math.abs((mean1 ?? 0) + 2)).toBeLessThan(0.015)
    expect(Math.abs(Math.sqrt(variance0 ?? 0) / 2 - 1)).toBeLessThan(0.03)
    expect(Math.abs(Math.sqrt(variance1 ?? 0) / 0.5 - 1)).toBeLessThan(0.03)
    tf.dispose([mean, logVariance, moments.mean, moments.variance])
    run.dispose()
  })

  it('has the gradients 1 for μ and ½σε = ½(z − μ) for log σ²', () => {
    const options = {
      seed: 5,
      inputs: { mean: tf.tensor2d(MEAN), logVariance: tf.tensor2d(LOG_VARIANCE) },
    }
    const z = sample(MEAN, LOG_VARIANCE, { seed: 5 })
    const grads = nodeGradients(tf, reparameterize, {
      ...options,
      output: 'z',
      wrt: ['mean', 'logVariance'],
    })
    expect(grads.mean?.arraySync()).toEqual([
      [1, 1],
      [1, 1],
    ])
    const logVariance = grads.logVariance?.arraySync() as number[][]
    logVariance.forEach((row, i) => {
      row.forEach((value, j) => {
        expect(value).toBeCloseTo(0.5 * ((z[i]?.[j] ?? 0) - (MEAN[i]?.[j] ?? 0)), 5)
      })
    })
    expect(logVariance.flat().every((value) => value !== 0)).toBe(true)
    tf.dispose([...Object.values(grads), ...Object.values(options.inputs)])
  })

  it('leaves no tensors behind', () => {
    const mean = tf.randomNormal([4, 8], 0, 1, 'float32', 1)
    const logVariance = tf.randomNormal([4, 8], 0, 1, 'float32', 2)
    const before = tf.memory().numTensors
    runNode(tf, reparameterize, { inputs: { mean, logVariance } }).dispose()
    runNode(tf, reparameterize, { split: 'heldOut', inputs: { mean, logVariance } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([mean, logVariance])
  })
})
