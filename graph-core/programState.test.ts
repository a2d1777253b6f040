import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph, type ProgramState, type TrainingProgram } from './compiler'
import type { GraphDocument } from './document'
import { defineNode, ok } from './nodeDefinition'
import { param } from './params'
import { loss } from './ports'
import { createRegistry } from './registry'
import { graph } from './testing/graphBuilder'
import { testRegistry } from './testing/testNodes'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Adam, whose slots TF.js creates at the first step: the case a checkpoint must get right. */
const testAdam = defineNode({
  type: 'test.adam',
  version: 1,
  category: 'optim',
  label: 'Test Adam',
  description: 'Adam.',
  inputs: { loss: loss() },
  outputs: {},
  params: {
    learningRate: param.number({ default: 0.05, min: 0, help: 'Step size.' }),
    order: param.int({ default: 0, help: 'Order.' }),
    trains: param.nodeRefs({ default: [], help: 'Nodes to update.' }),
  },
  inferShapes: () => ok({}),
  createOptimizer: (tf, { learningRate }) => tf.train.adam(learningRate, 0.5),
})

const registry = createRegistry([...testRegistry.all(), testAdam])

/**
 * Two players with Adam, like a GAN's D and G: `a` learns to copy x, then `b` learns to copy
 * `a`'s output; every pass draws fresh x from the pass seed.
 */
const twoPlayers = (seed = 4): GraphDocument =>
  graph('two players', seed)
    .node('src', 'test.source', { width: 2 })
    .node('a', 'test.scale', { factor: 3 })
    .node('b', 'test.scale', { factor: -2 })
    .node('copyX', 'test.distance')
    .node('copyA', 'test.distance')
    .node('optA', 'test.adam', { trains: ['a'], order: 0 })
    .node('optB', 'test.adam', { trains: ['b'], order: 1 })
    .edge('src.x', 'a.x')
    .edge('src.x', 'b.x')
    .edge('a.y', 'copyX.a')
    .edge('src.x', 'copyX.b')
    .edge('b.y', 'copyA.a')
    .edge('a.y', 'copyA.b')
    .edge('copyX.loss', 'optA.loss')
    .edge('copyA.loss', 'optB.loss')
    .build()

function compiled(document: GraphDocument = twoPlayers()): TrainingProgram {
  const result = compileGraph(tf, document, registry)
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
  return result.program
}

async function curve(program: TrainingProgram, iterations: number): Promise<number[][]> {
  const losses: number[][] = []
  for (let index = 0; index < iterations; index++) {
    const result = await program.runIteration()
    if (!result.ok) throw new Error(result.diagnostic.message)
    losses.push([result.losses.optA ?? Number.NaN, result.losses.optB ?? Number.NaN])
  }
  return losses
}

