import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph } from '../../graph-core/compiler'
import { SEMINAR_GRAPHS } from './seminarGraphs'
import { testRegistry } from './syntheticData'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const ITERATIONS = 20
const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length

describe.each(Object.entries(SEMINAR_GRAPHS))('%s', (_name, build) => {
  // Conv backprop on TF.js's CPU backend is slow: the image-to-image graphs take seconds.
  it(
    `compiles without diagnostics, trains ${ITERATIONS} steps with a falling loss and a flat tensor count`,
    { timeout: 60_000 },
    async () => {
      const before = tf.memory().numTensors
      const compiled = compileGraph(tf, build(), testRegistry)
      expect(compiled.diagnostics).toEqual([])
      if (!compiled.ok) return
      const { program } = compiled
      const curves: Record<string, number[]> = {}
      let tensorsAfterWarmup = 0
      for (let step = 1; step <= ITERATIONS; step++) {
        const result = await program.runIteration()
        if (!result.ok) throw new Error(result.diagnostic.message)
        for (const [name, value] of Object.entries(result.losses)) (curves[name] ??= []).push(value)
        if (step === 2) tensorsAfterWarmup = tf.memory().numTensors
      }
      expect(tf.memory().numTensors).toBe(tensorsAfterWarmup)
      // The loss every graph must bring down: the only optimizer's, or D's in a GAN (its G
      // loss rises while D learns, which is the game).
      const watched = curves.opt ?? curves.optD ?? []
      expect(watched.every(Number.isFinite)).toBe(true)
      expect(mean(watched.slice(-5))).toBeLessThan(mean(watched.slice(0, 5)))
      for (const values of Object.values(curves)) expect(values.every(Number.isFinite)).toBe(true)
      program.dispose()
      expect(tf.memory().numTensors).toBe(before) // every variable and kept tensor freed
    },
  )
})
