import type { Tensor4D } from '@tensorflow/tfjs'
import { defineNode, fail, ok, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'

/**
 * Nearest-neighbour upsampling by an integer factor: every pixel of [batch, h, w, c] becomes an
 * f × f block of [batch, h·f, w·f, c]. Reshapes and tiles (rank 4 only, so every backend runs
 * it) instead of `resizeNearestNeighbor`, whose float source index can land one pixel off.
 */
export function repeatPixels(tf: Tf, images: Tensor, factor: number): Tensor {
  const [batch = 0, height = 0, width = 0, channels = 0] = images.shape
  // rows: [batch, h, 1, w·c] → [batch, h, f, w·c] → [batch, h·f, w, c]
  const rows = tf.reshape(
    tf.tile(tf.reshape(images, [batch, height, 1, width * channels]), [1, 1, factor, 1]),
    [batch, height * factor, width, channels],
  )
  // columns: [batch·h·f, w, 1, c] → [batch·h·f, w, f, c] → [batch, h·f, w·f, c]
  return tf.reshape(
    tf.tile(tf.reshape(rows, [batch * height * factor, width, 1, channels]), [1, 1, factor, 1]),
    [batch, height * factor, width * factor, channels],
  )
}

/**
 * The super-resolution pair: `lowRes` is the image average-pooled over f × f blocks,
 * y[i, j] = (1/f²) Σ x[f·i + a, f·j + b] (a, b < f), [h/f, w/f, c]; `highRes` is the input, the
 * target. h and w must be multiples of f. With `isUpsampledBack` each low-resolution pixel is
 * repeated over its f × f block (nearest neighbour), so `lowRes` is a blocky [h, w, c] image
 * for generators that keep the size (pix2pix-style).
 */
export const downsample = defineNode({
  type: 'data.downsample',
  version: 1,
  category: 'data',
  label: 'Downsample',
  description: 'Makes a low-resolution copy of each image, paired with the original as target.',
  inputs: { images: tensor({ rank: 3, description: 'Images [h, w, c].' }) },
  outputs: {
    lowRes: tensor({
      label: 'low res',
      description: 'The average-pooled image [h/f, w/f, c], or blocky [h, w, c] upsampled back.',
    }),
    highRes: tensor({ label: 'high res', description: 'The input unchanged: the target.' }),
  },
  params: {
    factor: param.int({
      default: 2,
      min: 2,
      max: 16,
      help: 'Each f × f block of pixels is averaged into one; height and width must be multiples of it.',
    }),
    isUpsampledBack: param.boolean({
      default: false,
      label: 'upsample back',
      help: 'Repeat each low-resolution pixel over its block, so the low-resolution image keeps the original size.',
    }),
  },
  inferShapes({ images }, { factor, isUpsampledBack }) {
    const [height = 0, width = 0, channels = 0] = images
    if (images.length !== 3) {
      return fail({
        port: 'images',
        message: 'Downsample takes an image per sample',
        expected: '[h, w, c]',
        actual: formatShape(images),
      })
    }
    if (height % factor !== 0 || width % factor !== 0) {
      return fail({
        port: 'images',
        message: `Downsampling by ${factor} needs a height and width that are multiples of ${factor}`,
        expected: `[h, w, c] with h and w multiples of ${factor}`,
        actual: formatShape(images),
      })
    }
    return ok({
      lowRes: isUpsampledBack ? images : [height / factor, width / factor, channels],
      highRes: images,
    })
  },
  build: ({ tf, params }) => ({
    forward: ({ images }) => {
      const { factor } = params
      const pooled = tf.avgPool(images as Tensor4D, factor, factor, 'valid') // [batch, h/f, w/f, c]
      return {
        lowRes: params.isUpsampledBack ? repeatPixels(tf, pooled, factor) : pooled,
        // A new tensor, not the input itself: the caller owns and disposes what it returns.
        highRes: tf.clone(images),
      }
    },
  }),
})
