import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runBackendSelfCheck, selfCheckProblem } from './backendSelfCheck'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('runBackendSelfCheck on the CPU backend', () => {
  it('brings the loss down to well under half in 20 steps', async () => {
    const { losses } = await runBackendSelfCheck(tf, { steps: 20 })
    expect(losses).toHaveLength(20)
    expect(losses.every(Number.isFinite)).toBe(true)
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) * 0.5)
    expect(selfCheckProblem({ losses, milliseconds: 0 })).toBeUndefined()
  })

  it('is deterministic for a seed', async () => {
    const a = await runBackendSelfCheck(tf, { steps: 5, seed: 3 })
    const b = await runBackendSelfCheck(tf, { steps: 5, seed: 3 })
    expect(b.losses).toEqual(a.losses)
  })

  it('leaves no tensors behind', async () => {
    await runBackendSelfCheck(tf, { steps: 2 })
    const before = tf.memory().numTensors
    await runBackendSelfCheck(tf, { steps: 5 })
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('selfCheckProblem', () => {
  it.each([
    [[], /no steps/],
    [[1, Number.NaN], /became NaN at step 2/],
    [[1, Infinity], /became Infinity/],
    [[1, 1.5], /did not go down/],
  ])('flags %j', (losses, message) => {
    expect(selfCheckProblem({ losses, milliseconds: 0 })).toMatch(message)
  })
})
