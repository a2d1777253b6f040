/**
 * Small networks the evaluations train for themselves, to score what a generative preset
 * makes: a digit classifier (are DCGAN's samples recognisable digits?) and a smile regressor
 * (does the smile vector, does CycleGAN, make faces smile?). An MLP with one hidden layer, on
 * images optionally after three small convolutions, trained on the training split with Adam,
 * seeded: the same data gives the same probe.
 */
import type * as tfjs from '@tensorflow/tfjs'
import { mulberry32, uniformInt } from '../nodes/view/metrics/random'

type Tf = typeof tfjs

/** A trained probe: its outputs for rows of inputs, then `dispose`. */
export interface Probe {
  /** [count, outputs]: class probabilities (softmax) or values in (0, 1) (sigmoid). */
  predict(inputs: Float32Array, count: number): Promise<Float32Array>
  dispose(): void
}

export interface ProbeOptions {
  /** Row-major [count, width] inputs and [count, outputs] targets. */
  inputs: Float32Array
  targets: Float32Array
  count: number
  width: number
  outputs: number
  /** softmax: targets are one-hot classes (cross-entropy); sigmoid: values in [0, 1] (MSE). */
  head: 'softmax' | 'sigmoid'
  /**
   * Height, width and channels of each input row when the rows are images: the probe then
   * starts with 3×3 convolutions (`convolutions` channels, ReLU, each followed by 2×2 max
   * pooling) before its hidden layer. An MLP on raw pixels cannot find a small feature that
   * moves with the face: it read only 42% of held-out smiling faces as smiling, the CNN 93%.
   */
  image?: readonly [number, number, number]
  /** Channels of the convolutions of an image probe, in order; 16, 32, 32 unless given. */
  convolutions?: readonly number[]
  hidden?: number
  steps?: number
  batchSize?: number
  learningRate?: number
  seed?: number
}

const CONVOLUTIONS = [16, 32, 32]

/**
 * Seeded normal weights of `shape` with variance gain / fan-in (fan-in: all but the last
 * dimension): gain 2 for a ReLU unit (He), 1 for a linear one.
 */
function scaledNormal(tf: Tf, shape: number[], seed: number, gain = 2): tfjs.Variable {
  const fanIn = shape.slice(0, -1).reduce((product, size) => product * size, 1)
  return tf.tidy(() =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(gain / fanIn), 'float32', seed)),
  )
}

/** A trainable bias of `size` zeros (the zeros it copies are freed). */
function zerosVariable(tf: Tf, size: number): tfjs.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([size])))
}

/** The probe's layers: weights to train and the logits of a [rows, width] batch. */
function buildNetwork(tf: Tf, options: ProbeOptions, hidden: number, seed: number) {
  const { width, outputs, image, convolutions = CONVOLUTIONS } = options
  const convs = (image === undefined ? [] : convolutions).map((channels, index, all) => ({
    kernel: scaledNormal(
      tf,
      [3, 3, index === 0 ? (image?.[2] ?? 1) : (all[index - 1] ?? 1), channels],
      seed + 10 + index,
    ),
    bias: zerosVariable(tf, channels),
  }))
  const pooled =
    image === undefined
      ? width
      : Math.floor(image[0] / 2 ** convs.length) *
        Math.floor(image[1] / 2 ** convs.length) *
        (convolutions.at(-1) ?? 1)
  const w1 = scaledNormal(tf, [pooled, hidden], seed)
  const b1 = zerosVariable(tf, hidden)
  const w2 = scaledNormal(tf, [hidden, outputs], seed + 1, 1)
  const b2 = zerosVariable(tf, outputs)
  const features = (x: tfjs.Tensor2D): tfjs.Tensor2D => {
    if (image === undefined) return x
    let maps: tfjs.Tensor4D = tf.reshape(x, [-1, ...image])
    for (const { kernel, bias } of convs) {
      const convolved = tf.relu(tf.add(tf.conv2d(maps, kernel as tfjs.Tensor4D, 1, 'same'), bias))
      maps = tf.maxPool(convolved as tfjs.Tensor4D, 2, 2, 'valid')
    }
    return tf.reshape(maps, [-1, pooled])
  }
  return {
    weights: [...convs.flatMap(({ kernel, bias }) => [kernel, bias]), w1, b1, w2, b2],
    logits: (x: tfjs.Tensor2D) =>
      tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(features(x), w1), b1)), w2), b2),
  }
}

/** Trains the probe (see the module comment and `ProbeOptions.image`). */
export async function trainProbe(tf: Tf, options: ProbeOptions): Promise<Probe> {
  const { inputs, targets, count, width, outputs, head } = options
  const { hidden = 128, steps = 600, batchSize = 128, learningRate = 1e-3, seed = 1 } = options
  const { weights, logits } = buildNetwork(tf, options, hidden, seed)
  const optimizer = tf.train.adam(learningRate)
  const random = mulberry32(seed)
  try {
    for (let step = 0; step < steps; step++) {
      // Let the caller's event loop run now and then (progress, a worker's messages).
      if (step % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 0))
      const rows = Array.from({ length: Math.min(batchSize, count) }, () =>
        uniformInt(random, count),
      )
      const x = new Float32Array(rows.length * width)
      const y = new Float32Array(rows.length * outputs)
      rows.forEach((row, index) => {
        x.set(inputs.subarray(row * width, (row + 1) * width), index * width)
        y.set(targets.subarray(row * outputs, (row + 1) * outputs), index * outputs)
      })
      tf.tidy(() => {
        const xs = tf.tensor2d(x, [rows.length, width])
        const ys = tf.tensor2d(y, [rows.length, outputs])
        optimizer.minimize(
          () =>
            head === 'softmax'
              ? tf.losses.softmaxCrossEntropy(ys, logits(xs))
              : tf.losses.meanSquaredError(ys, tf.sigmoid(logits(xs))),
          false,
          weights,
        )
      })
    }
  } catch (cause) {
    tf.dispose(weights)
    optimizer.dispose()
    throw cause
  }
  optimizer.dispose()
  return {
    async predict(rowsIn, rowCount) {
      const out = new Float32Array(rowCount * outputs)
      for (let start = 0; start < rowCount; start += 500) {
        const size = Math.min(500, rowCount - start)
        const result = tf.tidy(() => {
          const x = tf.tensor2d(rowsIn.subarray(start * width, (start + size) * width), [
            size,
            width,
          ])
          return head === 'softmax' ? tf.softmax(logits(x)) : tf.sigmoid(logits(x))
        })
        out.set(await result.data(), start * outputs)
        result.dispose()
      }
      return out
    },
    dispose() {
      tf.dispose(weights)
    },
  }
}
