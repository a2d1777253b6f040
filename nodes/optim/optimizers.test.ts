import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveParams } from '../../graph-core/params'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { adam } from './adam'
import { decayedLearningRate } from './optimizerParams'
import { rmsprop } from './rmsprop'
import { sgd } from './sgd'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Steps x² from x = 1 and returns x after each step. */
function trajectory(definition: AnyNodeDefinition, params: Record<string, unknown>, steps: number) {
  const create = definition.createOptimizer
  if (create === undefined) throw new Error('not an optimizer')
  const optimizer = create(tf, resolveParams(definition.params, params).values)
  const x = tf.variable(tf.scalar(1))
  const values: number[] = []
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => tf.square(x), false, [x])
    values.push(x.dataSync()[0] ?? Number.NaN)
  }
  optimizer.dispose()
  x.dispose()
  return values
}

describe('optimizers step as their definitions say (loss x², x₀ = 1, gradient 2x)', () => {
  it('SGD: x ← x − lr·2x', () => {
    const [first, second] = trajectory(sgd, { learningRate: 0.1 }, 2)
    expect(first).toBeCloseTo(0.8, 6)
    expect(second).toBeCloseTo(0.64, 6)
  })

  it('SGD with momentum 0.9: v ← 0.9v + g, x ← x − lr·v', () => {
    // v₁ = 2, x₁ = 0.8; v₂ = 0.9·2 + 1.6 = 3.4, x₂ = 0.8 − 0.34 = 0.46
    const [first, second] = trajectory(sgd, { learningRate: 0.1, momentum: 0.9 }, 2)
    expect(first).toBeCloseTo(0.8, 6)
    expect(second).toBeCloseTo(0.46, 6)
  })

  it('Adam: the first bias-corrected step moves by about the learning rate', () => {
    // m̂ = g, v̂ = g², step = lr·g/(|g| + ε) ≈ lr
    const [first] = trajectory(adam, { learningRate: 0.01 }, 1)
    expect(first).toBeCloseTo(0.99, 5)
  })

  it('RMSProp: ms = (1 − ρ)g², x ← x − lr·g/√ms', () => {
    // ms = 0.1·4 = 0.4; step = 0.001·2/√0.4 = 0.0031623
    const [first] = trajectory(rmsprop, { learningRate: 0.001 }, 1)
    expect(first).toBeCloseTo(1 - (0.001 * 2) / Math.sqrt(0.4), 5)
  })

  it('every optimizer brings x² down and shares steps, order and trains', () => {
    const definitions: AnyNodeDefinition[] = [adam, sgd, rmsprop]
    for (const definition of definitions) {
      const values = trajectory(definition, { learningRate: 0.05 }, 30)
      expect(Math.abs(values.at(-1) ?? 1)).toBeLessThan(1)
      expect(Object.keys(definition.params)).toEqual(
        expect.arrayContaining(['steps', 'order', 'trains']),
      )
      expect(
        definition.inferShapes({ loss: [] }, resolveParams(definition.params, {}).values),
      ).toEqual({ outputs: {} })
    }
  })
})

describe('decayedLearningRate', () => {
  const schedule = { learningRate: 0.1, decayStart: 10, decaySteps: 4 }

  it('keeps the rate until the decay starts, then falls linearly to zero and stays there', () => {
    const rates = [0, 9, 10, 11, 12, 13, 14, 100].map((step) => decayedLearningRate(schedule, step))
    const expected = [0.1, 0.1, 0.1, 0.075, 0.05, 0.025, 0, 0]
    rates.forEach((rate, index) => {
      expect(rate).toBeCloseTo(expected[index] ?? Number.NaN, 10)
    })
  })

  it('keeps the rate constant with decayStart 0, the default', () => {
    expect(decayedLearningRate({ ...schedule, decayStart: 0 }, 1e6)).toBe(0.1)
    for (const definition of [adam, sgd, rmsprop] as AnyNodeDefinition[]) {
      const params = resolveParams(definition.params, { learningRate: 0.1 }).values
      expect(definition.learningRateAt?.(params, 1e6)).toBe(0.1)
      const decaying = resolveParams(definition.params, {
        learningRate: 0.1,
        decayStart: 5,
        decaySteps: 10,
      }).values
      expect(definition.learningRateAt?.(decaying, 10)).toBeCloseTo(0.05, 10)
    }
  })
})

describe('weight averaging', () => {
  it('is off by default and names its β when set, on every optimizer', () => {
    for (const definition of [adam, sgd, rmsprop] as AnyNodeDefinition[]) {
      const off = resolveParams(definition.params, {}).values
      expect(definition.weightAveragingOf?.(off)).toBe(0)
      const on = resolveParams(definition.params, { averaging: 0.999 }).values
      expect(definition.weightAveragingOf?.(on)).toBe(0.999)
    }
  })
})
