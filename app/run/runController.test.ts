import * as tf from '@tensorflow/tfjs'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../graph-core/document'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { createTrainingSession, type TrainingSession } from '../../workers/trainingSession'
import type { TrainingEvent } from '../../workers/trainingWorkerApi'
import { createLabDatabase, type LabDatabase } from '../storage/labDatabase'
import { createRunController, type RunController, type RunWorker } from './runController'
import type { RunView } from './runReducer'
import { listRuns, loadRunPoints } from './runStore'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A small GAN on the ring of Gaussians, as in the worker's tests. */
const ganOnPoints = (): GraphDocument =>
  graph('gan on points', 7)
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
    .node('optD', 'optim.adam', { learningRate: 2e-3, beta1: 0.5, trains: ['disc'], order: 0 })
    .node('optG', 'optim.adam', { learningRate: 2e-3, beta1: 0.5, trains: ['gen'], order: 1 })
    .edge('noise.z', 'gen.z')
    .edge('data.points', 'disc.x')
    .edge('gen.x', 'disc.x@1')
    .edge('disc.logit', 'dLoss.realLogits')
    .edge('disc.logit@1', 'dLoss.fakeLogits')
    .edge('disc.logit@1', 'gLoss.fakeLogits')
    .edge('dLoss.loss', 'optD.loss')
    .edge('gLoss.loss', 'optG.loss')
    .build()

/** The worker's API over a session in this thread, swapping listeners as the worker does. */
function sessionWorker(): RunWorker & { session: TrainingSession } {
  let listener: ((event: TrainingEvent) => void) | undefined
  const session = createTrainingSession({
    tf,
    registry: nodeRegistry,
    loadResources: () => Promise.resolve(new Map()),
    emit: (event) => listener?.(event),
  })
  return {
    session,
    async open(document, options, onEvent) {
      await session.dispose()
      listener = onEvent
      return session.load(document, options)
    },
    train: () => session.train(),
    pause: () => session.pause(),
    resume: () => session.resume(),
    step: () => session.step(),
    stepOptimizer: (optimizer) => session.stepOptimizer(optimizer),
    stop: () => session.stop(),
    exportWeights: () => session.exportWeights(),
    checkpoint: () => session.checkpoint(),
    restore: (checkpoint) => session.restore(checkpoint),
    requestView: (nodeId) => session.requestView(nodeId),
  }
}

const databases: LabDatabase[] = []
const sessions: TrainingSession[] = []

function setup(db?: LabDatabase) {
  const worker = sessionWorker()
  sessions.push(worker.session)
  let id = 0
  const controller = createRunController({
    ...(db === undefined ? {} : { db }),
    checkpointEvery: 20,
    pointsIntervalMs: 5,
    quietIntervalMs: 0,
    newId: () => `run${String(++id)}`,
  })
  controller.attach(worker, 'cpu')
  return { controller, worker }
}

function database(): LabDatabase {
  const db = createLabDatabase('controller-test', { indexedDB: new IDBFactory(), IDBKeyRange })
  databases.push(db)
  return db
}

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.dispose()
  for (const db of databases.splice(0)) db.close()
})

/** Resolves when the controller's view satisfies the predicate. */
function until(controller: RunController, predicate: (view: RunView) => boolean): Promise<RunView> {
  return new Promise((resolve) => {
    if (predicate(controller.getView())) {
      resolve(controller.getView())
      return
    }
    const unsubscribe = controller.subscribe(() => {
      const view = controller.getView()
      if (!predicate(view)) return
      unsubscribe()
      resolve(view)
    })
  })
}

const dLosses = (controller: RunController) => [...(controller.table.column('loss/optD') ?? [])]

