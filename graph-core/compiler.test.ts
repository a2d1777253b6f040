import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph, type TrainingProgram } from './compiler'
import type { GraphDocument } from './document'
import { defineNode, ok } from './nodeDefinition'
import { param } from './params'
import { loss, tensor } from './ports'
import { createRegistry } from './registry'
import { graph } from './testing/graphBuilder'
import { testRegistry } from './testing/testNodes'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** scale·x should match x: the scale factor learns 1 from its start (by `test.sgd` unless told). */
const chain = (factor = 3, learningRate = 0.1, seed = 1, optimizer = 'test.sgd') =>
  graph('chain', seed)
    .node('src', 'test.source', { width: 4 })
    .node('scale', 'test.scale', { factor })
    .node('dist', 'test.distance')
    .node('opt', optimizer, optimizer === 'test.sgd' ? { learningRate } : {})
    .edge('src.x', 'scale.x')
    .edge('scale.y', 'dist.a')
    .edge('src.x', 'dist.b')
    .edge('dist.loss', 'opt.loss')
    .build()

function compiled(document: GraphDocument): TrainingProgram {
  const result = compileGraph(tf, document, testRegistry)
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
  return result.program
}

async function curve(program: TrainingProgram, iterations: number): Promise<number[]> {
  const losses: number[] = []
  for (let index = 0; index < iterations; index++) {
    const result = await program.runIteration()
    if (!result.ok) throw new Error(result.diagnostic.message)
    losses.push(result.losses.opt ?? Number.NaN)
  }
  return losses
}

describe('compileGraph', () => {
  it('plans one phase per optimizer with what it trains', () => {
    const program = compiled(chain())
    expect(program.phases).toEqual([
      { optimizer: 'opt', lossNode: 'dist', lossPort: 'loss', repeats: 1, trains: ['scale'] },
    ])
    expect(program.variables.map((entry) => entry.name)).toEqual(['scale/factor'])
    program.dispose()
  })

  it('refuses a graph with errors and says why', () => {
    const result = compileGraph(tf, graph().node('s', 'test.scale').build(), testRegistry)
    expect(result.ok).toBe(false)
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MISSING_INPUT', 'NO_OPTIMIZER'])
  })
})

