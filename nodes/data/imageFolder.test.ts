import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph } from '../../graph-core/compiler'
import { formatDatasetRef } from '../../graph-core/datasetRef'
import { resolveParams } from '../../graph-core/params'
import { requiredResources } from '../../graph-core/resources'
import { buildNode } from '../../graph-core/runNode'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../registry'
import { imageFolder } from './imageFolder'
import { encodeImageFolder, labelsFromCounts } from './imageFolder/format'
import { splitImageFolder } from './imageFolder/splits'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const SIDE = 6
const COUNTS = [10, 7, 12, 1]
const NAMES = ['circle', 'cross', 'square', 'zebra']

/** Images grouped by label; every pixel of an image of label k is 40·k + (image index mod 5). */
function dataset(channels: 1 | 3 = 1) {
  const labels = labelsFromCounts(COUNTS)
  const area = SIDE * SIDE * channels
  const pixels = new Uint8Array(labels.length * area)
  labels.forEach((label, image) =>
    pixels.fill(40 * label + (image % 5), image * area, (image + 1) * area),
  )
  return encodeImageFolder({
    width: SIDE,
    height: SIDE,
    channels,
    labelNames: NAMES,
    labels,
    pixels,
  })
}

const REF = formatDatasetRef({ id: 'ds-test', width: SIDE, height: SIDE, channels: 1, labels: 4 })
const resources = () => new Map([['dataset:ds-test', dataset()]])
const params = (saved: Record<string, unknown> = {}) =>
  resolveParams(imageFolder.params, { dataset: REF, ...saved }).values

function draw(saved: Record<string, unknown>, seed: number, split: 'train' | 'heldOut' = 'train') {
  const node = buildNode(tf, imageFolder, {
    params: { dataset: REF, ...saved },
    inputs: {},
    resources: resources(),
    seed,
    split,
  })
  const { outputs } = node.forward({})
  const images = outputs.images ?? tf.scalar(0)
  const labels = outputs.labels ?? tf.scalar(0)
  const result = {
    shape: images.shape,
    dtypes: [images.dtype, labels.dtype],
    images: Array.from(images.dataSync()),
    labels: Array.from(labels.dataSync()),
  }
  tf.dispose([images, labels])
  node.dispose()
  return result
}

const issueOf = (saved: Record<string, unknown>) => {
  const result = imageFolder.inferShapes({}, resolveParams(imageFolder.params, saved).values)
  return 'issues' in result ? result.issues[0]?.message : undefined
}

describe('data.imageFolder shapes and info', () => {
  it('gives [height, width, channels] images from the reference alone', () => {
    expect(imageFolder.inferShapes({}, params())).toEqual({
      outputs: { images: [SIDE, SIDE, 1], labels: [] },
    })
    const rgb = formatDatasetRef({ id: 'x', width: 32, height: 16, channels: 3, labels: 2 })
    expect(imageFolder.inferShapes({}, params({ dataset: rgb }))).toEqual({
      outputs: { images: [16, 32, 3], labels: [] },
    })
    expect(imageFolder.resources?.(params())).toEqual(['dataset:ds-test'])
  })

  it.each([
    [{}, 'No dataset picked: import images in the Datasets panel, then pick them here'],
    [
      { dataset: REF, split: 'byLabel', heldOutLabels: 4 },
      'Holds out 4 labels, but the dataset has only 4: at least one must train',
    ],
    [
      { dataset: REF, split: 'byLabel', heldOutLabels: 2, sampler: 'pk', identitiesPerBatch: 3 },
      'P×K batches take 3 labels, but training has only 2',
    ],
  ])('refuses %j', (saved, message) => {
    expect(issueOf(saved)).toBe(message)
  })

  it('needs no data and tells nothing when no dataset is picked', () => {
    const none = resolveParams(imageFolder.params, {}).values
    expect(imageFolder.resources?.(none)).toEqual([])
    expect(imageFolder.dataInfo?.(none)).toEqual({})
  })

  it('tells the losses the training labels from the reference', () => {
    expect(imageFolder.dataInfo?.(params({ batchSize: 8 }))).toEqual({
      classes: 4,
      samplesPerClassPerBatch: 2,
    })
    expect(
      imageFolder.dataInfo?.(params({ split: 'byLabel', heldOutLabels: 1, sampler: 'pk' })),
    ).toEqual({ classes: 3, samplesPerClassPerBatch: 4 })
  })
})

describe('data.imageFolder splits', () => {
  const labels = labelsFromCounts(COUNTS)

  it('holds out a fixed 20 % of every label by sample, disjoint from training', () => {
    const { train, heldOut } = splitImageFolder(labels, 4, 'bySample', 1)
    const inTrain = new Set(train.samples)
    expect([...heldOut.samples].filter((sample) => inTrain.has(sample))).toEqual([])
    expect(train.samples.length + heldOut.samples.length).toBe(30)
    // round(20 %) of 10, 7 and 12 images; a label with one image keeps it for training.
    expect(heldOut.classes.map((entry) => [entry.label, entry.samples.length])).toEqual([
      [0, 2],
      [1, 1],
      [2, 2],
    ])
    expect(train.classes.map((entry) => entry.label)).toEqual([0, 1, 2, 3])
    expect(splitImageFolder(labels, 4, 'bySample', 1).heldOut.samples).toEqual(heldOut.samples)
  })

  it('holds out the last labels whole by label', () => {
    const { train, heldOut } = splitImageFolder(labels, 4, 'byLabel', 2)
    expect(train.classes.map((entry) => entry.label)).toEqual([0, 1])
    expect(heldOut.classes.map((entry) => entry.label)).toEqual([2, 3])
    expect(train.samples.length).toBe(17)
    expect(heldOut.samples.length).toBe(13)
  })

  it('draws training and held-out batches from their own labels', () => {
    const saved = { split: 'byLabel', heldOutLabels: 2, batchSize: 64 }
    expect(new Set(draw(saved, 1).labels)).toEqual(new Set([0, 1]))
    expect(new Set(draw(saved, 1, 'heldOut').labels)).toEqual(new Set([2, 3]))
  })
})