// Real training on a machine others share: generous time limits.
describe('the run controller', { timeout: 30_000 }, () => {
  it('trains to maxSteps, charts every step and files the run as finished', async () => {
    const db = database()
    const { controller } = setup(db)
    await controller.train(ganOnPoints(), { maxSteps: 40 })
    const view = await until(controller, (current) => current.state === 'finished')
    expect(view.step).toBe(40)
    expect(view.phases.map((phase) => phase.optimizer)).toEqual(['optD', 'optG'])
    expect(view.memory?.numTensors).toBeGreaterThan(0)
    expect([...controller.table.stepColumn()]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(controller.table.has('metric/dLoss.realScore')).toBe(true)
    await controller.flush()
    const [record] = await listRuns(db)
    expect(record).toMatchObject({ status: 'finished', backend: 'cpu' })
    expect(record?.graphId).toMatch(/^train:/)
    expect(record?.finalMetrics?.step).toBe(40)
    expect(record?.finalMetrics?.['loss/optD']).toBeTypeOf('number')
    expect(await loadRunPoints(db, record?.id ?? '')).toHaveLength(40)
  })

  it('checkpoints at the interval the run settings ask for, and keeps it with the run', async () => {
    const db = database()
    const { controller } = setup(db)
    const checkpoints: number[] = []
    const unsubscribe = controller.subscribe(() => {
      const step = controller.getView().checkpointStep
      if (step !== undefined && checkpoints.at(-1) !== step) checkpoints.push(step)
    })
    await controller.train(ganOnPoints(), { maxSteps: 35, checkpointEvery: 7 })
    await until(controller, (current) => current.state === 'finished')
    unsubscribe()
    expect(checkpoints.slice(0, 5)).toEqual([7, 14, 21, 28, 35])
    await controller.flush()
    const [record] = await listRuns(db)
    expect(record?.params).toMatchObject({ maxSteps: 35, checkpointEvery: 7 })
  })

  it('steps by hand, steps D alone without moving the step, and resumes', async () => {
    const { controller } = setup(database())
    const document = ganOnPoints()
    await controller.step(document)
    expect(controller.getView()).toMatchObject({ state: 'paused', step: 1, isBusy: false })
    const before = dLosses(controller)
    await controller.stepOptimizer(document, 'optD')
    const view = controller.getView()
    expect(view.step).toBe(1)
    const after = dLosses(controller)
    expect(after).toHaveLength(before.length + 1)
    expect(after.at(-1)).not.toBe(before.at(-1))
    expect(controller.table.column('loss/optG')?.at(-1)).toBeNaN()
    expect(view.checkpointStep).toBe(1)
    await controller.resume()
    await until(controller, (current) => current.state === 'running' && current.step >= 5)
    await controller.pause()
    await until(controller, (current) => current.state === 'paused')
    await controller.stop()
    await until(controller, (current) => current.state === 'finished')
  })

  it('resumes a run after a reload with the same curve as an uninterrupted run', async () => {
    const document = ganOnPoints()
    const reference = setup()
    await reference.controller.train(document, { maxSteps: 150 })
    await until(reference.controller, (view) => view.state === 'finished')
    const uninterrupted = dLosses(reference.controller)

    const db = database()
    const first = setup(db)
    await first.controller.train(document, { maxSteps: 150 })
    await until(first.controller, (view) => (view.checkpointStep ?? 0) >= 40)
    // The tab goes away: its worker dies mid-run, whatever it was about to write is lost.
    first.controller.attach(undefined)
    await first.worker.session.dispose()

    const second = setup(db)
    await second.controller.refreshResumeOffer(ganOnPoints())
    const offer = second.controller.getView().resumeOffer
    expect(offer).toMatchObject({ isSameGraph: true })
    const checkpointed = offer?.step ?? 0
    expect(checkpointed).toBeGreaterThanOrEqual(40)
    expect(checkpointed % 20).toBe(0)
    await second.controller.resumeRun(offer?.runId ?? '')
    const view = await until(second.controller, (current) => current.state === 'finished')
    expect(view.step).toBe(150)
    expect(dLosses(second.controller)).toEqual(uninterrupted)
    await second.controller.flush()
    expect((await loadRunPoints(db, offer?.runId ?? '')).map((point) => point.step)).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 1),
    )
  })

  it('offers the last unfinished run of any graph on an empty canvas', async () => {
    const db = database()
    const first = setup(db)
    await first.controller.train(ganOnPoints())
    await until(first.controller, (view) => view.checkpointStep !== undefined)
    await first.controller.pause()
    await first.controller.flush()
    const second = setup(db)
    const empty = graph('empty').build()
    await second.controller.refreshResumeOffer(empty)
    expect(second.controller.getView().resumeOffer).toMatchObject({
      isSameGraph: false,
      graphName: 'gan on points',
    })
  })

  it('reports compile errors with the nodes they point at and files no run', async () => {
    const db = database()
    const { controller } = setup(db)
    const broken = ganOnPoints()
    broken.edges = broken.edges.filter((edge) => edge.to.node !== 'gen')
    await controller.train(broken)
    const view = controller.getView()
    expect(view.state).toBe('failed')
    expect(view.failure?.message).toMatch(/did not compile/)
    expect(view.diagnostics.some((diagnostic) => diagnostic.node === 'gen')).toBe(true)
    expect(await listRuns(db)).toEqual([])
  })

  it('files a stopped run as stopped', async () => {
    const db = database()
    const { controller } = setup(db)
    await controller.train(ganOnPoints())
    await until(controller, (view) => view.step >= 3)
    await controller.stop()
    await until(controller, (view) => view.state === 'finished')
    await controller.flush()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await listRuns(db))[0]?.status).toBe('stopped')
  })
})
