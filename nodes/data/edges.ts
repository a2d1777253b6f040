import type { Tensor4D } from '@tensorflow/tfjs'
import { defineNode, fail, ok, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'

/** ITU-R BT.601 luma weights, as `tf.image.rgbToGrayscale` and OpenCV use. */
const LUMA = [0.299, 0.587, 0.114]

/** Sobel kernels: Gx responds to change along x (columns), Gy = Gxᵀ along y (rows). */
const SOBEL_X = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1],
]

/**
 * Sobel magnitudes below this are float rounding, not edges: a flat image sums ±v terms to
 * about 1e-7, while the faintest 8-bit step (1/255) gives 4/255 ≈ 0.016.
 */
const MIN_EDGE = 1e-4

/** The grayscale image [batch, h, w, 1]: BT.601 luma for RGB, the channel mean otherwise. */
export function grayscale(tf: Tf, images: Tensor): Tensor {
  const channels = images.shape.at(-1) ?? 1
  if (channels === 1) return images
  if (channels === 3) return tf.sum(tf.mul(images, tf.tensor1d(LUMA)), -1, true)
  return tf.mean(images, -1, true)
}

/**
 * Sobel gradient magnitude √(Gx² + Gy²) of a grayscale batch [batch, h, w, 1], same size. The
 * border is padded by repeating the edge pixels, so a flat border gives no edge.
 */
export function sobelMagnitude(tf: Tf, gray: Tensor): Tensor {
  // kernel [3, 3, 1, 2]: output channel 0 is Gx, channel 1 is Gy
  const kernel = tf.tensor4d(
    SOBEL_X.flatMap((row, i) => row.flatMap((gx, j) => [gx, SOBEL_X[j]?.[i] ?? 0])),
    [3, 3, 1, 2],
  )
  // 'symmetric' mirroring of one pixel repeats the edge pixel: [a, b, …] → [a, a, b, …]
  const padded = tf.mirrorPad(
    gray,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    'symmetric',
  )
  const gradients = tf.conv2d(padded as Tensor4D, kernel, 1, 'valid') // [batch, h, w, 2]
  return tf.sqrt(tf.sum(tf.square(gradients), -1, true)) // [batch, h, w, 1]
}

/**
 * The image-to-image pair for pix2pix (Isola et al., 2017), edges → images. `edges` is the
 * Sobel gradient magnitude of the grayscale image, √(Gx² + Gy²) with the border pixels repeated,
 * divided by its maximum in each image so it lies in [0, 1]; with a threshold t > 0 it is
 * binarised to [strength ≥ t]. Magnitudes below 1e-4 are float rounding and count as 0, so a
 * flat image gives no edges. `images` is the input, the target. Images [h, w, c]; grayscale is
 * BT.601 luma for RGB and the channel mean for other channel counts.
 */
export const edges = defineNode({
  type: 'data.edges',
  version: 1,
  category: 'data',
  label: 'Edges',
  description: 'Draws the edges of each image (Sobel), paired with the image as target.',
  inputs: { images: tensor({ rank: 3, description: 'Images [h, w, c].' }) },
  outputs: {
    edges: tensor({ description: 'Edge strength in [0, 1], [h, w, 1].' }),
    images: tensor({ description: 'The input unchanged: the target.' }),
  },
  params: {
    threshold: param.number({
      default: 0,
      min: 0,
      max: 1,
      step: 0.05,
      help: 'Above 0, edges at least this strong (relative to the image’s strongest) become 1 and the rest 0, like a line drawing. 0 keeps the soft strengths.',
    }),
  },
  inferShapes({ images }) {
    const [height = 0, width = 0] = images
    if (images.length !== 3) {
      return fail({
        port: 'images',
        message: 'Edges takes an image per sample',
        expected: '[h, w, c]',
        actual: formatShape(images),
      })
    }
    return ok({ edges: [height, width, 1], images })
  },
  build: ({ tf, params }) => ({
    forward: ({ images }) => {
      const raw = sobelMagnitude(tf, grayscale(tf, images)) // [batch, h, w, 1]
      // without the floor, a flat image's rounding noise would be scaled up to 1
      const magnitude = tf.mul(raw, tf.cast(tf.greaterEqual(raw, MIN_EDGE), 'float32'))
      const strongest = tf.max(magnitude, [1, 2, 3], true) // [batch, 1, 1, 1]
      const strength = tf.divNoNan(magnitude, strongest)
      return {
        edges:
          params.threshold > 0
            ? tf.cast(tf.greaterEqual(strength, params.threshold), 'float32')
            : strength,
        // A new tensor, not the input itself: the caller owns and disposes what it returns.
        images: tf.clone(images),
      }
    },
  }),
})
