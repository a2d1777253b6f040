/**
 * A small synthetic dataset node for the seminar-graph tests (the real datasets are
 * SynthFaces and MNIST). Identity c has a fixed 8×8 prototype; each photo is the prototype plus
 * seeded noise. Held-out identities are disjoint from the training ones. Besides images and
 * labels it gives what the other graphs need: a paired "negative" image, a noisy copy for the
 * denoising autoencoder, a 4×4 low-resolution copy, and points on a ring of 8 Gaussians.
 */
import type { Tensor4D } from '@tensorflow/tfjs'
import { defineNode, ok, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import { createRegistry } from '../../graph-core/registry'
import { NODE_DEFINITIONS } from '../../nodes/registry'

const SIZE = 8

function prototypes(tf: Tf, first: number, count: number): Tensor {
  // [count, 8, 8, 1]: each identity a smooth random pattern in [0, 1]
  return tf.tidy(() => {
    const coarse = tf.randomUniform([count, 4, 4, 1], 0, 1, 'float32', 1000 + first)
    return tf.image.resizeBilinear(coarse as Tensor4D, [SIZE, SIZE])
  })
}

export const syntheticFaces = defineNode({
  type: 'test.faces',
  version: 1,
  category: 'data',
  label: 'Synthetic faces (test)',
  description: 'Seeded 8×8 identities with noisy photos, for tests.',
  inputs: {},
  outputs: {
    images: tensor(),
    labels: labels(),
    negative: tensor(),
    noisy: tensor(),
    lowRes: tensor(),
    points: tensor(),
  },
  params: {
    classes: param.int({ default: 6, min: 2, help: 'Training identities.' }),
    sampler: param.choice({
      default: 'random',
      options: ['random', 'pk'],
      help: 'Batch sampling.',
    }),
    batchSize: param.int({ default: 24, min: 1, help: 'Photos per random batch.' }),
    identitiesPerBatch: param.int({ default: 4, min: 1, help: 'P for P×K batches.' }),
    photosPerIdentity: param.int({ default: 4, min: 1, help: 'K for P×K batches.' }),
  },
  dataInfo: ({ classes, sampler, batchSize, photosPerIdentity }) => ({
    classes,
    samplesPerClassPerBatch: sampler === 'pk' ? photosPerIdentity : batchSize / classes,
  }),
  inferShapes: () =>
    ok({
      images: [SIZE, SIZE, 1],
      labels: [],
      negative: [SIZE, SIZE, 1],
      noisy: [SIZE, SIZE, 1],
      lowRes: [4, 4, 1],
      points: [2],
    }),
  build: ({ tf, params }) => {
    const train = prototypes(tf, 0, params.classes)
    const heldOut = prototypes(tf, params.classes, params.classes)
    return {
      forward: (_inputs, { seed, split }) => {
        const isPk = params.sampler === 'pk'
        const count = isPk ? params.identitiesPerBatch * params.photosPerIdentity : params.batchSize
        const ids = isPk
          ? Array.from(
              { length: count },
              (_, row) => (Math.floor(row / params.photosPerIdentity) + seed) % params.classes,
            )
          : Array.from({ length: count }, (_, row) => (row * 7 + seed) % params.classes)
        const labelTensor = tf.tensor1d(ids, 'int32')
        const clean = tf.gather(split === 'train' ? train : heldOut, labelTensor)
        const images = tf.clipByValue(
          tf.add(clean, tf.randomNormal(clean.shape, 0, 0.05, 'float32', seed)),
          0,
          1,
        )
        const angles = tf.mul(
          tf.floor(tf.randomUniform([count], 0, 8, 'float32', seed + 1)),
          Math.PI / 4,
        )
        const ring = tf.stack([tf.cos(angles), tf.sin(angles)], 1)
        return {
          images,
          labels: split === 'train' ? labelTensor : tf.add(labelTensor, params.classes),
          negative: tf.sub(1, images),
          noisy: tf.clipByValue(
            tf.add(images, tf.randomNormal(images.shape, 0, 0.3, 'float32', seed + 3)),
            0,
            1,
          ),
          lowRes: tf.avgPool(images as Tensor4D, 2, 2, 'valid'),
          points: tf.add(
            tf.mul(ring, 2),
            tf.randomNormal([count, 2], 0, 0.05, 'float32', seed + 2),
          ),
        }
      },
      dispose: () => {
        tf.dispose([train, heldOut])
      },
    }
  },
})

export const testRegistry = createRegistry([...NODE_DEFINITIONS, syntheticFaces])
