import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveParams } from '../../graph-core/params'
import { buildNode, nodeGradients, runNode, type RunNodeOptions } from '../../graph-core/runNode'
import { conv } from './conv'

const NODE = conv

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const params = (saved: Record<string, unknown> = {}) => resolveParams(conv.params, saved).values

const close = (actual: unknown, expected: readonly number[], digits = 4) => {
  const values = [actual].flat(5) as number[]
  expect(values).toHaveLength(expected.length)
  values.forEach((value, index) => {
    expect(value).toBeCloseTo(expected[index] ?? Number.NaN, digits)
  })
}

/** Names and total size of the trainable variables the node creates. */
function trainable(options: RunNodeOptions) {
  const node = buildNode(tf, NODE, options)
  const entries = [...node.variables].filter(([, variable]) => variable.trainable)
  const result = {
    names: entries.map(([name]) => name),
    size: entries.reduce((total, [, variable]) => total + variable.size, 0),
  }
  node.dispose()
  return result
}

/** Every trainable variable gets a finite gradient, non-zero for at least one of the outputs. */
function expectUsefulGradients(options: RunNodeOptions, outputs: readonly string[]) {
  const { names } = trainable(options)
  expect(names.length).toBeGreaterThan(0)
  const magnitudes = new Map(names.map((name) => [name, 0]))
  for (const output of outputs) {
    const grads = nodeGradients(tf, NODE, { ...options, output, wrt: names })
    for (const [name, grad] of Object.entries(grads)) {
      expect(grad.dataSync().every(Number.isFinite), name).toBe(true)
      magnitudes.set(name, (magnitudes.get(name) ?? 0) + (grad.abs().sum().dataSync()[0] ?? 0))
    }
    tf.dispose(Object.values(grads))
  }
  for (const [name, magnitude] of magnitudes) expect(magnitude, name).toBeGreaterThan(0)
}

/**
 * One built node applied to two inputs and to both batched together gives the same rows (same
 * variables); a changed variable changes every application; forward creates no tensors that
 * outlive its outputs, over repeated passes with their after-step updates.
 */
function expectSharedApplications(
  options: RunNodeOptions,
  first: Record<string, tf.Tensor>,
  second: Record<string, tf.Tensor>,
  output: string,
  variableToShift: string,
) {
  const node = buildNode(tf, NODE, options)
  const variableCount = node.variables.size
  const tensors = tf.memory().numTensors
  const joined = Object.fromEntries(
    Object.keys(first).map((port) => [
      port,
      tf.concat([first[port], second[port]].filter(isTensor)),
    ]),
  )
  const apply = (inputs: Record<string, tf.Tensor>) => {
    const { outputs, metrics } = node.forward(inputs)
    tf.dispose(Object.values(metrics))
    node.runAfterStep()
    const value = outputs[output]?.arraySync()
    tf.dispose(Object.values(outputs))
    return value
  }
  const a = apply(first)
  const b = apply(second)
  close(apply(joined), [a, b].flat(5) as number[])
  expect(node.variables.size).toBe(variableCount)

  const shifted = node.variables.get(variableToShift)
  expect(shifted, variableToShift).toBeDefined()
  const shift = tf.tidy(() => tf.add(shifted ?? tf.scalar(0), 1))
  shifted?.assign(shift)
  for (const [inputs, before] of [
    [first, a],
    [second, b],
  ] as const) {
    const after = apply(inputs)
    expect(after).not.toEqual(before)
  }
  tf.dispose([...Object.values(joined), shift])
  expect(tf.memory().numTensors).toBe(tensors)
  for (let index = 0; index < 3; index++) apply(first)
  expect(tf.memory().numTensors).toBe(tensors)
  node.dispose()
}

const isTensor = (value: tf.Tensor | undefined): value is tf.Tensor => value !== undefined

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
