import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runNode } from '../../graph-core/runNode'
import { downsample, repeatPixels } from './downsample'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const IMAGE = 'Downsample takes an image per sample'
const multiples = (factor: number) =>
  `Downsampling by ${factor} needs a height and width that are multiples of ${factor}`

/** 0 … 15 row-major as one 4×4 single-channel image, [1, 4, 4, 1]. */
const counting = () => tf.tidy(() => tf.range(0, 16).reshape([1, 4, 4, 1]))

/** The [h, w] plane of channel `channel` of image 0. */
function plane(image: tf.Tensor | undefined, channel = 0): number[][] {
  const values = image?.arraySync() as number[][][][]
  return (values[0] ?? []).map((row) => row.map((pixel) => pixel[channel] ?? Number.NaN))
}

describe('data.downsample shapes', () => {
  it.each([
    [[28, 28, 1], 2, false, [14, 14, 1]],
    [[8, 8, 3], 4, false, [2, 2, 3]],
    [[12, 6, 2], 3, false, [4, 2, 2]],
    [[28, 28, 1], 2, true, [28, 28, 1]],
  ])('%j by %d (upsampled back: %s) gives lowRes %j', (images, factor, isUpsampledBack, low) => {
    expect(downsample.inferShapes({ images }, { factor, isUpsampledBack })).toEqual({
      outputs: { lowRes: low, highRes: images },
    })
  })

  it.each([
    [[784], 2, IMAGE, '[h, w, c]'],
    [[28, 28], 2, IMAGE, '[h, w, c]'],
    [[28, 27, 1], 2, multiples(2), '[h, w, c] with h and w multiples of 2'],
    [[28, 28, 1], 3, multiples(3), '[h, w, c] with h and w multiples of 3'],
    [[6, 6, 1], 8, multiples(8), '[h, w, c] with h and w multiples of 8'],
  ])('refuses images %j by %d', (images, factor, message, expected) => {
    expect(downsample.inferShapes({ images }, { factor, isUpsampledBack: false })).toEqual({
      issues: [{ port: 'images', message, expected, actual: `[${images.join(', ')}]` }],
    })
  })
})

describe('data.downsample forward', () => {
  it('averages each 2×2 block of a 4×4 image', () => {
    const images = counting()
    const run = runNode(tf, downsample, { inputs: { images } })
    // blocks {0, 1, 4, 5} → 2.5, {2, 3, 6, 7} → 4.5, {8, 9, 12, 13} → 10.5, {10, 11, 14, 15} → 12.5
    expect(run.outputs.lowRes?.shape).toEqual([1, 2, 2, 1])
    expect(plane(run.outputs.lowRes)).toEqual([
      [2.5, 4.5],
      [10.5, 12.5],
    ])
    run.dispose()
    images.dispose()
  })

  it('pools channels separately', () => {
    const gray = counting()
    const images = tf.tidy(() => tf.concat([gray, tf.mul(gray, 10)], 3)) // [1, 4, 4, 2]
    const run = runNode(tf, downsample, { inputs: { images }, params: { factor: 4 } })
    expect(run.outputs.lowRes?.arraySync()).toEqual([[[[7.5, 75]]]])
    run.dispose()
    tf.dispose([gray, images])
  })

  it('repeats each low-resolution pixel over its block when upsampled back', () => {
    const images = counting()
    const run = runNode(tf, downsample, { inputs: { images }, params: { isUpsampledBack: true } })
    expect(plane(run.outputs.lowRes)).toEqual([
      [2.5, 2.5, 4.5, 4.5],
      [2.5, 2.5, 4.5, 4.5],
      [10.5, 10.5, 12.5, 12.5],
      [10.5, 10.5, 12.5, 12.5],
    ])
    run.dispose()
    images.dispose()
  })

  it('repeats pixels exactly for any factor, batch and channel count', () => {
    const low = tf.tidy(() => tf.range(0, 2 * 2 * 3 * 2).reshape([2, 2, 3, 2])) // [batch 2, 2, 3, 2 channels]
    const high = repeatPixels(tf, low, 3)
    expect(high.shape).toEqual([2, 6, 9, 2])
    const values = high.arraySync() as number[][][][]
    const lowValues = low.arraySync() as number[][][][]
    values.forEach((image, b) => {
      image.forEach((row, y) => {
        row.forEach((pixel, x) => {
          expect(pixel).toEqual(lowValues[b]?.[Math.floor(y / 3)]?.[Math.floor(x / 3)])
        })
      })
    })
    tf.dispose([low, high])
  })

  it('passes the input on as highRes', () => {
    const images = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 7)
    const run = runNode(tf, downsample, { inputs: { images } })
    expect(run.outputs.highRes?.arraySync()).toEqual(images.arraySync())
    expect(run.outputs.highRes).not.toBe(images)
    run.dispose()
    images.dispose()
  })

  it('leaves no tensors behind', () => {
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 7)
    const before = tf.memory().numTensors
    runNode(tf, downsample, { inputs: { images } }).dispose()
    runNode(tf, downsample, { inputs: { images }, params: { isUpsampledBack: true } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    images.dispose()
  })
})
