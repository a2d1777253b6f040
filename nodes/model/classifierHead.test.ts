import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveParams } from '../../graph-core/params'
import { buildNode, nodeGradients, runNode, type RunNodeOptions } from '../../graph-core/runNode'
import { classifierHead } from './classifierHead'

const NODE = classifierHead

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const params = (saved: Record<string, unknown> = {}) =>
  resolveParams(classifierHead.params, saved).values

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
