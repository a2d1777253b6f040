/**
 * Every loss node gives the same value and gradient on the WASM backend (with the worker's
 * replacement kernels) as on the CPU backend, on which the nodes' own tests check the maths.
 * TF.js backends differ in more than speed: 4.22's WASM `oneHot` ignored its dtype and made the
 * centre term and batch-hard mining silently zero, which only a comparison like this catches.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { afterAll, describe, expect, it } from 'vitest'
import type { AnyNodeDefinition } from '../graph-core/nodeDefinition'
import { nodeGradients, runNode } from '../graph-core/runNode'
import { nodeRegistry } from '../nodes/registry'
import { registerFastPaths } from './kernels/fastPaths'

const BATCH = 12
const CLASSES = 5

/** Four identities × three photos: every anchor has positives and negatives. */
const LABELS = Array.from({ length: BATCH }, (_, index) => Math.floor(index / 3))

/** Seeded inputs for each input port name the loss nodes use. */
function inputsFor(definition: AnyNodeDefinition): Record<string, tf.Tensor> {
  const make: Record<string, () => tf.Tensor> = {
    embeddings: () => tf.randomNormal([BATCH, 8], 0, 1, 'float32', 1),
    labels: () => tf.tensor1d(LABELS, 'int32'),
    logits: () => tf.randomNormal([BATCH, CLASSES], 0, 2, 'float32', 2),
  }
  return Object.fromEntries(
    Object.keys(definition.inputs).map((port) => {
      const value = make[port]
      if (value === undefined) throw new Error(`no test input for ${definition.type}.${port}`)
      return [port, value()]
    }),
  )
}

interface Case {
  type: string
  params: Record<string, unknown>
  /** Inputs to differentiate by. */
  wrt: string[]
}

const CASES: Case[] = [
  { type: 'loss.softmaxCE', params: {}, wrt: ['logits'] },
  { type: 'loss.center', params: { classes: CLASSES }, wrt: ['embeddings', 'logits'] },
  { type: 'loss.arcFace', params: { classes: CLASSES }, wrt: ['embeddings'] },
  { type: 'loss.cosFace', params: { classes: CLASSES }, wrt: ['embeddings'] },
  { type: 'loss.sphereFace', params: { classes: CLASSES }, wrt: ['embeddings'] },
  { type: 'loss.contrastive', params: {}, wrt: ['embeddings'] },
  ...['all', 'semiHard', 'hard', 'batchHard'].map((mining) => ({
    type: 'loss.triplet',
    params: { mining },
    wrt: ['embeddings'],
  })),
]

interface Result {
  loss: number
  metrics: Record<string, number>
  gradients: Record<string, number[]>
}

function evaluate({ type, params, wrt }: Case): Result {
  const definition = nodeRegistry.get(type)
  if (definition === undefined) throw new Error(`${type} is not registered`)
  const inputs = inputsFor(definition)
  // The class-matrix losses initialise their weights from the seed: the same on both backends.
  const run = runNode(tf, definition, { params, inputs, seed: 7 })
  const gradients = nodeGradients(tf, definition, { params, inputs, seed: 7, output: 'loss', wrt })
  try {
    return {
      loss: run.outputs.loss?.dataSync()[0] ?? Number.NaN,
      metrics: Object.fromEntries(
        Object.entries(run.metrics).map(([name, value]) => [name, value.dataSync()[0] ?? 0]),
      ),
      gradients: Object.fromEntries(
        Object.entries(gradients).map(([name, value]) => [name, Array.from(value.dataSync())]),
      ),
    }
  } finally {
    run.dispose()
    tf.dispose([...Object.values(inputs), ...Object.values(gradients)])
  }
}

function expectClose(actual: number, expected: number, what: string) {
  const tolerance = 1e-4 * Math.max(1, Math.abs(expected))
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThan(tolerance)
}

describe('loss nodes on WASM', () => {
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  it('give the CPU backend’s losses, reported metrics and gradients', async () => {
    await tf.setBackend('cpu')
    const expected = CASES.map(evaluate)
    await tf.setBackend('wasm')
    registerFastPaths(tf, 'wasm')
    const actual = CASES.map(evaluate)

    CASES.forEach((testCase, index) => {
      const name = `${testCase.type} ${JSON.stringify(testCase.params)}`
      const want = expected[index]
      const got = actual[index]
      if (want === undefined || got === undefined) throw new Error(`no result for ${name}`)
      // A loss of 0 everywhere would also agree: the CPU values must be real ones.
      expect(want.loss, name).toBeGreaterThan(0)
      expectClose(got.loss, want.loss, `${name} loss`)
      for (const [metric, value] of Object.entries(want.metrics)) {
        expectClose(got.metrics[metric] ?? Number.NaN, value, `${name} ${metric}`)
      }
      for (const [input, values] of Object.entries(want.gradients)) {
        expect(
          values.some((value) => value !== 0),
          `${name} ∂/∂${input} is not all zero`,
        ).toBe(true)
        values.forEach((value, at) => {
          expectClose(got.gradients[input]?.[at] ?? Number.NaN, value, `${name} ∂/∂${input}[${at}]`)
        })
      }
    })
  })
})
