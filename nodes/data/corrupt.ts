import { seedFor } from '../../graph-core/initializers'
import { defineNode, ok, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'

/** The ways `data.corrupt` damages its input. */
export type CorruptionKind = 'gaussian' | 'saltAndPepper' | 'mask'

const corruptParams = {
  kind: param.choice<CorruptionKind>({
    default: 'gaussian',
    options: [
      { value: 'gaussian', label: 'Gaussian noise' },
      { value: 'saltAndPepper', label: 'Salt and pepper' },
      { value: 'mask', label: 'Masking (dropout)' },
    ],
    help: 'How the input is damaged: additive Gaussian noise, pixels set to black or white, or pixels set to 0.',
  }),
  sigma: param.number({
    default: 0.3,
    min: 0,
    max: 2,
    step: 0.05,
    label: 'σ (Gaussian)',
    help: 'Standard deviation of the Gaussian noise added to every value before clipping to [0, 1].',
  }),
  fraction: param.number({
    default: 0.2,
    min: 0,
    max: 1,
    step: 0.05,
    label: 'fraction (salt and pepper)',
    help: 'Share of pixels replaced by 0 or 1 (each with equal chance).',
  }),
  keepProbability: param.number({
    default: 0.75,
    min: 0,
    max: 1,
    step: 0.05,
    label: 'keep probability (mask)',
    help: 'Chance that a pixel is kept; the others are set to 0.',
  }),
  isAppliedOnHeldOut: param.boolean({
    default: true,
    label: 'corrupt held-out data',
    help: 'Also corrupt the held-out batches views evaluate on, so they show the model denoising. Off passes them through clean.',
  }),
}

/**
 * The shape of one random draw per pixel: an image batch [batch, h, w, c] draws [batch, h, w, 1]
 * so the channels of a pixel share it; any other shape draws one per value.
 */
function pixelShape(images: Tensor): number[] {
  return images.rank === 4 ? [...images.shape.slice(0, 3), 1] : [...images.shape]
}

/** The corrupted copy of `images` for one pass; a new tensor. */
function corruptImages(
  tf: Tf,
  images: Tensor,
  params: ParamValues<typeof corruptParams>,
  seed: number,
): Tensor {
  switch (params.kind) {
    case 'gaussian': {
      const noise = tf.randomNormal(images.shape, 0, params.sigma, 'float32', seed)
      return tf.clipByValue(tf.add(images, noise), 0, 1)
    }
    case 'saltAndPepper': {
      // One uniform u per pixel: u < f/2 → pepper (0), f/2 ≤ u < f → salt (1), else kept.
      const u = tf.randomUniform(pixelShape(images), 0, 1, 'float32', seed)
      const isHit = tf.cast(tf.less(u, params.fraction), 'float32')
      const isSalt = tf.cast(
        tf.logicalAnd(tf.greaterEqual(u, params.fraction / 2), tf.less(u, params.fraction)),
        'float32',
      )
      return tf.add(tf.mul(images, tf.sub(1, isHit)), isSalt)
    }
    case 'mask': {
      const u = tf.randomUniform(pixelShape(images), 0, 1, 'float32', seed)
      return tf.mul(images, tf.cast(tf.less(u, params.keepProbability), 'float32'))
    }
  }
}

/**
 * Corrupts its input for a denoising autoencoder (Vincent et al., 2008), whose target is the
 * clean image: wire `corrupted` into the encoder and `clean` (the input passed through) into
 * the loss's target. Any per-sample shape; values are taken to lie in [0, 1].
 * - gaussian: x̃ = clip(x + ε, 0, 1), ε ~ N(0, σ²) per value;
 * - saltAndPepper: each pixel becomes 0 with probability f/2 and 1 with probability f/2;
 * - mask: each pixel is kept with probability p, else set to 0 (x̃ = x·m, m ~ Bernoulli(p)).
 * A pixel of an image [h, w, c] is hit in all its channels together; other shapes draw per
 * value. Fresh noise every pass from the pass's seed, so runs are reproducible.
 */
export const corrupt = defineNode({
  type: 'data.corrupt',
  version: 1,
  category: 'data',
  label: 'Corrupt',
  description: 'Adds noise or masks pixels, and passes the clean input on as the target.',
  inputs: { images: tensor({ description: 'Images (or any values) in [0, 1].' }) },
  outputs: {
    corrupted: tensor({ description: 'The damaged copy: the denoising autoencoder’s input.' }),
    clean: tensor({ description: 'The input unchanged: the denoising autoencoder’s target.' }),
  },
  params: corruptParams,
  inferShapes: ({ images }) => ok({ corrupted: images, clean: images }),
  build: ({ tf, params }) => ({
    forward: ({ images }, { split, seed }) => {
      // New tensors, not the input itself: the caller owns and disposes what it returns.
      const clean = tf.clone(images)
      if (split === 'heldOut' && !params.isAppliedOnHeldOut) {
        return { corrupted: tf.clone(images), clean }
      }
      return { corrupted: corruptImages(tf, images, params, seedFor(seed, params.kind)), clean }
    },
  }),
})