describe('training program', () => {
  it('brings the loss down and learns the factor', async () => {
    const program = compiled(chain())
    const losses = await curve(program, 20)
    expect(losses[19]).toBeLessThan((losses[0] ?? 0) / 100)
    const factor = program.variables[0]?.variable.dataSync()[0]
    expect(factor).toBeCloseTo(1, 1)
    expect(program.step).toBe(20)
    program.dispose()
  })

  it('gives the identical curve for the same seed and a different one for another', async () => {
    const a = compiled(chain(3, 0.1, 5))
    const b = compiled(chain(3, 0.1, 5))
    const c = compiled(chain(3, 0.1, 6))
    const [curveA, curveB, curveC] = [await curve(a, 5), await curve(b, 5), await curve(c, 5)]
    expect(curveB).toEqual(curveA)
    expect(curveC).not.toEqual(curveA)
    for (const program of [a, b, c]) program.dispose()
  })

  it('keeps the tensor count flat and frees everything on dispose', async () => {
    const baseline = tf.memory().numTensors
    const program = compiled(chain())
    await curve(program, 3)
    const afterWarmup = tf.memory().numTensors
    await curve(program, 100)
    expect(tf.memory().numTensors).toBe(afterWarmup)
    program.dispose()
    expect(tf.memory().numTensors).toBe(baseline)
  })

  it('runs the nodes no variable influences before the gradient tape opens', async () => {
    // Whether a gradient tape was recording when each probe ran, by its tag.
    const isTaped = new Map<number, boolean>()
    const probe = defineNode({
      type: 'test.tapeProbe',
      version: 1,
      category: 'op',
      label: 'Tape probe',
      description: 'Passes x through and notes whether a gradient tape is recording.',
      inputs: { x: tensor() },
      outputs: { y: tensor() },
      params: { tag: param.int({ default: 0, min: 0, max: 9, help: 'Which probe.' }) },
      inferShapes: ({ x }) => ok({ y: x }),
      build: ({ tf: tfjs, params }) => ({
        forward: ({ x }) => {
          isTaped.set(params.tag, tfjs.engine().state.gradientDepth > 0)
          return { y: tfjs.add(x, 0) }
        },
      }),
    })
    const registry = createRegistry([...testRegistry.all(), probe])
    const document = graph('probes')
      .node('src', 'test.source', { width: 4 })
      .node('before', 'test.tapeProbe', { tag: 1 })
      .node('scale', 'test.scale', { factor: 3 })
      .node('after', 'test.tapeProbe', { tag: 2 })
      .node('dist', 'test.distance')
      .node('opt', 'test.sgd', { learningRate: 0.1 })
      .edge('src.x', 'before.x')
      .edge('before.y', 'scale.x')
      .edge('scale.y', 'after.x')
      .edge('after.y', 'dist.a')
      .edge('src.x', 'dist.b')
      .edge('dist.loss', 'opt.loss')
      .build()
    const result = compileGraph(tf, document, registry)
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
    const { program } = result
    expect((await program.runIteration()).ok).toBe(true)
    const tensors = tf.memory().numTensors
    expect((await program.runIteration()).ok).toBe(true)
    expect(tf.memory().numTensors).toBe(tensors)
    // Data → probe 1 no variable influences; probe 2 follows the trained scale.
    expect(isTaped).toEqual(
      new Map([
        [1, false],
        [2, true],
      ]),
    )
    program.dispose()
  })

  it('gives each optimizer the learning rate its schedule names for the step', async () => {
    // 0.1 for the first two iterations, then 0: the factor moves twice, then stays.
    const scheduled = (type: string, create: (rate: number) => tf.Optimizer) =>
      defineNode({
        type,
        version: 1,
        category: 'optim',
        label: type,
        description: 'A scheduled optimizer.',
        inputs: { loss: loss() },
        outputs: {},
        params: {},
        inferShapes: () => ok({}),
        createOptimizer: () => create(0.1),
        learningRateAt: (_params, step) => (step < 2 ? 0.1 : 0),
      })
    const registry = createRegistry([
      ...testRegistry.all(),
      // Momentum keeps its rate as a tensor (`setLearningRate`), Adam as a field.
      scheduled('test.momentum', (rate) => tf.train.momentum(rate, 0.9)),
      scheduled('test.adam', (rate) => tf.train.adam(rate)),
    ])
    for (const type of ['test.momentum', 'test.adam']) {
      const result = compileGraph(tf, chain(3, 0.1, 1, type), registry)
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
      const { program } = result
      const factors: number[] = []
      for (let iteration = 0; iteration < 4; iteration++) {
        expect((await program.runIteration()).ok).toBe(true)
        factors.push(program.variables[0]?.variable.dataSync()[0] ?? Number.NaN)
      }
      expect(factors[0], type).toBeLessThan(3)
      expect(factors[1], type).toBeLessThan(factors[0] ?? 0)
      expect(factors[3], type).toBe(factors[1])
      program.dispose()
    }
  })

  it('lends held-out passes the weight averages an optimizer keeps, and trains the weights', async () => {
    const averaging = defineNode({
      type: 'test.averagedSgd',
      version: 1,
      category: 'optim',
      label: 'Averaged SGD',
      description: 'Gradient descent keeping a moving average of the weights (β 0.5).',
      inputs: { loss: loss() },
      outputs: {},
      params: {},
      inferShapes: () => ok({}),
      createOptimizer: () => tf.train.sgd(0.1),
      weightAveragingOf: () => 0.5,
    })
    const registry = createRegistry([...testRegistry.all(), averaging])
    const compile = () => {
      const result = compileGraph(tf, chain(3, 0.1, 1, 'test.averagedSgd'), registry)
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
      return result.program
    }
    const program = compile()
    const factors: number[] = []
    for (let iteration = 0; iteration < 2; iteration++) {
      expect((await program.runIteration()).ok).toBe(true)
      factors.push(program.variables[0]?.variable.dataSync()[0] ?? Number.NaN)
    }
    // Training is plain SGD: the same factors as without averaging.
    const plain = compiled(chain(3, 0.1, 1))
    await curve(plain, 2)
    expect(plain.variables[0]?.variable.dataSync()[0]).toBe(factors[1])
    plain.dispose()
    // a₁ = 0.1·3 + 0.9·f₁ (d = 1/10), a₂ = (2/11)·a₁ + (9/11)·f₂ (d = 2/11).
    const [f1 = 0, f2 = 0] = factors
    const average = (2 / 11) * (0.1 * 3 + 0.9 * f1) + (9 / 11) * f2
    const scaleOf = (outputs: Record<string, tf.Tensor>) => {
      const [x = 0] = outputs.y?.dataSync() ?? []
      tf.dispose(Object.values(outputs))
      return x
    }
    const one = tf.ones([1, 1])
    expect(scaleOf(program.evaluateWith('scale', { x: one }))).toBeCloseTo(average, 5)
    expect(average).not.toBeCloseTo(f2, 3)
    // The weights are the trained ones again, and a checkpoint carries the average.
    expect(program.variables[0]?.variable.dataSync()[0]).toBe(f2)
    const state = await program.saveState()
    expect(state.averages?.['scale/factor']?.values[0]).toBeCloseTo(average, 5)
    const resumed = compile()
    resumed.loadState(state)
    expect(scaleOf(resumed.evaluateWith('scale', { x: one }))).toBeCloseTo(average, 5)
    // A checkpoint without averages starts them from its weights.
    const { averages: _averages, ...older } = state
    resumed.loadState(older)
    expect(scaleOf(resumed.evaluateWith('scale', { x: one }))).toBeCloseTo(f2, 5)
    const broken = {
      ...state,
      averages: { 'scale/factor': { shape: [2], values: new Float32Array(2) } },
    }
    expect(() => {
      resumed.loadState(broken)
    }).toThrow(/the average of scale\/factor has shape \[2\]/)
    tf.dispose(one)
    for (const each of [program, resumed]) each.dispose()
  })

  it('streams reported metrics', async () => {
    const program = compiled(chain())
    const result = await program.runIteration()
    expect(result.ok && Object.keys(result.metrics)).toEqual(['dist.meanA'])
    program.dispose()
  })

  it('steps one optimizer alone without advancing the step', async () => {
    const program = compiled(chain())
    const result = await program.runIteration({ only: 'opt' })
    expect(result).toMatchObject({ ok: true, step: 0 })
    expect(await program.runIteration({ only: 'nope' })).toMatchObject({ ok: false })
    program.dispose()
  })

  it('stops on a non-finite loss and names the loss node', async () => {
    const program = compiled(chain(3, 50))
    let result = await program.runIteration()
    for (let index = 0; index < 50 && result.ok; index++) result = await program.runIteration()
    expect(result).toMatchObject({
      ok: false,
      diagnostic: { code: 'NON_FINITE_LOSS', node: 'dist' },
    })
    expect(!result.ok && result.diagnostic.message).toMatch(/Test distance became (NaN|Infinity)/)
    expect((await program.runIteration()).ok).toBe(false)
    program.dispose()
  })

  it('evaluates a node on held-out data without touching the weights', () => {
    const program = compiled(chain())
    const before = program.variables[0]?.variable.dataSync()[0]
    const outputs = program.evaluate('src')
    expect(outputs.x?.mean().dataSync()[0]).toBeGreaterThan(4) // held-out rows are centred on 5
    expect(program.variables[0]?.variable.dataSync()[0]).toBe(before)
    tf.dispose(Object.values(outputs))
    program.dispose()
  })

  it('evaluates a view on as many held-out rows as it asks for', async () => {
    const document = chain()
    document.nodes.push({
      id: 'view',
      type: 'test.meanView',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    })
    document.edges.push({
      id: 'ev',
      from: { node: 'scale', port: 'y' },
      to: { node: 'view', port: 'x' },
    })
    const program = compiled(document)
    const baseline = tf.memory().numTensors
    const view = await program.evaluateView('view', { samples: 20 })
    expect(view).toMatchObject({ kind: 'mean', rows: 20 })
    expect(view.mean).toBeGreaterThan(10) // held-out rows centred on 5, scaled by 3
    expect(tf.memory().numTensors).toBe(baseline)
    await expect(program.evaluateView('scale')).rejects.toThrow(/not a view/)
    program.dispose()
  })

  it('draws the same held-out rows at every step when asked to be repeatable', async () => {
    const program = compiled(chain())
    const rows = (options: { isRepeatable?: boolean }) => {
      const { x } = program.evaluate('src', options)
      const values = Array.from(x?.dataSync() ?? [])
      x?.dispose()
      return values
    }
    const [repeatable, plain] = [rows({ isRepeatable: true }), rows({})]
    await program.runIteration()
    expect(rows({ isRepeatable: true })).toEqual(repeatable)
    // Without it the pass's seed follows the step, so the draw moves on.
    expect(rows({})).not.toEqual(plain)
    program.dispose()
  })

  it('runs one node on inputs the caller supplies, without touching training', () => {
    const program = compiled(chain())
    const baseline = tf.memory().numTensors
    const x = tf.tensor2d([[1, 2, 3, 4]])
    const { y } = program.evaluateWith('scale', { x })
    expect(y?.arraySync()).toEqual([[3, 6, 9, 12]]) // the factor starts at 3
    tf.dispose([x, y].filter((t) => t !== undefined))
    expect(tf.memory().numTensors).toBe(baseline)
    expect(() => program.evaluateWith('opt', {})).toThrow(/no forward pass/)
    program.dispose()
  })
})
