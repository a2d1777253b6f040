/**
 * Checks shared by the tests of trainable blocks (nodes/model): trainable variables, useful
 * gradients, and weight sharing across applications. Test support only: it uses Vitest's
 * `expect`, and `tf` is passed in like everywhere in nodes/.
 */
import type * as TfJs from '@tensorflow/tfjs'
import { expect } from 'vitest'
import type { AnyNodeDefinition, Tensor } from '../../graph-core/nodeDefinition'
import { resolveParams, type ParamValues } from '../../graph-core/params'
import { buildNode, nodeGradients, type RunNodeOptions } from '../../graph-core/runNode'

/** Every value (nested arrays flattened) is close to its expected value. */
export function close(actual: unknown, expected: readonly number[], digits = 4): void {
  const values = [actual].flat(5) as number[]
  expect(values).toHaveLength(expected.length)
  values.forEach((value, index) => {
    expect(value).toBeCloseTo(expected[index] ?? Number.NaN, digits)
  })
}

const isTensor = (value: Tensor | undefined): value is Tensor => value !== undefined

export function blockTestKit<D extends AnyNodeDefinition>(tf: typeof TfJs, definition: D) {
  /** The params a node runs with for these saved values. */
  const params = (saved: Record<string, unknown> = {}): ParamValues<D['params']> =>
    resolveParams(definition.params, saved).values

  /** Names and total size of the trainable variables the node creates. */
  function trainable(options: RunNodeOptions) {
    const node = buildNode(tf, definition, options)
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
      const grads = nodeGradients(tf, definition, { ...options, output, wrt: names })
      for (const [name, grad] of Object.entries(grads)) {
        expect(grad.dataSync().every(Number.isFinite), name).toBe(true)
        magnitudes.set(name, (magnitudes.get(name) ?? 0) + (grad.abs().sum().dataSync()[0] ?? 0))
      }
      tf.dispose(Object.values(grads))
    }
    for (const [name, magnitude] of magnitudes) expect(magnitude, name).toBeGreaterThan(0)
  }

  /**
   * One built node applied to two inputs and to both batched together gives the same rows
   * (same variables); a changed variable changes every application; forward creates no
   * tensors that outlive its outputs, over repeated passes with their after-step updates.
   */
  function expectSharedApplications(
    options: RunNodeOptions,
    first: Record<string, Tensor>,
    second: Record<string, Tensor>,
    output: string,
    variableToShift: string,
  ) {
    const node = buildNode(tf, definition, options)
    const variableCount = node.variables.size
    const tensors = tf.memory().numTensors
    const joined = Object.fromEntries(
      Object.keys(first).map((port) => [
        port,
        tf.concat([first[port], second[port]].filter(isTensor)),
      ]),
    )
    const apply = (inputs: Record<string, Tensor>) => {
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
      expect(apply(inputs)).not.toEqual(before)
    }
    tf.dispose([...Object.values(joined), shift])
    expect(tf.memory().numTensors).toBe(tensors)
    for (let index = 0; index < 3; index++) apply(first)
    expect(tf.memory().numTensors).toBe(tensors)
    node.dispose()
  }

  return { params, trainable, expectUsefulGradients, expectSharedApplications }
}
