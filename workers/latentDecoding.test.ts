import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph, type TrainingProgram } from '../graph-core/compiler'
import type { GraphDocument } from '../graph-core/document'
import { graph } from '../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../nodes/registry'
import { LATENT_FACE_COUNT } from '../nodes/view/latentPicks'
import type { LatentDecodings, LatentViewData } from '../nodes/view/latentView'
import type { ImageGrid } from '../nodes/view/viewSupport'
import { latentDecodingPlans, withDecodedLatents } from './latentDecoding'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A small VAE on 16 × 16 faces with latent tools, as the VAE preset wires it. */
const vae = (): GraphDocument =>
  graph('vae', 3)
    .node('faces', 'data.synthFaces', {
      size: 16,
      batchSize: 16,
      identities: 40,
      heldOutIdentities: 8,
      photos: 4,
    })
    .node('encoder', 'model.encoder', {
      form: 'mlp',
      hidden: [16],
      latentDim: 4,
      isVariational: true,
    })
    .node('sample', 'model.reparameterize')
    .node('decoder', 'model.decoder', {
      form: 'mlp',
      hidden: [16],
      outputShape: [16, 16, 1],
      outputActivation: 'sigmoid',
    })
    .node('mse', 'loss.mse')
    .node('adam', 'optim.adam')
    .node('tools', 'view.latent', { samples: 32, steps: 5, count: 3 })
    .edge('faces.images', 'encoder.x')
    .edge('encoder.z', 'sample.mean')
    .edge('encoder.logVariance', 'sample.logVariance')
    .edge('sample.z', 'decoder.z')
    .edge('decoder.x', 'mse.prediction')
    .edge('faces.images', 'mse.target')
    .edge('mse.loss', 'adam.loss')
    .edge('encoder.z', 'tools.latents')
    .edge('faces.smile', 'tools.attribute')
    .build()

describe('latentDecodingPlans', () => {
  it('walks through Reparameterize to the decoder, and encodes faces with the latents’ node', () => {
    expect([...latentDecodingPlans(vae())]).toEqual([
      [
        'tools',
        {
          decoder: 'decoder',
          range: 'zeroOne',
          encoder: {
            node: 'encoder',
            inputPort: 'x',
            outputPort: 'z',
            source: { node: 'faces', port: 'images', application: 0 },
          },
        },
      ],
    ])
  })

  it('takes the nearest decoder (breadth first), a tanh range, and a later application', () => {
    const document = graph('two decoders')
      .node('data', 'data.toy2d')
      .node('other', 'data.toy2d')
      .node('encoder', 'model.encoder', {}, { applications: 2 })
      .node('sample', 'model.reparameterize')
      .node('far', 'model.decoder')
      .node('near', 'model.generator', { outputActivation: 'tanh' })
      .node('tools', 'view.latent')
      .edge('data.points', 'encoder.x')
      .edge('other.points', 'encoder.x@1')
      // The Reparameterize edge comes first, but the generator is one edge nearer.
      .edge('encoder.z@1', 'sample.mean')
      .edge('sample.z', 'far.z')
      .edge('encoder.z@1', 'near.z')
      .edge('encoder.z@1', 'tools.latents')
      .build()
    expect(latentDecodingPlans(document).get('tools')).toEqual({
      decoder: 'near',
      range: 'minusOneOne',
      encoder: {
        node: 'encoder',
        inputPort: 'x',
        outputPort: 'z',
        source: { node: 'other', port: 'points', application: 0 },
      },
    })
  })

  it('does not follow other nodes, and says what to connect when there is no decoder', () => {
    const document = graph('no decoder')
      .node('data', 'data.toy2d')
      .node('encoder', 'model.encoder')
      .node('dense', 'model.dense', { units: 4 })
      .node('decoder', 'model.decoder')
      .node('tools', 'view.latent')
      .edge('data.points', 'encoder.x')
      .edge('encoder.z', 'dense.x')
      .edge('dense.y', 'decoder.z')
      .edge('encoder.z', 'tools.latents')
      .build()
    const plan = latentDecodingPlans(document).get('tools')
    expect(plan !== undefined && 'problem' in plan ? plan.problem : '').toMatch(
      /No decoder.*Decoder or Generator/,
    )
  })
})

