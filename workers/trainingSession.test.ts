import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph, type TrainingProgram } from '../graph-core/compiler'
import type { GraphDocument } from '../graph-core/document'
import { graph } from '../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../nodes/registry'
import { createTrainingSession, type TrainingSession } from './trainingSession'
import type { RunOptions, TrainingCheckpoint, TrainingEvent } from './trainingWorkerApi'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/**
 * A small GAN on the ring of 8 Gaussians (GAN Lab's setting), with a 2-D scatter view. With
 * `isDWinning` D learns 50× faster than usual and G hardly at all.
 */
const ganOnPoints = (seed = 7, { isDWinning = false } = {}): GraphDocument =>
  graph('gan on points', seed)
    .node('data', 'data.toy2d', { distribution: 'ring', batchSize: 16 })
    .node('noise', 'data.noise', { dim: 2, batchSize: 16 })
    .node('gen', 'model.generator', {
      form: 'mlp',
      hidden: [8],
      outputShape: [2],
      outputActivation: 'linear',
    })
    .node('disc', 'model.discriminator', { form: 'mlp', hidden: [8] }, { applications: 2 })
    .node('dLoss', 'loss.gan', { term: 'discriminator' })
    .node('gLoss', 'loss.gan', { term: 'generator' })
    .node('optD', 'optim.adam', {
      learningRate: isDWinning ? 0.1 : 2e-3,
      beta1: 0.5,
      trains: ['disc'],
      order: 0,
    })
    .node('optG', 'optim.adam', {
      learningRate: isDWinning ? 1e-6 : 2e-3,
      beta1: 0.5,
      trains: ['gen'],
      order: 1,
    })
    .node('scatter', 'view.scatter2d', { samples: 32, resolution: 4 })
    .edge('noise.z', 'gen.z')
    .edge('data.points', 'disc.x')
    .edge('gen.x', 'disc.x@1')
    .edge('disc.logit', 'dLoss.realLogits')
    .edge('disc.logit@1', 'dLoss.fakeLogits')
    .edge('disc.logit@1', 'gLoss.fakeLogits')
    .edge('dLoss.loss', 'optD.loss')
    .edge('gLoss.loss', 'optG.loss')
    .edge('data.points', 'scatter.real')
    .edge('gen.x', 'scatter.fake')
    .build()

/** A linear map fitted to the points by SGD with a learning rate far too high: it diverges. */
const diverging = (): GraphDocument =>
  graph('diverging')
    .node('data', 'data.toy2d', { batchSize: 16 })
    .node('dense', 'model.dense', { units: 2 })
    .node('mse', 'loss.mse')
    .node('opt', 'optim.sgd', { learningRate: 10 })
    .edge('data.points', 'dense.x')
    .edge('dense.y', 'mse.prediction')
    .edge('data.points', 'mse.target')
    .edge('mse.loss', 'opt.loss')
    .build()

/**
 * A session on a fake clock that moves `tick` ms per iteration; every yield is a real
 * macrotask, so calls made meanwhile interleave with the loop as they would in the worker.
 */
function harness({
  tick = 25,
  onYield,
}: { tick?: number; onYield?: (session: TrainingSession) => void } = {}) {
  const events: TrainingEvent[] = []
  const emittedAt: number[] = []
  const loaded: GraphDocument[] = []
  const clock = { time: 1_000 }
  const session: TrainingSession = createTrainingSession({
    tf,
    registry: nodeRegistry,
    loadResources: (document) => {
      loaded.push(document)
      return Promise.resolve(new Map())
    },
    emit: (event) => {
      events.push(event)
      emittedAt.push(clock.time)
    },
    now: () => clock.time,
    yieldToEventLoop: () => {
      clock.time += tick
      onYield?.(session)
      return new Promise((resolve) => setImmediate(resolve))
    },
  })
  const ofType = <T extends TrainingEvent['type']>(type: T) =>
    events.filter((event): event is Extract<TrainingEvent, { type: T }> => event.type === type)
  const curve = (optimizer: string) =>
    ofType('metrics')
      .flatMap((event) => event.points)
      .map((point) => point.losses[optimizer])
  return { session, events, emittedAt, loaded, clock, ofType, curve }
}

async function opened(
  session: TrainingSession,
  options: RunOptions = {},
  document = ganOnPoints(),
) {
  const result = await session.load(document, options)
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
  return result
}

const macrotasks = async (count: number) => {
  for (let index = 0; index < count; index++) await new Promise((resolve) => setImmediate(resolve))
}

