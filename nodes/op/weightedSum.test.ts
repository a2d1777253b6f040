import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ShapesOf } from '../../graph-core/nodeDefinition'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import type { Shape } from '../../graph-core/shapes'
import { weightedSum } from './weightedSum'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

type Port = 'a' | 'b' | 'c' | 'd'

const DEFAULT_WEIGHTS = { weightA: 1, weightB: 1, weightC: 1, weightD: 1 }

/** Shapes of the connected ports only (the contract types every port as present). */
const shapes = (connected: Partial<Record<Port, Shape>>) =>
  connected as ShapesOf<typeof weightedSum.inputs>

/** Runs the node on scalar losses; ports not given stay unconnected. */
function sum(losses: Partial<Record<Port, number>>, params: Record<string, number> = {}): number {
  const inputs = Object.fromEntries(
    Object.entries(losses).map(([port, value]) => [port, tf.scalar(value)]),
  )
  const run = runNode(tf, weightedSum, { params, inputs })
  expect(run.outputs.loss?.shape).toEqual([])
  const [loss] = run.outputs.loss?.dataSync() ?? []
  run.dispose()
  tf.dispose(Object.values(inputs))
  return loss ?? Number.NaN
}

describe('op.weightedSum shapes', () => {
  it.each([[{ a: [] }], [{ a: [], b: [] }], [{ a: [], c: [] }], [{ a: [], b: [], c: [], d: [] }]])(
    '%j gives a scalar loss',
    (connected) => {
      expect(weightedSum.inferShapes(shapes(connected), DEFAULT_WEIGHTS)).toEqual({
        outputs: { loss: [] },
      })
    },
  )

  it.each([
    [{ a: [3] }, [{ port: 'a', actual: '[3]' }]],
    [{ a: [], c: [2, 2] }, [{ port: 'c', actual: '[2, 2]' }]],
    [
      { a: [1], b: [], d: [4] },
      [
        { port: 'a', actual: '[1]' },
        { port: 'd', actual: '[4]' },
      ],
    ],
  ])('%j is refused', (connected, issues) => {
    expect(weightedSum.inferShapes(shapes(connected), DEFAULT_WEIGHTS)).toEqual({
      issues: issues.map(({ port, actual }) => ({
        port,
        message: `${port} must be a loss, a single number per batch`,
        expected: '[]',
        actual,
      })),
    })
  })

  it('weighs every input 1 by default, on a log-scale slider', () => {
    for (const weight of ['weightA', 'weightB', 'weightC', 'weightD'] as const) {
      expect(weightedSum.params[weight]).toMatchObject({ default: 1, min: 0, isLogScale: true })
    }
  })
})

describe('op.weightedSum forward', () => {
  it('passes a single loss through with weight 1', () => {
    expect(sum({ a: 2.5 })).toBeCloseTo(2.5, 6)
  })

  it('adds the connected losses times their weights', () => {
    // 1·2 + 0.5·3 = 3.5
    expect(sum({ a: 2, b: 3 }, { weightB: 0.5 })).toBeCloseTo(3.5, 6)
    // 1·2 + 0.5·3 + 0.1·10 + 2·(−1) = 2 + 1.5 + 1 − 2 = 2.5
    expect(
      sum({ a: 2, b: 3, c: 10, d: -1 }, { weightB: 0.5, weightC: 0.1, weightD: 2 }),
    ).toBeCloseTo(2.5, 6)
  })

  it('combines reconstruction + β·KL and adversarial + λ·L1 (pix2pix, λ = 100)', () => {
    // VAE, β = 4: 0.3 + 4 · 0.05 = 0.5
    expect(sum({ a: 0.3, b: 0.05 }, { weightB: 4 })).toBeCloseTo(0.5, 6)
    // pix2pix: 0.7 + 100 · 0.01 = 1.7
    expect(sum({ a: 0.7, b: 0.01 }, { weightB: 100 })).toBeCloseTo(1.7, 5)
  })

  it('ignores the weights of unconnected inputs', () => {
    // b and d are absent: 3·2 + 1·1 = 7, whatever weightB and weightD say
    expect(sum({ a: 2, c: 1 }, { weightA: 3, weightB: 100, weightD: 50 })).toBeCloseTo(7, 6)
  })

  it('has each weight as the gradient of its input', () => {
    const grads = nodeGradients(tf, weightedSum, {
      params: { weightA: 1, weightB: 0.25, weightC: 100 },
      inputs: { a: tf.scalar(2), b: tf.scalar(3), c: tf.scalar(0.5) },
      output: 'loss',
      wrt: ['a', 'b', 'c'],
    })
    expect(grads.a?.dataSync()[0]).toBe(1)
    expect(grads.b?.dataSync()[0]).toBe(0.25)
    expect(grads.c?.dataSync()[0]).toBe(100)
    tf.dispose(Object.values(grads))
  })

  it('leaves no tensors behind', () => {
    const a = tf.scalar(1)
    const b = tf.scalar(2)
    const before = tf.memory().numTensors
    runNode(tf, weightedSum, { params: { weightB: 0.5 }, inputs: { a, b } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([a, b])
  })
})
