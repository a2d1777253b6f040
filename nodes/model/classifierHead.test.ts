import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockTestKit, close } from '../testing/blockTestKit'
import { runNode } from '../../graph-core/runNode'
import { classifierHead } from './classifierHead'

const { params, trainable, expectUsefulGradients, expectSharedApplications } = blockTestKit(
  tf,
  classifierHead,
)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.classifierHead shapes', () => {
  it.each([
    [[64], {}, [10]],
    [[3], { classes: 2 }, [2]],
  ])('%j with %j → %j', (x, saved, logits) => {
    expect(classifierHead.inferShapes({ x }, params(saved))).toEqual({ outputs: { logits } })
  })

  it.each([[[8, 8, 1]], [[]]])('refuses %j with a hint to flatten', (x) => {
    expect(classifierHead.inferShapes({ x }, params())).toEqual({
      issues: [
        expect.objectContaining({
          port: 'x',
          message: expect.stringContaining('flatten') as unknown,
          expected: '[n]',
          actual: `[${x.join(', ')}]`,
        }),
      ],
    })
    expect(classifierHead.cost?.({ x }, params())).toEqual({ parameters: 0, flops: 0 })
  })
})

describe('model.classifierHead cost', () => {
  it.each([
    [[64], {}, 64 * 10 + 10, 2 * 64 * 10],
    [[3], { classes: 5 }, 20, 30],
  ])('%j with %j: %d parameters, %d FLOPs', (x, saved, parameters, flops) => {
    expect(classifierHead.cost?.({ x }, params(saved))).toEqual({ parameters, flops })
    expect(trainable({ params: saved, inputs: { x: tf.zeros([1, ...x]) } }).size).toBe(parameters)
  })
})

describe('model.classifierHead forward', () => {
  it('computes raw logits x·W + b', () => {
    const run = runNode(tf, classifierHead, {
      params: { classes: 3 },
      inputs: { x: tf.tensor2d([[1, 2]]) },
      weights: {
        kernel: tf.tensor2d([
          [1, 0, -3],
          [2, -1, 0],
        ]),
        bias: tf.tensor1d([0, 0, 1]),
      },
    })
    // [1 + 4, −2, −3 + 1]: negative logits stay (no softmax, no activation).
    close(run.outputs.logits?.arraySync(), [5, -2, -2])
    run.dispose()
  })

  it('has useful gradients and shares its weights', () => {
    const options = {
      params: { classes: 4 },
      inputs: { x: tf.randomNormal([3, 5], 0, 1, 'float32', 1) },
    }
    expectUsefulGradients(options, ['logits'])
    expectSharedApplications(
      options,
      { x: tf.randomNormal([1, 5], 0, 1, 'float32', 2) },
      { x: tf.randomNormal([2, 5], 0, 1, 'float32', 3) },
      'logits',
      'kernel',
    )
  })
})
