import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { cycleLoss } from './cycleLoss'

const RESHAPE = '; both hold the same number of values, so reshape one of them'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const ORIGINAL = [
  [1, 2],
  [3, 4],
]
const RECONSTRUCTED = [
  [1, 0],
  [0, 5],
]

function cycle(params: Record<string, unknown>): number {
  const inputs = { original: tf.tensor2d(ORIGINAL), reconstructed: tf.tensor2d(RECONSTRUCTED) }
  const run = runNode(tf, cycleLoss, { params, inputs })
  expect(run.outputs.loss?.shape).toEqual([])
  const [loss] = run.outputs.loss?.dataSync() ?? []
  run.dispose()
  tf.dispose(Object.values(inputs))
  return loss ?? Number.NaN
}

describe('loss.cycle shapes', () => {
  it.each([[[8]], [[32, 32, 3]]])('%j against itself gives a scalar loss', (shape) => {
    expect(
      cycleLoss.inferShapes({ original: shape, reconstructed: shape }, { weight: 10 }),
    ).toEqual({ outputs: { loss: [] } })
  })

  it.each([
    [[32, 32, 3], [32, 32, 1], '[32, 32, 3]', '[32, 32, 1]', ''],
    [[32, 32, 3], [3072], '[32, 32, 3]', '[3072]', RESHAPE],
  ])(
    'refuses original %j with reconstructed %j',
    (original, reconstructed, expected, actual, hint) => {
      expect(cycleLoss.inferShapes({ original, reconstructed }, { weight: 10 })).toEqual({
        issues: [
          {
            port: 'reconstructed',
            message: `reconstructed must have the same per-sample shape as original${hint}`,
            expected,
            actual,
          },
        ],
      })
    },
  )
})

describe('loss.cycle forward', () => {
  // |original − reconstructed| = 0, 2, 3, 1 → mean 6 / 4 = 1.5
  it('is λ = 10 times the mean absolute error by default, as in CycleGAN', () => {
    expect(cycleLoss.params.weight.default).toBe(10)
    expect(cycle({})).toBeCloseTo(15, 5) // 10 × 1.5
  })

  it('takes weight 5 for the identity loss', () => {
    expect(cycle({ weight: 5 })).toBeCloseTo(7.5, 5) // 5 × 1.5
  })

  it('has the gradient λ·sign(r − o)/N for the reconstruction', () => {
    const grads = nodeGradients(tf, cycleLoss, {
      inputs: { original: tf.tensor2d(ORIGINAL), reconstructed: tf.tensor2d(RECONSTRUCTED) },
      output: 'loss',
      wrt: ['reconstructed'],
    })
    // r − o = [[0, −2], [−3, 1]] → 10 · sign / 4 = [[0, −2.5], [−2.5, 2.5]]
    expect(grads.reconstructed?.arraySync()).toEqual([
      [0, -2.5],
      [-2.5, 2.5],
    ])
    tf.dispose(Object.values(grads))
  })

  it('leaves no tensors behind', () => {
    const original = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 1)
    const reconstructed = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 2)
    const before = tf.memory().numTensors
    runNode(tf, cycleLoss, { inputs: { original, reconstructed } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([original, reconstructed])
  })
})