describe('the training program of a GAN on 2-D points', () => {
  function compiled(): TrainingProgram {
    const result = compileGraph(tf, ganOnPoints(), nodeRegistry)
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
    return result.program
  }

  async function losses(program: TrainingProgram, iterations: number): Promise<number[]> {
    const values: number[] = []
    for (let index = 0; index < iterations; index++) {
      const result = await program.runIteration()
      if (!result.ok) throw new Error(result.diagnostic.message)
      values.push(result.losses.optD ?? Number.NaN, result.losses.optG ?? Number.NaN)
    }
    return values
  }

  it('continues from a saved state with the uninterrupted loss curve (6 = 3 + 3)', async () => {
    const uninterrupted = compiled()
    const expected = await losses(uninterrupted, 6)
    uninterrupted.dispose()

    const first = compiled()
    const head = await losses(first, 3)
    const state = structuredClone(await first.saveState()) // as IndexedDB would store it
    first.dispose()
    const second = compiled()
    second.loadState(state) // before its first step: Adam has no slots yet
    const tail = await losses(second, 3)
    expect([...head, ...tail]).toEqual(expected)
    expect(second.step).toBe(6)

    const warm = tf.memory().numTensors
    for (let round = 0; round < 3; round++) second.loadState(await second.saveState())
    await losses(second, 1)
    expect(tf.memory().numTensors).toBe(warm)
    second.dispose()
  })
})