describe('saveState and loadState', () => {
  it('continue a run with the uninterrupted loss curve, exactly', async () => {
    const uninterrupted = compiled()
    const expected = await curve(uninterrupted, 6)
    uninterrupted.dispose()

    const first = compiled()
    const head = await curve(first, 3)
    const state = structuredClone(await first.saveState())
    first.dispose()
    const second = compiled()
    second.loadState(state)
    expect(second.step).toBe(3)
    const tail = await curve(second, 3)
    expect([...head, ...tail]).toEqual(expected)
    second.dispose()
  })

  it('continue exactly after many steps: Adam’s running β powers are kept, not recomputed', async () => {
    // setWeights alone sets β^t with pow(), a last-bit different value from t products.
    const uninterrupted = compiled()
    const expected = await curve(uninterrupted, 60)
    uninterrupted.dispose()
    const first = compiled()
    const head = await curve(first, 30)
    const state = structuredClone(await first.saveState())
    expect(Object.keys(state.optimizers.optA?.accumulators ?? {})).toEqual(['accBeta1', 'accBeta2'])
    first.dispose()
    const second = compiled()
    second.loadState(state)
    const tail = await curve(second, 30)
    expect([...head, ...tail]).toEqual(expected)
    second.dispose()
  })

  it('hold step, pass counter, variables and named Adam slots as plain data', async () => {
    const program = compiled()
    await curve(program, 2)
    const state = await program.saveState()
    expect(state).toMatchObject({ schemaVersion: 1, step: 2, runs: 4 })
    expect(Object.keys(state.variables)).toEqual(['a/factor', 'b/factor'])
    expect(state.variables['a/factor']?.values).toBeInstanceOf(Float32Array)
    expect(state.optimizers.optA).toMatchObject({ className: 'Adam' })
    expect(state.optimizers.optA?.weights.map((weight) => weight.name)).toEqual([
      'iter',
      'a/factor/m',
      'a/factor/v',
    ])
    expect(state.optimizers.optA?.weights[0]?.values).toEqual(new Int32Array([2]))
    program.dispose()
  })

  it('restore into a program that already trained, and to a state saved before any step', async () => {
    const fresh = compiled()
    const initial = await fresh.saveState() // Adam has no slots yet
    const expected = await curve(fresh, 4)
    const after = await fresh.saveState()
    fresh.dispose()

    const program = compiled()
    await curve(program, 5)
    program.loadState(initial)
    expect(await curve(program, 4)).toEqual(expected)
    program.loadState(after)
    const resumed = await curve(program, 1)
    const reference = compiled()
    reference.loadState(initial)
    expect(resumed).toEqual((await curve(reference, 5)).slice(4))
    program.dispose()
    reference.dispose()
  })

  it('keep the tensor count flat across saves and loads and free everything on dispose', async () => {
    const baseline = tf.memory().numTensors
    const program = compiled()
    await curve(program, 2)
    const state = await program.saveState()
    const warm = tf.memory().numTensors
    for (let round = 0; round < 5; round++) {
      program.loadState(await program.saveState())
      await curve(program, 1)
      program.loadState(state)
      await program.saveState()
    }
    expect(tf.memory().numTensors).toBe(warm)
    program.dispose()
    expect(tf.memory().numTensors).toBe(baseline)
  })

  it('refuse a checkpoint of another graph, saying what does not fit, and change nothing', async () => {
    const program = compiled()
    await curve(program, 1)
    const before = await program.saveState()
    const other = compiled(
      graph('other')
        .node('src', 'test.source', { width: 2 })
        .node('a', 'test.scale')
        .node('copyX', 'test.distance')
        .node('optA', 'test.sgd')
        .edge('src.x', 'a.x')
        .edge('a.y', 'copyX.a')
        .edge('src.x', 'copyX.b')
        .edge('copyX.loss', 'optA.loss')
        .build(),
    )
    const foreign = await other.saveState()
    expect(() => {
      program.loadState(foreign)
    }).toThrow(
      /does not fit this graph: .*no values for b\/factor.*optA was SGD, here it is Adam.*no state for the optimizer optB/,
    )
    const reshaped: ProgramState = structuredClone(before)
    const factor = reshaped.variables['a/factor']
    if (factor !== undefined) factor.shape = [1]
    expect(() => {
      program.loadState(reshaped)
    }).toThrow(/a\/factor has shape \[1\], the graph's is \[\]/)
    expect(() => {
      program.loadState({ ...before, schemaVersion: 2 } as unknown as ProgramState)
    }).toThrow(/state version 2/)
    expect(() => {
      program.loadState({ schemaVersion: 1 } as unknown as ProgramState)
    }).toThrow(/not a training state/)
    expect(await program.saveState()).toEqual(before)
    program.dispose()
    other.dispose()
  })

  it('clear a NaN failure, so a run can go back to its last good checkpoint', async () => {
    const program = compiled(
      graph('diverging')
        .node('src', 'test.source', { width: 4 })
        .node('scale', 'test.scale', { factor: 3 })
        .node('dist', 'test.distance')
        .node('opt', 'test.sgd', { learningRate: 50 })
        .edge('src.x', 'scale.x')
        .edge('scale.y', 'dist.a')
        .edge('src.x', 'dist.b')
        .edge('dist.loss', 'opt.loss')
        .build(),
    )
    const start = await program.saveState()
    let result = await program.runIteration()
    for (let index = 0; index < 50 && result.ok; index++) result = await program.runIteration()
    expect(result.ok).toBe(false)
    program.loadState(start)
    expect(await program.runIteration()).toMatchObject({ ok: true, step: 1 })
    program.dispose()
  })
})

describe('lossTerms', () => {
  it('give the value of every loss node the phases evaluated', async () => {
    const program = compiled()
    const result = await program.runIteration()
    expect(result.ok && Object.keys(result.lossTerms).sort()).toEqual(['copyA.loss', 'copyX.loss'])
    expect(result.ok && result.lossTerms['copyX.loss']).toBeCloseTo(
      result.ok ? (result.losses.optA ?? 0) : 0,
      6,
    )
    program.dispose()
  })
})
