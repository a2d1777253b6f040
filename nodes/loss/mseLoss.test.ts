import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { mseLoss } from './mseLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Runs the node on nested arrays and reads the scalar loss. */
function mse(prediction: tf.TensorLike, target: tf.TensorLike): number {
  const inputs = { prediction: tf.tensor(prediction), target: tf.tensor(target) }
  const run = runNode(tf, mseLoss, { inputs })
  const [loss] = run.outputs.loss?.dataSync() ?? []
  expect(run.outputs.loss?.shape).toEqual([])
  run.dispose()
  tf.dispose(Object.values(inputs))
  return loss ?? Number.NaN
}

describe('loss.mse shapes', () => {
  it.each([[[3]], [[28, 28, 1]], [[]]])('%j against itself gives a scalar loss', (shape) => {
    expect(mseLoss.inferShapes({ prediction: shape, target: shape }, {})).toEqual({
      outputs: { loss: [] },
    })
  })

  it.each([
    [[3], [4], 'prediction must have the same per-sample shape as target'],
    [[28, 28, 1], [28, 28, 3], 'prediction must have the same per-sample shape as target'],
    [
      [784],
      [28, 28, 1],
      'prediction must have the same per-sample shape as target; both hold the same number of values, so reshape one of them',
    ],
  ])('refuses prediction %j against target %j', (prediction, target, message) => {
    expect(mseLoss.inferShapes({ prediction, target }, {})).toEqual({
      issues: [
        {
          port: 'prediction',
          message,
          expected: `[${target.join(', ')}]`,
          actual: `[${prediction.join(', ')}]`,
        },
      ],
    })
  })

  it('names the port and both shapes when run on mismatched tensors', () => {
    expect(() =>
      runNode(tf, mseLoss, { inputs: { prediction: tf.zeros([2, 3]), target: tf.zeros([2, 4]) } }),
    ).toThrow(/^input prediction: prediction must have .* \(expected \[4\], got \[3\]\)$/)
  })
})

describe('loss.mse forward', () => {
  it('averages squared differences over the batch and every element', () => {
    // differences 0, 2, 3, 0 → squares 0, 4, 9, 0 → 13 / 4 = 3.25
    expect(
      mse(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 0],
          [0, 4],
        ],
      ),
    ).toBeCloseTo(3.25, 6)
  })

  it('takes images of any rank', () => {
    // One 2×2×1 image: differences 0.5, 0, −2, 2 → squares 0.25, 0, 4, 4 → 8.25 / 4 = 2.0625
    expect(
      mse(
        [
          [
            [[0.5], [1]],
            [[-1], [2]],
          ],
        ],
        [
          [
            [[0], [1]],
            [[1], [0]],
          ],
        ],
      ),
    ).toBeCloseTo(2.0625, 6)
  })

  it('is exactly 0 for a perfect prediction', () => {
    expect(mse([[1.5, -2, 7]], [[1.5, -2, 7]])).toBe(0)
  })

  it('has the gradient 2(p − t)/N for both inputs', () => {
    const grads = nodeGradients(tf, mseLoss, {
      inputs: {
        prediction: tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        target: tf.tensor2d([
          [1, 0],
          [0, 5],
        ]),
      },
      output: 'loss',
      wrt: ['prediction', 'target'],
    })
    // p − t = [[0, 2], [3, −1]], N = 4 → 2(p − t)/4 = [[0, 1], [1.5, −0.5]]
    expect(grads.prediction?.arraySync()).toEqual([
      [0, 1],
      [1.5, -0.5],
    ])
    expect(grads.target?.arraySync()).toEqual([
      [0, -1],
      [-1.5, 0.5],
    ])
    tf.dispose(Object.values(grads))
  })

  it('leaves no tensors behind', () => {
    const prediction = tf.randomNormal([4, 3], 0, 1, 'float32', 1)
    const target = tf.randomNormal([4, 3], 0, 1, 'float32', 2)
    const before = tf.memory().numTensors
    runNode(tf, mseLoss, { inputs: { prediction, target } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([prediction, target])
  })
})