describe('data.imageFolder batches', () => {
  it('gives the stored pixels as floats in [0, 1] with their int32 labels', () => {
    const batch = draw({ batchSize: 16 }, 3)
    expect(batch.shape).toEqual([16, SIDE, SIDE, 1])
    expect(batch.dtypes).toEqual(['float32', 'int32'])
    const area = SIDE * SIDE
    batch.labels.forEach((label, row) => {
      const first = batch.images[row * area] ?? -1
      // Every pixel of the row is the same stored byte 40·label + (index mod 5), over 255.
      expect(Math.round(first * 255) - 40 * label).toBeGreaterThanOrEqual(0)
      expect(Math.round(first * 255) - 40 * label).toBeLessThan(5)
      expect(batch.images.slice(row * area, (row + 1) * area).every((v) => v === first)).toBe(true)
    })
  })

  it('keeps P×K: P labels, K images each, rows of a label together', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { labels, shape } = draw(
        { sampler: 'pk', identitiesPerBatch: 3, photosPerIdentity: 4 },
        seed,
      )
      expect(shape[0]).toBe(12)
      for (let group = 0; group < 3; group++)
        expect(new Set(labels.slice(group * 4, group * 4 + 4)).size).toBe(1)
      expect(new Set(labels).size).toBe(3)
    }
  })

  it('draws the same batch for a seed and another for another seed', () => {
    expect(draw({ batchSize: 8 }, 5)).toEqual(draw({ batchSize: 8 }, 5))
    expect(draw({ batchSize: 8 }, 5).labels).not.toEqual(draw({ batchSize: 8 }, 6).labels)
  })

  it('refuses data that no longer matches the reference', () => {
    const other = new Map([['dataset:ds-test', dataset(3)]])
    expect(() =>
      buildNode(tf, imageFolder, { params: { dataset: REF }, inputs: {}, resources: other }),
    ).toThrow(
      'The imported dataset is now 6×6×3 with 4 labels, but the node expects 6×6×1 with 4: pick the dataset again',
    )
  })
})

/** data.imageFolder → encoder → classifier head → softmax cross-entropy → Adam. */
const classifier = () =>
  graph('folder classifier', 5)
    .node('folder', 'data.imageFolder', { dataset: REF, batchSize: 16 })
    .node('enc', 'model.encoder', { hidden: [16], latentDim: 8 })
    .node('head', 'model.classifierHead', { classes: 4 })
    .node('ce', 'loss.softmaxCE')
    .node('adam', 'optim.adam', { learningRate: 0.01 })
    .edge('folder.images', 'enc.x')
    .edge('enc.z', 'head.x')
    .edge('head.logits', 'ce.logits')
    .edge('folder.labels', 'ce.labels')
    .edge('ce.loss', 'adam.loss')
    .build()

describe('data.imageFolder in a graph', () => {
  it('needs its dataset resource', () => {
    expect(requiredResources(classifier(), nodeRegistry)).toEqual(['dataset:ds-test'])
  })

  it('trains a small classifier with finite losses and a flat tensor count', async () => {
    const compiled = compileGraph(tf, classifier(), nodeRegistry, { resources: resources() })
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics))
    const { program } = compiled
    const losses: number[] = []
    let afterFirst = 0
    for (let step = 0; step < 8; step++) {
      const result = await program.runIteration()
      if (!result.ok) throw new Error(result.diagnostic.message)
      losses.push(result.losses.adam ?? Number.NaN)
      if (step === 0) afterFirst = tf.memory().numTensors
    }
    expect(tf.memory().numTensors).toBe(afterFirst)
    expect(losses.every(Number.isFinite)).toBe(true)
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0)
    program.dispose()
  })

  it('fails the build on the node when the dataset is not loaded', () => {
    const result = compileGraph(tf, classifier(), nodeRegistry)
    const failure = result.diagnostics.find((diagnostic) => diagnostic.code === 'BUILD_FAILED')
    expect(failure?.node).toBe('folder')
    expect(failure?.message).toContain('the "dataset:ds-test" data is not loaded')
  })

  it('reports a missing pick as a diagnostic on the node, not a crash', () => {
    const document = classifier()
    const node = document.nodes.find((entry) => entry.id === 'folder')
    if (node !== undefined) node.params = { ...node.params, dataset: '' }
    const result = compileGraph(tf, document, nodeRegistry)
    expect(result.ok).toBe(false)
    expect(result.diagnostics.some((diagnostic) => diagnostic.node === 'folder')).toBe(true)
  })
})
