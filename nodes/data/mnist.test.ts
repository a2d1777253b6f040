import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph } from '../../graph-core/compiler'
import { resolveParams } from '../../graph-core/params'
import { requiredResources } from '../../graph-core/resources'
import { buildNode } from '../../graph-core/runNode'
import { graph } from '../../graph-core/testing/graphBuilder'
import { packedMnist } from '../../tooling/mnistAsset'
import { nodeRegistry } from '../registry'
import { mulberry32 } from '../view/metrics/random'
import { mnist, MNIST_RESOURCE } from './mnist'
import { decodeMnist, type MnistData } from './mnist/format'
import { sampleBatch, splitMnist } from './mnist/sampling'

let bytes: Uint8Array
let data: MnistData
let resources: ReadonlyMap<string, Uint8Array>

beforeAll(async () => {
  await tf.setBackend('cpu')
  bytes = await packedMnist()
  data = decodeMnist(bytes)
  resources = new Map([[MNIST_RESOURCE, bytes]])
})

const params = (saved: Record<string, unknown> = {}) => resolveParams(mnist.params, saved).values

/** One batch of the node, read back. */
function draw(saved: Record<string, unknown>, seed: number, split: 'train' | 'heldOut' = 'train') {
  const node = buildNode(tf, mnist, { params: saved, inputs: {}, resources, seed, split })
  const { outputs } = node.forward({})
  const images = outputs.images ?? tf.scalar(0)
  const labels = outputs.labels ?? tf.scalar(0)
  const result = {
    shape: images.shape,
    dtypes: [images.dtype, labels.dtype],
    images: images.dataSync(),
    labels: Array.from(labels.dataSync()),
  }
  tf.dispose([images, labels])
  node.dispose()
  return result
}

describe('data.mnist shapes and info', () => {
  it('gives 28×28×1 images and a label per sample', () => {
    expect(mnist.inferShapes({}, params())).toEqual({
      outputs: { images: [28, 28, 1], labels: [] },
    })
    expect(mnist.resources?.(params())).toEqual(['mnist'])
  })

  it.each([
    [{ split: 'byClass', trainDigits: [1, 2, 1] }, 'Training digits list 1 more than once'],
    [
      { split: 'byClass', sampler: 'pk', identitiesPerBatch: 9 },
      'P×K batches take 9 digits, but training has only 8',
    ],
  ])('refuses %j', (saved, message) => {
    const result = mnist.inferShapes({}, params(saved))
    expect('issues' in result ? result.issues[0]?.message : undefined).toBe(message)
  })

  it('tells the losses how many classes train and how many images share one', () => {
    expect(mnist.dataInfo?.(params())).toEqual({ classes: 10, samplesPerClassPerBatch: 6.4 })
    expect(
      mnist.dataInfo?.(params({ split: 'byClass', sampler: 'pk', photosPerIdentity: 5 })),
    ).toEqual({ classes: 8, samplesPerClassPerBatch: 5 })
  })
})

