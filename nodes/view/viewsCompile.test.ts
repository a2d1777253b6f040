import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileGraph, type TrainingProgram } from '../../graph-core/compiler'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../registry'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/**
 * A small real graph: an embedding head on noise, trained by MSE towards other noise, with the
 * views attached to its tensors. Noise batches of 16 make 40 held-out samples take 3 passes.
 */
const document = graph('views', 7)
  .node('z', 'data.noise', { dim: 8, batchSize: 16 })
  .node('target', 'data.noise', { dim: 4, batchSize: 16 })
  .node('plane', 'data.noise', { dim: 2, batchSize: 16 })
  .node('head', 'model.embeddingHead', { dim: 4 })
  .node('mse', 'loss.mse')
  .node('opt', 'optim.sgd', { learningRate: 0.1 })
  .node('map', 'view.embeddings', { samples: 40 })
  .node('latent', 'view.latent', { steps: 3, count: 2 })
  .node('scatter', 'view.scatter2d', { resolution: 4 })
  .node('grid', 'view.samples')
  .node('recon', 'view.reconstruction', { count: 3 })
  .edge('z.z', 'head.x')
  .edge('head.embedding', 'mse.prediction')
  .edge('target.z', 'mse.target')
  .edge('mse.loss', 'opt.loss')
  .edge('head.embedding', 'map.embeddings')
  .edge('head.embedding', 'latent.latents')
  .edge('plane.z', 'scatter.real')
  .edge('plane.z', 'grid.images')
  .edge('target.z', 'recon.original')
  .edge('head.embedding', 'recon.reconstruction')
  .build()

let program: TrainingProgram

beforeAll(async () => {
  const result = compileGraph(tf, document, nodeRegistry)
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
  expect(result.diagnostics).toEqual([])
  // The worker reads the view's samples param and passes it on.
  expect(result.analysis.nodes.get('map')?.params.samples).toBe(40)
  program = result.program
  const step = await program.runIteration()
  expect(step.ok).toBe(true)
})

afterAll(() => {
  program.dispose()
})

const weights = () => program.variables.map((entry) => Array.from(entry.variable.dataSync()))

describe('views in a compiled graph', () => {
  it('evaluates every view on held-out data without leaking or training', async () => {
    const before = weights()
    const tensors = tf.memory().numTensors
    const views = {
      map: await program.evaluateView('map', { samples: 40 }),
      latent: await program.evaluateView('latent', { samples: 40 }),
      scatter: await program.evaluateView('scatter', { samples: 40 }),
      grid: await program.evaluateView('grid', { samples: 40 }),
      recon: await program.evaluateView('recon', { samples: 40 }),
    }
    expect(tf.memory().numTensors).toBe(tensors)
    expect(weights()).toEqual(before)
    expect(program.step).toBe(1)

    // 40 embeddings of dimension 4 → 40 points, with the PCA variance shares.
    expect(views.map).toMatchObject({ kind: 'embeddings', projection: 'pca', count: 40 })
    expect(views.map.points).toHaveLength(80)
    expect(views.map.explainedVariance).toHaveLength(2)
    expect(views.latent).toMatchObject({ kind: 'latent', dim: 4, rowCount: 40 })
    expect(views.latent.interpolation).toMatchObject({ steps: 3 })
    expect(views.scatter).toMatchObject({ kind: 'scatter2d', resolution: 4 })
    expect(views.scatter.real).toHaveLength(80)
    expect(views.scatter.grid).toHaveLength(32)
    expect(views.grid).toMatchObject({ kind: 'points', count: 40 })
    expect(views.recon).toMatchObject({ kind: 'reconstruction', count: 3, rowCount: 40 })
    expect(views.recon.meanMse).toEqual(expect.any(Number))
    for (const view of Object.values(views))
      expect(JSON.parse(JSON.stringify(view))).toStrictEqual(view)
  })

  it('keeps training after views ran, and the views follow the weights', async () => {
    const first = await program.evaluateView('map', { samples: 40 })
    const again = await program.evaluateView('map', { samples: 40 })
    // Same step, same held-out draw: the same map.
    expect(again).toEqual(first)
    const step = await program.runIteration()
    expect(step.ok).toBe(true)
    const later = await program.evaluateView('map', { samples: 40 })
    expect(later).not.toEqual(first)
  })
})
