import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { describe, expect, it } from 'vitest'
import { registerWasmConvTransposeKernel } from './wasmConvTransposeKernel'

/**
 * Transposed convolutions as the generators use them and odd shapes around them. Strides of 2
 * and 3 go by phases, also with filters the stride does not divide; stride 1 goes by dilation;
 * results with fewer than 8 channels go to WASM's own kernel.
 */
const CASES = [
  { size: 7, kernel: 4, stride: 2, pad: 'same', channels: [3, 9] },
  { size: 14, kernel: 4, stride: 2, pad: 'same', channels: [2, 1] },
  { size: 5, kernel: 3, stride: 1, pad: 'same', channels: [4, 8] },
  { size: 5, kernel: 3, stride: 1, pad: 'valid', channels: [4, 2] },
  { size: 6, kernel: 3, stride: 2, pad: 'valid', channels: [2, 10] },
  { size: 4, kernel: 4, stride: 2, pad: 'valid', channels: [1, 12] },
  { size: 5, kernel: 5, stride: 2, pad: 'same', channels: [3, 8] },
  { size: 3, kernel: 4, stride: 3, pad: 'same', channels: [2, 9] },
  { size: 3, kernel: 2, stride: 3, pad: 'valid', channels: [2, 8] },
] as const

/** conv2dTranspose outputs and the input gradients of conv2d, for every case (seeds ≥ 1). */
function results(): number[][] {
  return CASES.flatMap(({ size, kernel, stride, pad, channels: [inC, outC] }, index) =>
    tf.tidy(() => {
      const x = tf.randomNormal<tf.Rank.R4>([2, size, size, inC], 0, 1, 'float32', 1 + index)
      const filter = tf.randomNormal<tf.Rank.R4>([kernel, kernel, outC, inC], 0, 1, 'float32', 20)
      // A transposed conv from x's inC channels up to outC; its output shape is what a conv
      // with that filter would map back to x's shape.
      const outSize = pad === 'same' ? size * stride : (size - 1) * stride + kernel
      const up = tf.conv2dTranspose(x, filter, [2, outSize, outSize, outC], stride, pad)
      const weights = tf.randomNormal(tf.conv2d(up, filter, stride, pad).shape, 0, 1, 'float32', 30)
      const [inputGrad] = tf.grads((a: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, filter, stride, pad), weights)),
      )([up])
      return [up, inputGrad].map((tensor) => Array.from(tensor?.dataSync() ?? []))
    }),
  )
}

describe('registerWasmConvTransposeKernel', () => {
  it('gives the CPU backend’s transposed convolutions and conv input gradients on WASM', async () => {
    await tf.setBackend('cpu')
    const expected = results()
    await tf.setBackend('wasm')
    const stock = tf.getKernel('Conv2DBackpropInput', 'wasm')
    registerWasmConvTransposeKernel(tf)
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).not.toBe(stock)
    const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() }
    const actual = results()
    // Every temporary of the composed kernels is freed in the backend too.
    expect({ tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() }).toEqual(
      before,
    )
    await tf.setBackend('cpu')
    expect(actual).toHaveLength(expected.length)
    actual.forEach((values, index) => {
      const reference = expected[index] ?? []
      expect(values.length, `result ${index}`).toBe(reference.length)
      expect(values.length).toBeGreaterThan(0)
      const errors = values.map((value, k) => Math.abs(value - (reference[k] ?? NaN)))
      expect(Math.max(...errors), `result ${index}`).toBeLessThan(1e-3)
    })
  })
})