describe('createTrainingSession', () => {
  it('loads resources, compiles, trains to maxSteps and sends metrics in bounded batches', async () => {
    const { session, events, emittedAt, loaded, ofType, curve } = harness({ tick: 25 })
    const document = ganOnPoints()
    const result = await opened(session, { maxSteps: 12, metricsIntervalMs: 100 }, document)
    expect(loaded).toEqual([document])
    expect(result.phases.map((phase) => phase.optimizer)).toEqual(['optD', 'optG'])
    expect(events[0]).toEqual({ type: 'diagnostics', diagnostics: [] })
    await session.train()

    expect(session.status).toBe('finished')
    expect(ofType('started')).toEqual([{ type: 'started', backend: 'cpu', step: 0 }])
    expect(events.at(-1)).toEqual({ type: 'finished', step: 12 })
    const points = ofType('metrics').flatMap((event) => event.points)
    expect(points.map((point) => point.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(curve('optD').every(Number.isFinite)).toBe(true)
    expect(Object.keys(points[0]?.lossTerms ?? {}).sort()).toEqual(['dLoss.loss', 'gLoss.loss'])
    expect(Object.keys(points[0]?.metrics ?? {})).toContain('dLoss.realScore')

    // 12 iterations of 25 ms with batches at most every 100 ms: 3 batches, then the last flush.
    const batchTimes = events.flatMap((event, index) =>
      event.type === 'metrics' ? [emittedAt[index] ?? 0] : [],
    )
    expect(batchTimes.length).toBeLessThanOrEqual(12 / 4 + 1)
    for (let index = 1; index < batchTimes.length - 1; index++) {
      expect((batchTimes[index] ?? 0) - (batchTimes[index - 1] ?? 0)).toBeGreaterThanOrEqual(100)
    }
    expect(ofType('metrics')[1]?.stepsPerSecond).toBeCloseTo(40) // 4 steps per 100 ms
    expect(ofType('memory')).toHaveLength(batchTimes.length)
    expect(ofType('hints')).toEqual([]) // a healthy start
    await session.dispose()
  })

  it('sends a hint when the discriminator wins', async () => {
    const { session, ofType } = harness()
    await opened(
      session,
      { maxSteps: 150, metricsIntervalMs: 0 },
      ganOnPoints(7, { isDWinning: true }),
    )
    await session.train()
    const [first] = ofType('hints')
    expect(first?.hints).toMatchObject([{ code: 'DISCRIMINATOR_WINNING', node: 'dLoss' }])
    expect(first?.hints[0]?.whatToTry).toMatch(/learning rate/)
    await session.dispose()
  })

  it('pauses with a checkpoint, stays paused, and resumes where it stopped', async () => {
    const pauseAt = 5
    const h = harness({
      onYield: (running) => {
        if (running.currentStep === pauseAt) void running.pause()
      },
    })
    const { session } = h
    await opened(session, { maxSteps: 9 })
    await session.train() // resolves when the loop stops: here, paused
    expect(session.status).toBe('paused')
    expect(h.events.at(-1)).toEqual({ type: 'paused', step: pauseAt })
    expect(h.ofType('checkpoint').map((event) => event.checkpoint.step)).toEqual([pauseAt])
    await macrotasks(10)
    expect(session.currentStep).toBe(pauseAt)

    await session.resume()
    expect(session.status).toBe('finished')
    expect(h.ofType('started').map((event) => event.step)).toEqual([0, pauseAt])
    const steps = h.ofType('metrics').flatMap((event) => event.points.map((point) => point.step))
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    await session.dispose()
  })

  it('steps by hand, and steps D alone without moving G or the step', async () => {
    const { session, ofType } = harness()
    await opened(session)
    const stepped = await session.step()
    expect(stepped).toMatchObject({ ok: true, point: { step: 1 } })
    expect(ofType('metrics').at(-1)?.points.at(-1)?.step).toBe(1) // shown at once

    // The session's own program, seen through a checkpoint: D moves, G does not.
    const before = await session.checkpoint()
    const onlyD = await session.stepOptimizer('optD')
    const after = await session.checkpoint()
    expect(onlyD.ok && Object.keys(onlyD.point.losses)).toEqual(['optD'])
    expect(after.step).toBe(1)
    expect(session.currentStep).toBe(1)
    const changed = (node: string) =>
      Object.keys(before.state.variables)
        .filter((name) => name.startsWith(`${node}/`))
        .some(
          (name) =>
            !before.state.variables[name]?.values.every(
              (value, index) => value === after.state.variables[name]?.values[index],
            ),
        )
    expect(changed('disc')).toBe(true)
    expect(changed('gen')).toBe(false)
    expect(after.state.optimizers.optD?.weights[0]?.values[0]).toBe(2)
    expect(after.state.optimizers.optG?.weights[0]?.values[0]).toBe(1)
    await expect(session.stepOptimizer('nope')).resolves.toMatchObject({ ok: false })
    await session.dispose()
  })

  it('stops on a NaN or Inf loss and names the loss', async () => {
    const { session, ofType } = harness()
    await opened(session, { maxSteps: 100 }, diverging())
    await session.train()
    expect(session.status).toBe('failed')
    const [failed] = ofType('failed')
    expect(failed?.diagnostic).toMatchObject({ code: 'NON_FINITE_LOSS', node: 'mse' })
    expect(failed?.message).toMatch(/MSE loss became (NaN|Infinity)/)
    expect(ofType('finished')).toEqual([])
    await expect(session.train()).rejects.toThrow(/failed run cannot train/)
    await session.dispose()
  })

  it('restores a checkpoint into a new session and continues with the same loss curve', async () => {
    const whole = harness()
    await opened(whole.session, { maxSteps: 8 })
    await whole.session.train()
    await whole.session.dispose()

    const first = harness()
    await opened(first.session, { maxSteps: 4 })
    await first.session.train()
    // As the app keeps it: cloned into IndexedDB and read back after a reload.
    const checkpoint: TrainingCheckpoint = structuredClone(await first.session.checkpoint())
    await first.session.dispose()

    const second = harness()
    await opened(second.session, { maxSteps: 8 })
    await second.session.restore(checkpoint)
    expect(second.session.status).toBe('paused')
    expect(second.session.currentStep).toBe(4)
    await second.session.train()
    expect(second.ofType('started')).toEqual([{ type: 'started', backend: 'cpu', step: 4 }])
    for (const optimizer of ['optD', 'optG']) {
      expect([...first.curve(optimizer), ...second.curve(optimizer)]).toEqual(
        whole.curve(optimizer),
      )
    }

    const other = harness()
    await opened(other.session, {}, diverging())
    await expect(other.session.restore(checkpoint)).rejects.toThrow(/does not fit this graph/)
    await second.session.dispose()
    await other.session.dispose()
  })

  it('sends compile errors as diagnostics pointing at the node, and does not train', async () => {
    const { session, events } = harness()
    const broken = graph('broken')
      .node('data', 'data.toy2d')
      .node('dense', 'model.dense', { units: 2 })
      .node('mse', 'loss.mse')
      .node('opt', 'optim.adam')
      .edge('dense.y', 'mse.prediction')
      .edge('data.points', 'mse.target')
      .edge('mse.loss', 'opt.loss')
      .build()
    const result = await session.load(broken)
    expect(result.ok).toBe(false)
    expect(events).toEqual([{ type: 'diagnostics', diagnostics: result.diagnostics }])
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'MISSING_INPUT', node: 'dense', port: 'x' }),
    )
    expect(session.status).toBe('empty')
    await expect(session.train()).rejects.toThrow(/No graph is open/)

    const failing = createTrainingSession({
      tf,
      registry: nodeRegistry,
      loadResources: () => Promise.reject(new Error('HTTP 404')),
      emit: () => undefined,
    })
    const unloadable = await failing.load(ganOnPoints())
    expect(unloadable.diagnostics).toMatchObject([{ code: 'BUILD_FAILED' }])
    expect(unloadable.diagnostics[0]?.message).toMatch(/HTTP 404/)
  })

  it('decodes a latent view with the picks the request carries, and refuses bad picks', async () => {
    const { session } = harness()
    const vae = graph('vae', 3)
      .node('faces', 'data.synthFaces', {
        size: 16,
        batchSize: 16,
        identities: 40,
        heldOutIdentities: 8,
        photos: 4,
      })
      .node('encoder', 'model.encoder', { form: 'mlp', hidden: [8], latentDim: 4 })
      .node('decoder', 'model.decoder', { form: 'mlp', hidden: [8], outputShape: [16, 16, 1] })
      .node('mse', 'loss.mse')
      .node('adam', 'optim.adam')
      .node('tools', 'view.latent', { samples: 32, count: 2 })
      .edge('faces.images', 'encoder.x')
      .edge('encoder.z', 'decoder.z')
      .edge('decoder.x', 'mse.prediction')
      .edge('faces.images', 'mse.target')
      .edge('mse.loss', 'adam.loss')
      .edge('encoder.z', 'tools.latents')
      .build()
    await opened(session, {}, vae)
    await session.step()
    const view = await session.requestView('tools', { picks: { from: 4, to: 9, face: 2 } })
    expect(view.decoded).toMatchObject({
      decoder: 'decoder',
      picks: { from: 4, to: 9, face: 2 },
      prior: { kind: 'images', count: 2 },
      // No attribute connected: no smile strip.
      attribute: null,
    })
    await expect(
      session.requestView('tools', { picks: { from: 4, to: 99, face: 2 } }),
    ).rejects.toThrow(/picks\.to/)
  })

  it('gives views, and exports each block as TF.js weights', async () => {
    const { session } = harness()
    await opened(session)
    await session.step()
    const view = await session.requestView('scatter')
    expect(view).toMatchObject({ kind: 'scatter2d', resolution: 4 })
    expect((view.real as number[]).length).toBe(32 * 2)
    // D's P(real) on the 4 × 4 grid, from the discriminator that judges the view's points.
    const surface = view.surface as number[]
    expect(surface).toHaveLength(16)
    expect(surface.every((p) => p > 0 && p < 1)).toBe(true)
    await expect(session.requestView('gen')).rejects.toThrow(/not a view/)

    const artifacts = await session.exportWeights()
    expect(artifacts.map((artifact) => artifact.node).sort()).toEqual(['disc', 'gen'])
    const checkpoint = await session.checkpoint()
    for (const { node, modelJson, weightsBin } of artifacts) {
      expect(modelJson.format).toBe('latent-lab-weights')
      const [group] = modelJson.weightsManifest
      expect(group.paths).toEqual([`${node}.weights.bin`])
      const decoded = tf.io.decodeWeights(weightsBin, group.weights)
      for (const spec of group.weights) {
        expect(Array.from(decoded[spec.name]?.dataSync() ?? [])).toEqual(
          Array.from(checkpoint.state.variables[spec.name]?.values ?? []),
        )
      }
      tf.dispose(Object.values(decoded))
    }
    await session.dispose()
  })

  it('keeps the tensor count flat over 50 steps with views and checkpoints', async () => {
    const { session, ofType } = harness()
    await opened(session, {
      maxSteps: 52,
      metricsIntervalMs: 0,
      checkpointEvery: 10,
      viewEvery: 10,
    })
    await session.train()
    const counts = ofType('memory').map((event) => event.numTensors)
    expect(counts).toHaveLength(52)
    expect(new Set(counts.slice(2))).toEqual(new Set([counts[2]]))
    expect(ofType('view').map((event) => event.node)).toEqual(Array(5).fill('scatter'))
    expect(ofType('checkpoint')).toHaveLength(5)
    const before = tf.memory().numTensors
    await session.dispose()
    expect(tf.memory().numTensors).toBeLessThan(before)
  })
})
