import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph, type TrainingProgram } from '../graph-core/compiler'
import { graph, type GraphBuilder } from '../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../nodes/registry'
import { NOISE_LEVELS, type DenoisingLevels } from '../nodes/view/metrics/denoising'
import type { ImageGrid } from '../nodes/view/viewSupport'
import { addNoise, denoisingPlans, runChain, withDenoisingLevels } from './denoisingLevels'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A denoising autoencoder as the preset wires it (faces instead of digits), views included. */
const denoiser = (corruptParams: Record<string, unknown> = {}): GraphBuilder =>
  graph('denoiser', 5)
    .node('faces', 'data.synthFaces', {
      size: 16,
      batchSize: 16,
      identities: 40,
      heldOutIdentities: 8,
      photos: 4,
    })
    .node('noise', 'data.corrupt', { kind: 'gaussian', sigma: 0.3, ...corruptParams })
    .node('encoder', 'model.encoder', { form: 'mlp', hidden: [16], latentDim: 8 })
    .node('decoder', 'model.decoder', {
      form: 'mlp',
      hidden: [16],
      outputShape: [16, 16, 1],
      outputActivation: 'sigmoid',
    })
    .node('mse', 'loss.mse')
    .node('adam', 'optim.adam')
    .node('denoised', 'view.reconstruction', { count: 3 })
    .node('noisy', 'view.reconstruction')
    .edge('faces.images', 'noise.images')
    .edge('noise.corrupted', 'encoder.x')
    .edge('encoder.z', 'decoder.z')
    .edge('decoder.x', 'mse.prediction')
    .edge('noise.clean', 'mse.target')
    .edge('mse.loss', 'adam.loss')
    .edge('noise.clean', 'denoised.original')
    .edge('decoder.x', 'denoised.reconstruction')
    .edge('noise.clean', 'noisy.original')
    .edge('noise.corrupted', 'noisy.reconstruction')

const problemOf = (plan: object | undefined) =>
  plan !== undefined && 'problem' in plan ? plan.problem : undefined

describe('denoisingPlans', () => {
  it('finds the chain from the corrupt node to the reconstruction, and skips the noisy view', () => {
    expect([...denoisingPlans(denoiser().build())]).toEqual([
      [
        'denoised',
        {
          corrupt: 'noise',
          chain: [
            { node: 'encoder', inputPort: 'x', outputPort: 'z' },
            { node: 'decoder', inputPort: 'z', outputPort: 'x' },
          ],
          range: 'zeroOne',
        },
      ],
    ])
  })

  it('leaves out reconstructions that do not depend on a corrupt node', () => {
    const document = graph('plain')
      .node('faces', 'data.synthFaces')
      .node('encoder', 'model.encoder')
      .node('decoder', 'model.decoder')
      .node('recon', 'view.reconstruction')
      .edge('faces.images', 'encoder.x')
      .edge('encoder.z', 'decoder.z')
      .edge('faces.images', 'recon.original')
      .edge('decoder.x', 'recon.reconstruction')
      .build()
    expect(denoisingPlans(document).size).toBe(0)
  })

  it('says when the path is not a chain of one-input nodes', () => {
    const document = graph('variational denoiser')
      .node('faces', 'data.synthFaces')
      .node('noise', 'data.corrupt')
      .node('encoder', 'model.encoder', { isVariational: true })
      .node('sample', 'model.reparameterize')
      .node('decoder', 'model.decoder')
      .node('recon', 'view.reconstruction')
      .edge('faces.images', 'noise.images')
      .edge('noise.corrupted', 'encoder.x')
      .edge('encoder.z', 'sample.mean')
      .edge('encoder.logVariance', 'sample.logVariance')
      .edge('sample.z', 'decoder.z')
      .edge('noise.clean', 'recon.original')
      .edge('decoder.x', 'recon.reconstruction')
      .build()
    expect(problemOf(denoisingPlans(document).get('recon'))).toMatch(
      /not a chain of one-input nodes \(sample takes 2 inputs\)/,
    )
  })

  it('refuses a corrupt node that masks rather than adds Gaussian noise', () => {
    const plan = denoisingPlans(denoiser({ kind: 'mask' }).build()).get('denoised')
    expect(problemOf(plan)).toMatch(/Gaussian.*mask/)
  })
})

