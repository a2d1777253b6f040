import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  l2Normalize,
  pairwiseDistances,
  safeNorm,
  softmaxCrossEntropy,
  withoutGradient,
} from './tensorMath'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const close = (actual: number[] | number[][], expected: number[] | number[][]) => {
  expect(actual.flat()).toHaveLength(expected.flat().length)
  actual.flat().forEach((value, index) => {
    expect(value).toBeCloseTo(expected.flat()[index] ?? Number.NaN, 5)
  })
}

describe('safeNorm and l2Normalize', () => {
  it('computes norms and unit vectors', () => {
    close(
      safeNorm(
        tf,
        tf.tensor2d([
          [3, 4],
          [0, 0],
        ]),
      ).arraySync() as number[][],
      [[5], [0]],
    )
    close(
      l2Normalize(
        tf,
        tf.tensor2d([
          [3, 4],
          [0, 0],
        ]),
      ).arraySync() as number[][],
      [
        [0.6, 0.8],
        [0, 0],
      ],
    )
  })

  it('has a zero, finite gradient at the zero vector', () => {
    const grad = tf.grad((x: tf.Tensor) => tf.sum(safeNorm(tf, x)))(tf.zeros([1, 3]))
    expect(grad.arraySync()).toEqual([[0, 0, 0]])
    const gradNormalize = tf.grad((x: tf.Tensor) => tf.sum(l2Normalize(tf, x)))(tf.zeros([1, 3]))
    expect(gradNormalize.dataSync().every(Number.isFinite)).toBe(true)
  })
})

describe('pairwiseDistances', () => {
  it('matches hand-computed Euclidean distances', () => {
    const x = tf.tensor2d([
      [0, 0],
      [3, 4],
      [0, 1],
    ])
    close(pairwiseDistances(tf, x).arraySync() as number[][], [
      [0, 5, 1],
      [5, 0, Math.sqrt(9 + 9)],
      [1, Math.sqrt(18), 0],
    ])
  })

  it('has finite gradients despite the zero diagonal and duplicate rows', () => {
    const grad = tf.grad((x: tf.Tensor) => tf.sum(pairwiseDistances(tf, x)))(
      tf.tensor2d([
        [1, 2],
        [1, 2],
        [0, 1],
      ]),
    )
    expect(grad.dataSync().every(Number.isFinite)).toBe(true)
  })
})

describe('softmaxCrossEntropy', () => {
  it('equals −log softmax of the true class, averaged', () => {
    // row 1: logits [2, 0] label 0 → log(1 + e^-2); row 2: [0, 0] label 1 → log 2
    const loss = softmaxCrossEntropy(
      tf,
      tf.tensor2d([
        [2, 0],
        [0, 0],
      ]),
      tf.tensor1d([0, 1], 'int32'),
    )
    expect(loss.dataSync()[0]).toBeCloseTo((Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2, 6)
  })

  it('stays finite for logits of ±64 and more', () => {
    const loss = softmaxCrossEntropy(tf, tf.tensor2d([[64, -64, 100]]), tf.tensor1d([1], 'int32'))
    expect(loss.dataSync()[0]).toBeCloseTo(164, 3)
  })
})

describe('withoutGradient', () => {
  it('computes its value off the tape, so comparisons do not break tf.grad', () => {
    const x = tf.tensor1d([0.3, -0.5, 2])
    const mask = (v: tf.Tensor) => tf.cast(tf.greater(v, 0), 'float32')
    expect(withoutGradient(tf, x, mask).arraySync()).toEqual([1, 0, 1])
    // d/dx Σ mask(x)·x = mask(x): the mask itself contributes nothing.
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(withoutGradient(tf, v, mask), v)))(x)
    expect(grad.arraySync()).toEqual([1, 0, 1])
  })

  it('gives a zero gradient even for a differentiable computation', () => {
    const grad = tf.grad((v: tf.Tensor) => tf.sum(withoutGradient(tf, v, (u) => tf.mul(u, 3))))(
      tf.tensor1d([1, 2]),
    )
    expect(grad.arraySync()).toEqual([0, 0])
  })
})