describe('withDecodedLatents', () => {
  let program: TrainingProgram

  beforeAll(() => {
    const compiled = compileGraph(tf, vae(), nodeRegistry)
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics))
    program = compiled.program
  })

  const imageAt = (grid: ImageGrid, index: number) => {
    const size = grid.width * grid.height * grid.channels
    return grid.pixels.slice(index * size, (index + 1) * size)
  }

  async function decoded(picks?: { from: number; to: number; face: number }) {
    const plan = latentDecodingPlans(vae()).get('tools')
    if (plan === undefined) throw new Error('no plan')
    const data = await program.evaluateView('tools', { samples: 32 })
    const result = await withDecodedLatents(tf, program, plan, data, picks)
    return (result as unknown as LatentViewData).decoded as Exclude<
      LatentDecodings,
      { problem: string }
    >
  }

  it('decodes prior draws, faces, the picked interpolation and the smile strengths', async () => {
    await program.runIteration()
    const baseline = tf.memory().numTensors
    const result = await decoded({ from: 2, to: 5, face: 7 })
    expect(tf.memory().numTensors).toBe(baseline)

    expect(result.decoder).toBe('decoder')
    expect(result.picks).toEqual({ from: 2, to: 5, face: 7 })
    expect(result.prior).toMatchObject({ kind: 'images', count: 3, width: 16, height: 16 })
    const faces = result.faces
    if (faces === null) throw new Error('no faces')
    expect(faces.originals).toMatchObject({ kind: 'images', count: LATENT_FACE_COUNT })
    expect(faces.decoded).toMatchObject({ kind: 'images', count: LATENT_FACE_COUNT })
    const interpolation = result.interpolation as ImageGrid
    expect(interpolation.count).toBe(5)
    // The path starts exactly at face 2's latent and ends at face 5's: the same pictures.
    expect(imageAt(interpolation, 0)).toEqual(imageAt(faces.decoded as ImageGrid, 2))
    expect(imageAt(interpolation, 4)).toEqual(imageAt(faces.decoded as ImageGrid, 5))
    expect(imageAt(interpolation, 0)).not.toEqual(imageAt(interpolation, 4))
    const attribute = result.attribute
    if (attribute === null) throw new Error('no attribute strip')
    expect(attribute.strengths).toEqual([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2])
    // Strength 0 is face 7 itself; ±2 move away from it in opposite directions.
    const images = attribute.images as ImageGrid
    expect(imageAt(images, 4)).toEqual(imageAt(faces.decoded as ImageGrid, 7))
    expect(imageAt(images, 0)).not.toEqual(imageAt(images, 8))
  })

  it('shows the same held-out faces at every step, and keeps default picks', async () => {
    const before = await decoded()
    await program.runIteration()
    const after = await decoded()
    expect(after.faces?.originals).toEqual(before.faces?.originals)
    expect(after.picks).toEqual({ from: 0, to: 1, face: 0 })
  })

  it('turns a decoder that cannot take the latents into a problem, and passes other kinds', async () => {
    const data = await program.evaluateView('tools', { samples: 32 })
    const wrong = { decoder: 'mse', range: 'zeroOne' } as const
    const result = await withDecodedLatents(tf, program, wrong, data, undefined)
    const decodings = (result as unknown as LatentViewData).decoded
    expect(decodings !== undefined && 'problem' in decodings ? decodings.problem : '').toMatch(
      /^Could not decode/,
    )
    const other = { kind: 'images' }
    expect(await withDecodedLatents(tf, program, wrong, other, undefined)).toBe(other)
  })
})
