import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { describe, expect, it } from 'vitest'
import { registerConvFilterGradients } from './convFilterGradient'

/** Strided, unit-stride, odd and even kernels, same and valid padding. */
const CASES = [
  { kernel: 4, stride: 2, pad: 'same', size: 8 },
  { kernel: 3, stride: 1, pad: 'same', size: 7 },
  { kernel: 3, stride: 2, pad: 'valid', size: 9 },
  { kernel: 4, stride: 2, pad: 'valid', size: 10 },
] as const

/** Input and filter gradients of conv2d and conv2dTranspose for every case (seeds ≥ 1: 0 means unseeded). */
function gradients(): number[][] {
  return CASES.flatMap(({ kernel, stride, pad, size }, index) =>
    tf.tidy(() => {
      const x = tf.randomNormal<tf.Rank.R4>([2, size, size, 3], 0, 1, 'float32', 1 + index)
      const filter = tf.randomNormal([kernel, kernel, 3, 5], 0, 1, 'float32', 10 + index)
      const out = tf.conv2d(x, filter as tf.Tensor4D, stride, pad)
      const weights = tf.randomNormal(out.shape, 0, 1, 'float32', 20 + index)
      const conv = tf.grads((a: tf.Tensor, w: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, stride, pad), weights)),
      )([x, filter])
      // conv2dTranspose maps `out`-shaped inputs back to x's shape with a [k, k, 3, 5] filter.
      const back = tf.grads((a: tf.Tensor, w: tf.Tensor) =>
        tf.sum(
          tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, x.shape, stride, pad), x),
        ),
      )([weights, filter])
      return [...conv, ...back].map((grad) => Array.from(grad.dataSync()))
    }),
  )
}

describe('registerConvFilterGradients', () => {
  it('gives TF.js’s own gradients on the CPU and WASM backends, for convolutions and transposed ones', async () => {
    await tf.setBackend('cpu')
    const expected = gradients()
    registerConvFilterGradients(tf)
    const onCpu = gradients()
    await tf.setBackend('wasm') // which has no filter-gradient kernel of its own
    const onWasm = gradients()
    await tf.setBackend('cpu')
    for (const [backend, actual] of [
      ['cpu', onCpu],
      ['wasm', onWasm],
    ] as const) {
      expect(actual).toHaveLength(expected.length)
      actual.forEach((values, index) => {
        const reference = expected[index] ?? []
        expect(values.length).toBe(reference.length)
        const errors = values.map((value, k) => Math.abs(value - (reference[k] ?? NaN)))
        expect(Math.max(...errors), `${backend} gradient ${index}`).toBeLessThan(1e-3)
      })
    }
  })
})
