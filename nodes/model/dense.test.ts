import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { dense } from './dense'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.dense shapes', () => {
  it.each([
    [{ x: [784] }, { units: 32 }, { outputs: { y: [32] } }],
    [{ x: [3] }, { units: 1 }, { outputs: { y: [1] } }],
  ])('%j with %j', (inputs, params, result) => {
    expect(dense.inferShapes(inputs, { ...params, activation: 'linear', hasBias: true })).toEqual(
      result,
    )
  })

  it('refuses an image with a hint to flatten', () => {
    const result = dense.inferShapes(
      { x: [28, 28, 1] },
      { units: 8, activation: 'relu', hasBias: true },
    )
    expect(result).toEqual({
      issues: [expect.objectContaining({ port: 'x', expected: '[n]', actual: '[28, 28, 1]' })],
    })
  })

  it('counts parameters and FLOPs', () => {
    expect(dense.cost?.({ x: [784] }, { units: 256, activation: 'relu', hasBias: true })).toEqual({
      parameters: 784 * 256 + 256,
      flops: 2 * 784 * 256,
    })
  })
})

describe('model.dense forward', () => {
  it('computes act(x·W + b) with given weights', () => {
    const run = runNode(tf, dense, {
      params: { units: 2, activation: 'relu' },
      inputs: {
        x: tf.tensor2d([
          [1, 2],
          [-1, 0],
        ]),
      },
      weights: {
        kernel: tf.tensor2d([
          [1, -1],
          [0.5, 2],
        ]),
        bias: tf.tensor1d([0, -1]),
      },
    })
    // [1,2]·W = [2, 3] + b → [2, 2]; [-1,0]·W = [-1, 1] + b → relu [0, 0]
    expect(run.outputs.y?.arraySync()).toEqual([
      [2, 2],
      [0, 0],
    ])
    run.dispose()
  })

  it('has finite gradients for its weights and input', () => {
    const grads = nodeGradients(tf, dense, {
      params: { units: 3, activation: 'tanh' },
      inputs: { x: tf.randomNormal([4, 5], 0, 1, 'float32', 1) },
      output: 'y',
      wrt: ['x', 'kernel', 'bias'],
    })
    expect(grads.kernel?.shape).toEqual([5, 3])
    expect(grads.x?.shape).toEqual([4, 5])
    for (const grad of Object.values(grads)) {
      expect(grad.dataSync().every(Number.isFinite)).toBe(true)
      expect(grad.abs().sum().dataSync()[0]).toBeGreaterThan(0)
    }
    tf.dispose(Object.values(grads))
  })

  it('names a misshapen input in its error', () => {
    expect(() => runNode(tf, dense, { inputs: { x: tf.zeros([2, 4, 4]) } })).toThrow(
      /input x: Dense takes a vector.*expected \[n\], got \[4, 4\]/,
    )
  })
})
