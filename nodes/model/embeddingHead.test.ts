import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockTestKit, close } from '../testing/blockTestKit'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { embeddingHead } from './embeddingHead'

const { params, trainable, expectUsefulGradients, expectSharedApplications } = blockTestKit(
  tf,
  embeddingHead,
)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.embeddingHead shapes', () => {
  it.each([
    [[64], {}, [128]],
    [[3], { dim: 2, isNormalized: false }, [2]],
  ])('%j with %j → %j', (x, saved, embedding) => {
    expect(embeddingHead.inferShapes({ x }, params(saved))).toEqual({ outputs: { embedding } })
  })

  it.each([[[8, 8, 1]], [[4, 4]]])('refuses %j with a hint to flatten', (x) => {
    expect(embeddingHead.inferShapes({ x }, params())).toEqual({
      issues: [
        expect.objectContaining({
          port: 'x',
          message: expect.stringContaining('flatten') as unknown,
          expected: '[n]',
          actual: `[${x.join(', ')}]`,
        }),
      ],
    })
  })
})

describe('model.embeddingHead cost', () => {
  it.each([
    [[64], {}, 64 * 128 + 128, 2 * 64 * 128],
    [[64], { dim: 8 }, 520, 1024],
  ])('%j with %j: %d parameters, %d FLOPs', (x, saved, parameters, flops) => {
    expect(embeddingHead.cost?.({ x }, params(saved))).toEqual({ parameters, flops })
    expect(trainable({ params: saved, inputs: { x: tf.zeros([1, ...x]) } }).size).toBe(parameters)
  })
})

describe('model.embeddingHead forward', () => {
  const weights = () => ({
    kernel: tf.tensor2d([
      [1, 0],
      [0, 1],
      [0, 0],
    ]),
    bias: tf.tensor1d([0, 0]),
  })
  const x = () =>
    tf.tensor2d([
      [3, 4, 9],
      [0, 0, 5],
      [-1, 0, 0],
    ])

  it('maps linearly, then scales to unit length (zero stays zero)', () => {
    const run = runNode(tf, embeddingHead, {
      params: { dim: 2 },
      inputs: { x: x() },
      weights: weights(),
    })
    close(run.outputs.embedding?.arraySync(), [0.6, 0.8, 0, 0, -1, 0])
    run.dispose()
  })

  it('leaves the linear output alone when not normalised', () => {
    const run = runNode(tf, embeddingHead, {
      params: { dim: 2, isNormalized: false },
      inputs: { x: x() },
      weights: weights(),
    })
    close(run.outputs.embedding?.arraySync(), [3, 4, 0, 0, -1, 0])
    run.dispose()
  })

  it('gives unit vectors with random weights', () => {
    const run = runNode(tf, embeddingHead, {
      params: { dim: 16 },
      inputs: { x: tf.randomNormal([4, 10], 0, 1, 'float32', 3) },
    })
    const norms = tf.norm(run.outputs.embedding ?? tf.scalar(0), 'euclidean', 1)
    close(norms.arraySync(), [1, 1, 1, 1])
    norms.dispose()
    run.dispose()
  })

  it('has finite gradients, also through a zero embedding', () => {
    const grads = nodeGradients(tf, embeddingHead, {
      params: { dim: 2 },
      inputs: { x: x() },
      weights: weights(),
      output: 'embedding',
      wrt: ['x', 'kernel', 'bias'],
    })
    for (const grad of Object.values(grads)) {
      expect(grad.dataSync().every(Number.isFinite)).toBe(true)
    }
    tf.dispose(Object.values(grads))
  })

  it('has useful gradients and shares its weights', () => {
    const options = {
      params: { dim: 3 },
      inputs: { x: tf.randomNormal([3, 5], 0, 1, 'float32', 1) },
    }
    expectUsefulGradients(options, ['embedding'])
    expectSharedApplications(
      options,
      { x: tf.randomNormal([2, 5], 0, 1, 'float32', 2) },
      { x: tf.randomNormal([1, 5], 0, 1, 'float32', 3) },
      'embedding',
      'kernel',
    )
  })
})
