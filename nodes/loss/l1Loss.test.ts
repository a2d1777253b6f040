import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { l1Loss } from './l1Loss'

const RESHAPE = '; both hold the same number of values, so reshape one of them'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const PREDICTION = [
  [1, 2],
  [3, 4],
]
const TARGET = [
  [1, 0],
  [0, 5],
]

describe('loss.l1 shapes', () => {
  it.each([[[3]], [[28, 28, 1]], [[]]])('%j against itself gives a scalar loss', (shape) => {
    expect(l1Loss.inferShapes({ prediction: shape, target: shape }, {})).toEqual({
      outputs: { loss: [] },
    })
  })

  it.each([
    [[3], [4], '[4]', '[3]', ''],
    [[28, 28, 1], [28, 28, 3], '[28, 28, 3]', '[28, 28, 1]', ''],
    [[784], [28, 28, 1], '[28, 28, 1]', '[784]', RESHAPE],
  ])('refuses prediction %j against target %j', (prediction, target, expected, actual, hint) => {
    expect(l1Loss.inferShapes({ prediction, target }, {})).toEqual({
      issues: [
        {
          port: 'prediction',
          message: `prediction must have the same per-sample shape as target${hint}`,
          expected,
          actual,
        },
      ],
    })
  })
})

describe('loss.l1 forward', () => {
  it('averages absolute differences over the batch and every element', () => {
    const inputs = { prediction: tf.tensor2d(PREDICTION), target: tf.tensor2d(TARGET) }
    const run = runNode(tf, l1Loss, { inputs })
    // |p − t| = 0, 2, 3, 1 → 6 / 4 = 1.5 (squares would give 14 / 4 = 3.5)
    expect(run.outputs.loss?.shape).toEqual([])
    expect(run.outputs.loss?.dataSync()[0]).toBeCloseTo(1.5, 6)
    run.dispose()
    tf.dispose(Object.values(inputs))
  })

  it('has the gradient sign(p − t)/N, 0 at an exact match as in PyTorch', () => {
    const grads = nodeGradients(tf, l1Loss, {
      inputs: { prediction: tf.tensor2d(PREDICTION), target: tf.tensor2d(TARGET) },
      output: 'loss',
      wrt: ['prediction', 'target'],
    })
    // p − t = [[0, 2], [3, −1]] → sign / 4 = [[0, 0.25], [0.25, −0.25]]
    expect(grads.prediction?.arraySync()).toEqual([
      [0, 0.25],
      [0.25, -0.25],
    ])
    expect(grads.target?.arraySync()).toEqual([
      [0, -0.25],
      [-0.25, 0.25],
    ])
    tf.dispose(Object.values(grads))
  })

  it('leaves no tensors behind', () => {
    const prediction = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 1)
    const target = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 2)
    const before = tf.memory().numTensors
    runNode(tf, l1Loss, { inputs: { prediction, target } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([prediction, target])
  })
})