describe('addNoise', () => {
  it('adds N(0, σ²) and clips to [0, 1]; σ = 0 is the clean image', () => {
    tf.tidy(() => {
      const clean = tf.fill([64, 16, 16, 1], 0.5)
      const noisy = addNoise(tf, clean, 0.1, 9)
      const values = Array.from(noisy.dataSync())
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length
      const std = Math.sqrt(
        values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length,
      )
      // 16,384 draws, 5σ from both bounds: unclipped, std within a few standard errors of 0.1.
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.005)
      expect(std).toBeGreaterThan(0.097)
      expect(std).toBeLessThan(0.103)
      const loud = addNoise(tf, clean, 5, 9).dataSync()
      expect(Math.min(...loud)).toBe(0)
      expect(Math.max(...loud)).toBe(1)
      expect(Array.from(addNoise(tf, clean, 0, 9).dataSync())).toEqual(
        Array(16 * 16 * 64).fill(0.5),
      )
    })
  })
})

describe('withDenoisingLevels', () => {
  let program: TrainingProgram

  beforeAll(() => {
    const compiled = compileGraph(tf, denoiser().build(), nodeRegistry)
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics))
    program = compiled.program
  })

  it('evaluates the denoiser at every noise level on the same clean images, tensors flat', async () => {
    await program.runIteration()
    const plan = denoisingPlans(denoiser().build()).get('denoised')
    if (plan === undefined || 'problem' in plan) throw new Error('no plan')
    const data = await program.evaluateView('denoised')
    const baseline = tf.memory().numTensors
    const result = await withDenoisingLevels(tf, program, plan, data)
    expect(tf.memory().numTensors).toBe(baseline)
    const denoising = result.denoising as Exclude<DenoisingLevels, { problem: string }>

    expect(denoising.corrupt).toBe('noise')
    expect(denoising.chain).toEqual(['encoder', 'decoder'])
    expect(denoising.clean).toMatchObject({ kind: 'images', count: 3, width: 16 })
    expect(denoising.levels.map((level) => level.sigma)).toEqual([...NOISE_LEVELS])
    const [quiet, ...noisy] = denoising.levels
    // σ = 0: the input is the clean image itself (infinite PSNR).
    expect(quiet?.noisyPsnr).toBeNull()
    expect((quiet?.noisy as ImageGrid).pixels).toEqual((denoising.clean as ImageGrid).pixels)
    // More noise, lower PSNR of the input.
    const psnrs = noisy.map((level) => level.noisyPsnr ?? Infinity)
    expect(psnrs).toEqual([...psnrs].sort((a, b) => b - a))
    expect(psnrs.every(Number.isFinite)).toBe(true)

    // The output at σ = 0 is the chain run on the clean images by hand.
    const clean = tf.tensor4d((denoising.clean as ImageGrid).pixels, [3, 16, 16, 1])
    const byHand = runChain(program, plan.chain, clean)
    const expected = Array.from(byHand.dataSync())
    tf.dispose([clean, byHand])
    const output = (quiet?.output as ImageGrid).pixels
    output.forEach((value, index) => {
      expect(value).toBeCloseTo(expected[index] ?? NaN, 5)
    })

    // The same clean images and noise on the next request, after a training step.
    await program.runIteration()
    const again = (await withDenoisingLevels(tf, program, plan, data)).denoising as typeof denoising
    expect(again.clean).toEqual(denoising.clean)
    expect(again.levels[3]?.noisy).toEqual(denoising.levels[3]?.noisy)
  })

  it('passes through a problem, and data of another kind', async () => {
    const problem = { problem: 'not a chain' }
    const data = await program.evaluateView('denoised')
    expect((await withDenoisingLevels(tf, program, problem, data)).denoising).toEqual(problem)
    const other = { kind: 'images' }
    expect(await withDenoisingLevels(tf, program, problem, other)).toBe(other)
  })
})
