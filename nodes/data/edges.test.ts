import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runNode } from '../../graph-core/runNode'
import { edges, grayscale, sobelMagnitude } from './edges'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const IMAGE = 'Edges takes an image per sample'

/** A single-channel image [1, h, w, 1] whose every row is `row`. */
function rowsOf(row: number[], height = 4): tf.Tensor {
  return tf.tidy(() =>
    tf.tensor(Array.from({ length: height }, () => row)).reshape([1, height, row.length, 1]),
  )
}

/** The edge map of image `index`, as [h][w]. */
function edgeMap(images: tf.Tensor, params: Record<string, unknown> = {}, index = 0): number[][] {
  const run = runNode(tf, edges, { inputs: { images }, params })
  const map = run.outputs.edges?.arraySync() as number[][][][]
  run.dispose()
  return (map[index] ?? []).map((row) => row.map((pixel) => pixel[0] ?? Number.NaN))
}

/** A 4-row map whose every row is `row`. */
const fourRows = (row: number[]): number[][] => Array.from({ length: 4 }, () => row)

/** Every value of `actual` within 1e-5 of `expected`, row by row. */
function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length))
  actual.flat().forEach((value, index) => {
    expect(value).toBeCloseTo(expected.flat()[index] ?? Number.NaN, 5)
  })
}

describe('data.edges shapes', () => {
  it.each([
    [
      [28, 28, 1],
      [28, 28, 1],
    ],
    [
      [8, 8, 3],
      [8, 8, 1],
    ],
    [
      [1, 5, 4],
      [1, 5, 1],
    ],
  ])('%j gives edges %j and passes the image on', (images, edgeShape) => {
    expect(edges.inferShapes({ images }, { threshold: 0 })).toEqual({
      outputs: { edges: edgeShape, images },
    })
  })

  it.each([[[784]], [[28, 28]], [[]], [[2, 8, 8, 1]]])('refuses images %j', (images) => {
    expect(edges.inferShapes({ images }, { threshold: 0 })).toEqual({
      issues: [
        { port: 'images', message: IMAGE, expected: '[h, w, c]', actual: `[${images.join(', ')}]` },
      ],
    })
  })
})

describe('data.edges forward', () => {
  it('finds a vertical step with Sobel magnitude 4, edge pixels repeated at the border', () => {
    const images = rowsOf([0, 0, 1, 1])
    // gx = (1 + 2 + 1)·(v[x+1] − v[x−1]) = 4 at columns 1 and 2; gy = 0; the replicated border
    // adds no edge at columns 0 and 3 (zero padding would)
    const magnitude = sobelMagnitude(tf, images)
    expect(magnitude.shape).toEqual([1, 4, 4, 1])
    expect(
      (magnitude.arraySync() as number[][][][])[0]?.map((row) => row.map((p) => p[0])),
    ).toEqual(fourRows([0, 4, 4, 0]))
    expect(edgeMap(images)).toEqual(fourRows([0, 1, 1, 0]))
    tf.dispose([images, magnitude])
  })

  it('finds a horizontal step the same way (Gy)', () => {
    const images = tf.tidy(() => tf.transpose(rowsOf([0, 0, 1, 1]), [0, 2, 1, 3]))
    expect(edgeMap(images)).toEqual([
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [0, 0, 0, 0],
    ])
    images.dispose()
  })

  it('normalises by the strongest edge and binarises at the threshold', () => {
    const images = rowsOf([0, 0.5, 1, 1])
    // gx = 4·(v[x+1] − v[x−1]) = 2, 4, 2, 0 → ÷ 4
    expectClose(edgeMap(images), fourRows([0.5, 1, 0.5, 0]))
    expect(edgeMap(images, { threshold: 0.6 })).toEqual(fourRows([0, 1, 0, 0]))
    expect(edgeMap(images, { threshold: 0.5 })).toEqual(fourRows([1, 1, 1, 0]))
    images.dispose()
  })

  it('normalises each image of a batch on its own, and a flat image to 0', () => {
    const strong = rowsOf([0, 0, 1, 1])
    const faint = rowsOf([0, 0, 0.2, 0.2])
    const flat = tf.fill([1, 4, 4, 1], 0.7)
    const images = tf.concat([strong, faint, flat])
    expectClose(edgeMap(images, {}, 1), fourRows([0, 1, 1, 0]))
    expect(edgeMap(images, {}, 2)).toEqual(fourRows([0, 0, 0, 0]))
    tf.dispose([strong, faint, flat, images])
  })

  it('edges a colour image on its BT.601 luma', () => {
    const step = rowsOf([0, 0, 1, 1])
    const zeros = tf.zerosLike(step)
    const red = tf.concat([step, zeros, zeros], 3) // a red step [1, 4, 4, 3]
    const gray = grayscale(tf, red)
    expect(gray.shape).toEqual([1, 4, 4, 1])
    expect(Math.max(...gray.dataSync())).toBeCloseTo(0.299, 6)
    expectClose(edgeMap(red), fourRows([0, 1, 1, 0]))
    const twoChannels = tf.concat([step, zeros], 3)
    const mean = grayscale(tf, twoChannels)
    expect(Math.max(...mean.dataSync())).toBeCloseTo(0.5, 6) // the channel mean
    tf.dispose([step, zeros, red, gray, twoChannels, mean])
  })

  it('passes the input on as images', () => {
    const images = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 3)
    const run = runNode(tf, edges, { inputs: { images } })
    expect(run.outputs.images?.arraySync()).toEqual(images.arraySync())
    expect(run.outputs.images).not.toBe(images)
    expect(run.outputs.edges?.shape).toEqual([2, 6, 6, 1])
    run.dispose()
    images.dispose()
  })

  it('leaves no tensors behind', () => {
    const images = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 3)
    const before = tf.memory().numTensors
    runNode(tf, edges, { inputs: { images } }).dispose()
    runNode(tf, edges, { inputs: { images }, params: { threshold: 0.3 } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    images.dispose()
  })
})
