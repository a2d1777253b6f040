import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockTestKit, close } from '../testing/blockTestKit'
import { buildNode, runNode } from '../../graph-core/runNode'
import { conv } from './conv'

const { params, trainable, expectUsefulGradients, expectSharedApplications } = blockTestKit(
  tf,
  conv,
)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.conv shapes', () => {
  it.each([
    [[8, 8, 1], {}, [8, 8, 32]],
    [[8, 8, 1], { filters: 4, stride: 2 }, [4, 4, 4]],
    // Same padding rounds up.
    [[5, 7, 3], { filters: 2, stride: 2, kernelSize: 5 }, [3, 4, 2]],
    [[4, 4, 3], { filters: 2, stride: 2, isTransposed: true }, [8, 8, 2]],
    [[3, 5, 1], { filters: 1, stride: 1, isTransposed: true }, [3, 5, 1]],
  ])('%j with %j → %j', (x, saved, y) => {
    expect(conv.inferShapes({ x }, params(saved))).toEqual({ outputs: { y } })
  })

  it.each([[[64]], [[8, 8]], [[]], [[1, 8, 8, 1]]])('refuses %j', (x) => {
    expect(conv.inferShapes({ x }, params())).toEqual({
      issues: [
        expect.objectContaining({ port: 'x', expected: '[h, w, c]', actual: `[${x.join(', ')}]` }),
      ],
    })
    expect(conv.cost?.({ x }, params())).toEqual({ parameters: 0, flops: 0 })
  })

  it('names the port in the build error', () => {
    expect(() => runNode(tf, conv, { inputs: { x: tf.zeros([2, 16]) } })).toThrow(
      /input x: Conv takes an image.*expected \[h, w, c\], got \[16\]/,
    )
  })
})

describe('model.conv cost', () => {
  it.each([
    // 3·3·2·4 = 72 weights + 4; 2·72 per output pixel × 8·8.
    [[8, 8, 2], { filters: 4 }, 76, 2 * 72 * 64],
    [[8, 8, 2], { filters: 4, stride: 2 }, 76, 2 * 72 * 16],
    // 4·4·3·2 = 96 weights + 2; 2·96 per input pixel × 4·4.
    [[4, 4, 3], { filters: 2, kernelSize: 4, stride: 2, isTransposed: true }, 98, 2 * 96 * 16],
  ])('%j with %j: %d parameters, %d FLOPs', (x, saved, parameters, flops) => {
    expect(conv.cost?.({ x }, params(saved))).toEqual({ parameters, flops })
    expect(trainable({ params: saved, inputs: { x: tf.zeros([1, ...x]) } }).size).toBe(parameters)
  })

  it('creates kernel and bias, transposed kernels as [k, k, out, in]', () => {
    const node = buildNode(tf, conv, {
      params: { filters: 5, kernelSize: 3, stride: 2, isTransposed: true },
      inputs: { x: tf.zeros([1, 4, 4, 2]) },
    })
    expect(Object.fromEntries([...node.variables].map(([name, v]) => [name, v.shape]))).toEqual({
      kernel: [3, 3, 5, 2],
      bias: [5],
    })
    node.dispose()
  })
})

describe('model.conv forward', () => {
  it('convolves with same padding and applies the activation', () => {
    const run = runNode(tf, conv, {
      params: { filters: 1, kernelSize: 3, activation: 'relu' },
      inputs: { x: tf.tensor4d([1, 2, 3, 4, -1, -2, -3, -4], [2, 2, 2, 1]) },
      weights: {
        kernel: tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]),
        bias: tf.tensor1d([-40]),
      },
    })
    // Top-left 1·5 + 2·6 + 3·8 + 4·9 = 77, top-right 67, then 47, 37; minus 40; the negated
    // image gives negatives, which relu clears.
    close(run.outputs.y?.arraySync(), [37, 27, 7, 0, 0, 0, 0, 0])
    run.dispose()
  })

  it('upsamples when transposed', () => {
    const run = runNode(tf, conv, {
      params: { filters: 1, kernelSize: 2, stride: 2, isTransposed: true, activation: 'linear' },
      inputs: { x: tf.tensor4d([1, -2], [1, 1, 2, 1]) },
      weights: { kernel: tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]), bias: tf.tensor1d([0.5]) },
    })
    // Each input pixel scatters x·K over its own 2×2 block.
    expect(run.outputs.y?.shape).toEqual([1, 2, 4, 1])
    close(run.outputs.y?.arraySync(), [1.5, 2.5, -1.5, -3.5, 3.5, 4.5, -5.5, -7.5])
    run.dispose()
  })
})

describe('model.conv gradients and sharing', () => {
  it.each([
    { filters: 3, stride: 2, activation: 'tanh' },
    { filters: 2, kernelSize: 4, stride: 2, isTransposed: true, activation: 'elu' },
  ])('reach kernel and bias: %j', (saved) => {
    expectUsefulGradients(
      { params: saved, inputs: { x: tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 5) } },
      ['y'],
    )
  })

  it('applies the same variables to every input', () => {
    expectSharedApplications(
      { params: { filters: 2, activation: 'linear' }, inputs: { x: tf.zeros([1, 4, 4, 1]) } },
      { x: tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 1) },
      { x: tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 2) },
      'y',
      'kernel',
    )
  })
})
