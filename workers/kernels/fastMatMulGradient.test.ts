import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerFastMatMulGradient } from './fastMatMulGradient'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Every transpose combination, plain and with a batch axis: [shape of a, shape of b]. */
const CASES = [
  { transposeA: false, transposeB: false, a: [3, 4], b: [4, 5] },
  { transposeA: true, transposeB: false, a: [4, 3], b: [4, 5] },
  { transposeA: false, transposeB: true, a: [3, 4], b: [5, 4] },
  { transposeA: true, transposeB: true, a: [4, 3], b: [5, 4] },
  { transposeA: false, transposeB: true, a: [2, 3, 4], b: [2, 5, 4] },
  { transposeA: true, transposeB: false, a: [2, 4, 3], b: [2, 4, 5] },
]

/** Gradients of Σ w ⊙ (op(a)·op(b)) for fixed random a, b, w; w makes every dC entry differ. */
function gradients(): number[][][] {
  return CASES.map(({ transposeA, transposeB, a, b }, index) =>
    tf.tidy(() => {
      const left = tf.randomNormal(a, 0, 1, 'float32', 10 + index)
      const right = tf.randomNormal(b, 0, 1, 'float32', 20 + index)
      const product = tf.matMul(left, right, transposeA, transposeB)
      const weights = tf.randomNormal(product.shape, 0, 1, 'float32', 30 + index)
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), weights)),
      )([left, right])
      return grads.map((grad) => Array.from(grad.dataSync()))
    }),
  )
}

describe('registerFastMatMulGradient', () => {
  it('gives the stock gradient for every transpose combination, with and without batch axes', () => {
    const stock = gradients()
    const stockConfig = tf.getGradient('BatchMatMul')
    registerFastMatMulGradient(tf)
    expect(tf.getGradient('BatchMatMul')).not.toBe(stockConfig) // the new one is in use
    const fast = gradients()
    fast.forEach((pair, index) => {
      pair.forEach((values, operand) => {
        const expected = stock[index]?.[operand] ?? []
        expect(values).toHaveLength(expected.length)
        values.forEach((value, k) => {
          expect(value).toBeCloseTo(expected[k] ?? Number.NaN, 5)
        })
      })
    })
  })
})
