/**
 * Small networks the evaluations train for themselves, to score what a generative preset
 * makes: a digit classifier (are DCGAN's samples recognisable digits?) and a smile regressor
 * (does the smile vector, does CycleGAN, make faces smile?). An MLP with one hidden layer,
 * trained on the training split with Adam, seeded: the same data gives the same probe.
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
  hidden?: number
  steps?: number
  batchSize?: number
  learningRate?: number
  seed?: number
}

/** Trains a one-hidden-layer MLP on the rows (see the module comment). */
export async function trainProbe(tf: Tf, options: ProbeOptions): Promise<Probe> {
  const { inputs, targets, count, width, outputs, head } = options
  const { hidden = 128, steps = 600, batchSize = 128, learningRate = 1e-3, seed = 1 } = options
  // He-scaled normal weights, seeded: [width, hidden] and [hidden, outputs]. Made in a tidy so
  // the initial values, which the variables copy, are freed.
  const [w1, b1, w2, b2] = tf.tidy(() => [
    tf.variable(tf.randomNormal([width, hidden], 0, Math.sqrt(2 / width), 'float32', seed)),
    tf.variable(tf.zeros([hidden])),
    tf.variable(tf.randomNormal([hidden, outputs], 0, Math.sqrt(1 / hidden), 'float32', seed + 1)),
    tf.variable(tf.zeros([outputs])),
  ])
  const weights = [w1, b1, w2, b2]
  const logits = (x: tfjs.Tensor) =>
    tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)
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
