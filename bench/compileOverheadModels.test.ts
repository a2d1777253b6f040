/**
 * The compile-overhead bench is fair only if both sides train the same model: the same
 * variables (names, shapes, so the same parameter count) and, from the same weights and
 * inputs, the same losses — at step 0 and after one update (same optimizer settings).
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph } from '../graph-core/compiler'
import { BENCH_MODELS, benchRegistry, type BenchModel } from './compileOverheadModels'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const count = (shapes: Iterable<readonly number[]>) =>
  [...shapes].reduce((total, shape) => total + shape.reduce((a, b) => a * b, 1), 0)

describe.each(BENCH_MODELS.map((model) => [model.name, model] as const))(
  'bench model %s',
  (_name, model: BenchModel<unknown>) => {
    it('has the same variables and losses compiled and by hand', async () => {
      const config = model.sizes.tiny
      const compiled = compileGraph(tf, model.document(config), benchRegistry)
      if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '))
      const { program } = compiled
      const hand = model.handWritten(tf, config)
      try {
        const compiledShapes = Object.fromEntries(
          program.variables.map((entry) => [entry.name, [...entry.variable.shape]]),
        )
        const handShapes = Object.fromEntries(
          [...hand.variables].map(([name, variable]) => [name, [...variable.shape]]),
        )
        expect(handShapes).toEqual(compiledShapes)
        const compiledTrainable = program.variables.filter((entry) => entry.isTrainable)
        expect([...hand.trainable].sort()).toEqual(
          compiledTrainable.map((entry) => entry.name).sort(),
        )
        expect(
          count([...hand.trainable].map((name) => hand.variables.get(name)?.shape ?? [])),
        ).toBe(count(compiledTrainable.map((entry) => entry.variable.shape)))

        // Same weights: the program's values into the hand-written variables.
        for (const entry of program.variables)
          hand.variables.get(entry.name)?.assign(entry.variable)
        for (let iteration = 0; iteration < 3; iteration++) {
          const result = await program.runIteration()
          if (!result.ok) throw new Error(result.diagnostic.message)
          const losses = await hand.step()
          expect(Object.keys(losses).sort()).toEqual(Object.keys(result.losses).sort())
          for (const [optimizer, loss] of Object.entries(result.losses)) {
            expect(losses[optimizer]).toBeCloseTo(loss, 4)
          }
        }
      } finally {
        hand.dispose()
        program.dispose()
      }
    })
  },
)
