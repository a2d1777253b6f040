import { parseDatasetRef, type DatasetRef } from '../../graph-core/datasetRef'
import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import { mulberry32 } from '../view/metrics/random'
import { datasetResourceId, decodeImageFolder, imageBytes } from './imageFolder/format'
import { splitImageFolder, type ImageFolderSplitKind } from './imageFolder/splits'
import { sampleBatch, type BatchOptions } from './mnist/sampling'

const imageFolderParams = {
  dataset: param.datasetRef({
    help: 'One of the datasets imported in the Datasets panel (a folder of images or a zip, labels from sub-folder names).',
  }),
  split: param.choice<ImageFolderSplitKind>({
    default: 'bySample',
    options: [
      { value: 'bySample', label: 'By sample (80 % train / 20 % held out of every label)' },
      { value: 'byLabel', label: 'By label (held-out labels are new classes)' },
    ],
    help: 'How images are held out for views: a fixed 20 % of every label, or whole labels never seen in training.',
  }),
  heldOutLabels: param.int({
    default: 1,
    min: 1,
    max: 100_000,
    label: 'held-out labels',
    help: 'With the by-label split: how many labels to hold out, taken from the end of the label list (sorted by name).',
  }),
  sampler: param.choice<BatchOptions['sampler']>({
    default: 'random',
    options: [
      { value: 'random', label: 'Random images' },
      { value: 'pk', label: 'P labels × K images' },
    ],
    help: 'Random batches, or P labels with K images each (what triplet mining needs).',
  }),
  batchSize: param.int({
    default: 32,
    min: 1,
    max: 4096,
    label: 'batch size',
    help: 'Images per random batch; small folders are drawn with replacement.',
  }),
  identitiesPerBatch: param.int({
    default: 4,
    min: 1,
    max: 1024,
    label: 'labels per batch (P)',
    help: 'P of a P×K batch: how many different labels; at most the training labels.',
  }),
  photosPerIdentity: param.int({
    default: 4,
    min: 1,
    max: 256,
    label: 'images per label (K)',
    help: 'K of a P×K batch: images of each label (repeated when a label has fewer).',
  }),
}

type ImageFolderParams = ParamValues<typeof imageFolderParams>

/** Labels that train: all of them, or all but the held-out ones of a by-label split. */
const trainingLabels = (ref: DatasetRef, params: ImageFolderParams) =>
  params.split === 'bySample' ? ref.labels : ref.labels - params.heldOutLabels

/**
 * The user's own images (DESIGN §5): a dataset imported in the Datasets panel from a folder or
 * a zip — labels from sub-folder names, every image resized and centre-cropped to one size,
 * grayscale or RGB — and stored in the browser's database. Gives [height, width, channels]
 * floats in [0, 1] and an int32 label per image.
 *
 * The `dataset` param is a reference that names the image shape and the label count
 * (graph-core/datasetRef.ts), so shapes and semantic checks work without the data; the worker
 * loads the pixels as the resource `dataset:<id>` (nodes/data/imageFolder/format.ts), and the
 * build refuses data that no longer matches the reference. No dataset picked is a diagnostic
 * on the node; a dataset missing from this browser fails the load with a message saying so.
 *
 * Splits: by sample, a fixed seeded shuffle holds out 20 % of every label; by label, the last
 * `heldOutLabels` labels are held out whole (new classes at test time). Batches are random
 * images or P labels × K images, drawn from the pass's seed (nodes/data/mnist/sampling.ts).
 */
export const imageFolder = defineNode({
  type: 'data.imageFolder',
  version: 1,
  category: 'data',
  label: 'Image folder',
  description: 'Your own images, imported from a folder or a zip; labels are sub-folder names.',
  inputs: {},
  outputs: {
    images: tensor({ rank: 3, description: 'An image, [height, width, channels] in [0, 1].' }),
    labels: labels({ description: 'The label (sub-folder) of each image, 0 … labels−1.' }),
  },
  params: imageFolderParams,
  resources: (params) => {
    const ref = parseDatasetRef(params.dataset)
    return ref === undefined ? [] : [datasetResourceId(ref.id)]
  },
  dataInfo: (params) => {
    const ref = parseDatasetRef(params.dataset)
    if (ref === undefined) return {}
    const classes = Math.max(1, trainingLabels(ref, params))
    return {
      classes,
      samplesPerClassPerBatch:
        params.sampler === 'pk' ? params.photosPerIdentity : params.batchSize / classes,
    }
  },
  inferShapes: (_inputs, params) => {
    const ref = parseDatasetRef(params.dataset)
    if (ref === undefined)
      return fail({
        message: 'No dataset picked: import images in the Datasets panel, then pick them here',
      })
    const issues: ShapeIssue[] = []
    const classes = trainingLabels(ref, params)
    if (params.split === 'byLabel' && classes < 1) {
      issues.push({
        message: `Holds out ${params.heldOutLabels} labels, but the dataset has only ${ref.labels}: at least one must train`,
        expected: `held-out labels < ${ref.labels}`,
        actual: String(params.heldOutLabels),
      })
    } else if (params.sampler === 'pk' && params.identitiesPerBatch > classes) {
      issues.push({
        message: `P×K batches take ${params.identitiesPerBatch} labels, but training has only ${classes}`,
        expected: `P ≤ ${classes}`,
        actual: String(params.identitiesPerBatch),
      })
    }
    if (issues.length > 0) return fail(...issues)
    return ok({ images: [ref.height, ref.width, ref.channels], labels: [] })
  },
  build: ({ tf, params, resource }) => {
    const ref = parseDatasetRef(params.dataset)
    if (ref === undefined) throw new Error('No dataset picked')
    const data = decodeImageFolder(resource(datasetResourceId(ref.id)))
    if (
      data.width !== ref.width ||
      data.height !== ref.height ||
      data.channels !== ref.channels ||
      data.labelNames.length !== ref.labels
    ) {
      throw new Error(
        `The imported dataset is now ${data.width}×${data.height}×${data.channels} with ${data.labelNames.length} labels, but the node expects ${ref.width}×${ref.height}×${ref.channels} with ${ref.labels}: pick the dataset again`,
      )
    }
    const splits = splitImageFolder(
      data.labels,
      data.labelNames.length,
      params.split,
      params.heldOutLabels,
    )
    const size = imageBytes(data)
    return {
      forward: (_inputs, { seed, split }) => {
        const part = split === 'train' ? splits.train : splits.heldOut
        if (part.samples.length === 0) {
          throw new Error(
            `The dataset has no ${split === 'train' ? 'training' : 'held-out'} images with this split: it needs at least 2 images of a label`,
          )
        }
        const batch = sampleBatch(part, params, mulberry32(seed))
        const rows = batch.samples.length
        const images = new Float32Array(rows * size)
        batch.samples.forEach((sample, row) => {
          const source = data.pixels.subarray(sample * size, (sample + 1) * size)
          for (let at = 0; at < size; at++) images[row * size + at] = (source[at] ?? 0) / 255
        })
        return {
          images: tf.tensor4d(images, [rows, data.height, data.width, data.channels]), // [batch, h, w, c]
          labels: tf.tensor1d(batch.labels, 'int32'), // [batch]
        }
      },
    }
  },
})