describe('data.mnist splits', () => {
  it('holds out a fixed 2,000 of the 10,000 images by sample, disjoint from training', () => {
    const { train, heldOut } = splitMnist(data.labels, 'bySample', [])
    expect(train.samples.length).toBe(8000)
    expect(heldOut.samples.length).toBe(2000)
    const inTrain = new Set(train.samples)
    expect([...heldOut.samples].filter((sample) => inTrain.has(sample))).toEqual([])
    expect(new Set([...train.samples, ...heldOut.samples]).size).toBe(10_000)
    // Every digit on both sides, labelled as itself; the same split every time.
    expect(heldOut.classes.map((entry) => entry.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(heldOut.labelOf[heldOut.samples[0] ?? 0]).toBe(data.labels[heldOut.samples[0] ?? 0])
    expect(splitMnist(data.labels, 'bySample', []).heldOut.samples).toEqual(heldOut.samples)
  })

  it('holds out whole digits by class, and their labels never reach training', () => {
    const { train, heldOut } = splitMnist(data.labels, 'byClass', [9, 1, 3, 5, 7])
    const digitsOf = (samples: Int32Array) => new Set([...samples].map((s) => data.labels[s]))
    expect([...digitsOf(train.samples)].sort()).toEqual([1, 3, 5, 7, 9])
    expect([...digitsOf(heldOut.samples)].sort()).toEqual([0, 2, 4, 6, 8])
    expect(train.samples.length + heldOut.samples.length).toBe(10_000)
    // Training digits ascending get 0…4, held-out digits 5…9.
    expect(train.classes.map((entry) => entry.label)).toEqual([0, 1, 2, 3, 4])
    expect(heldOut.classes.map((entry) => entry.label)).toEqual([5, 6, 7, 8, 9])
    const firstNine = data.labels.indexOf(9)
    expect(train.labelOf[firstNine]).toBe(4)
  })

  it('draws training and held-out batches from their own digits', () => {
    const saved = { split: 'byClass', batchSize: 128 }
    const trainLabels = new Set<number>()
    const heldOutLabels = new Set<number>()
    for (let seed = 1; seed <= 10; seed++) {
      for (const label of draw(saved, seed).labels) trainLabels.add(label)
      for (const label of draw(saved, seed, 'heldOut').labels) heldOutLabels.add(label)
    }
    expect([...trainLabels].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect([...heldOutLabels].sort()).toEqual([8, 9])
    // The held-out images really are 8s and 9s.
    const part = splitMnist(data.labels, 'byClass', [0, 1, 2, 3, 4, 5, 6, 7]).heldOut
    const batch = sampleBatch(part, { ...params(saved), sampler: 'random' }, mulberry32(3))
    expect(new Set([...batch.samples].map((sample) => data.labels[sample]))).toEqual(
      new Set([8, 9]),
    )
  })
})

describe('data.mnist batches', () => {
  it('gives float images in [0, 1] and int32 labels', () => {
    const batch = draw({ batchSize: 16 }, 1)
    expect(batch.shape).toEqual([16, 28, 28, 1])
    expect(batch.dtypes).toEqual(['float32', 'int32'])
    expect(Math.min(...batch.images)).toBe(0)
    expect(Math.max(...batch.images)).toBeLessThanOrEqual(1)
    expect(Math.max(...batch.images)).toBeGreaterThan(0.9)
    expect(new Set(batch.labels).size).toBeGreaterThan(3)
  })

  it('keeps P×K: P digits, K images each, rows of a digit together', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { labels, shape } = draw(
        { sampler: 'pk', identitiesPerBatch: 4, photosPerIdentity: 3 },
        seed,
      )
      expect(shape[0]).toBe(12)
      const groups = [0, 1, 2, 3].map((group) => labels.slice(group * 3, group * 3 + 3))
      for (const group of groups) expect(new Set(group).size).toBe(1)
      expect(new Set(labels).size).toBe(4)
    }
  })

  it('caps P at the digits a held-out split has', () => {
    const { labels } = draw(
      { split: 'byClass', sampler: 'pk', identitiesPerBatch: 8, photosPerIdentity: 5 },
      2,
      'heldOut',
    )
    expect(labels.length).toBe(10)
    expect(new Set(labels)).toEqual(new Set([8, 9]))
  })

  it('draws the same batch for a seed and another for another seed', () => {
    const saved = { batchSize: 8 }
    expect(draw(saved, 5)).toEqual(draw(saved, 5))
    expect(draw(saved, 5).labels).not.toEqual(draw(saved, 6).labels)
    const pk = { sampler: 'pk', identitiesPerBatch: 3, photosPerIdentity: 2 }
    expect(draw(pk, 5)).toEqual(draw(pk, 5))
  })
})

/** data.mnist → encoder → classifier head → softmax cross-entropy → Adam. */
const classifier = () =>
  graph('mnist classifier', 3)
    .node('digits', 'data.mnist', { batchSize: 32 })
    .node('enc', 'model.encoder', { hidden: [32], latentDim: 16 })
    .node('head', 'model.classifierHead', { classes: 10 })
    .node('ce', 'loss.softmaxCE')
    .node('adam', 'optim.adam', { learningRate: 0.01 })
    .edge('digits.images', 'enc.x')
    .edge('enc.z', 'head.x')
    .edge('head.logits', 'ce.logits')
    .edge('digits.labels', 'ce.labels')
    .edge('ce.loss', 'adam.loss')
    .build()

describe('data.mnist in a graph', () => {
  it('needs the mnist resource', () => {
    expect(requiredResources(classifier(), nodeRegistry)).toEqual(['mnist'])
  })

  it('trains a small classifier with a falling loss and a flat tensor count', async () => {
    const compiled = compileGraph(tf, classifier(), nodeRegistry, { resources })
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics))
    const { program } = compiled
    const losses: number[] = []
    let afterFirst = 0
    for (let step = 0; step < 5; step++) {
      const result = await program.runIteration()
      if (!result.ok) throw new Error(result.diagnostic.message)
      losses.push(result.losses.adam ?? Number.NaN)
      if (step === 0) afterFirst = tf.memory().numTensors
    }
    expect(tf.memory().numTensors).toBe(afterFirst)
    expect(losses.every(Number.isFinite)).toBe(true)
    // Seeded on the CPU backend, so the curve is reproducible: it falls at every step.
    losses.slice(1).forEach((loss, step) => {
      expect(loss).toBeLessThan(losses[step] ?? 0)
    })
    expect(losses[4]).toBeLessThan((losses[0] ?? 0) * 0.9)
    program.dispose()
  })

  it('fails the build on the node when the digits are not loaded', () => {
    const result = compileGraph(tf, classifier(), nodeRegistry)
    expect(result.ok).toBe(false)
    const failure = result.diagnostics.find((diagnostic) => diagnostic.code === 'BUILD_FAILED')
    expect(failure?.node).toBe('digits')
    expect(failure?.message).toContain('MNIST digits (digits): the "mnist" data is not loaded')
  })

  it('fails the build with the format error when the bytes are not MNIST', () => {
    const result = compileGraph(tf, classifier(), nodeRegistry, {
      resources: new Map([['mnist', new Uint8Array(64)]]),
    })
    const failure = result.diagnostics.find((diagnostic) => diagnostic.code === 'BUILD_FAILED')
    expect(failure?.node).toBe('digits')
    expect(failure?.message).toContain('MNIST data does not start with "LLMN"')
  })
})
