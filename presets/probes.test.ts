import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { mulberry32, uniformInt } from '../nodes/view/metrics/random'
import { trainProbe } from './probes'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/**
 * 8×8 images of noise with a 2×2 bright square at a random place; the target is whether the
 * square sits in the top half. Which half holds the square is all that matters, wherever it
 * is: a feature that moves, like a smile on a face.
 */
function squares(count: number, seed: number) {
  const random = mulberry32(seed)
  const pixels = new Float32Array(count * 64)
  const targets = new Float32Array(count)
  for (let row = 0; row < count; row++) {
    for (let pixel = 0; pixel < 64; pixel++) pixels[row * 64 + pixel] = 0.3 * random()
    const top = uniformInt(random, 7)
    const left = uniformInt(random, 7)
    for (const [dy, dx] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as const)
      pixels[row * 64 + (top + dy) * 8 + left + dx] = 1
    targets[row] = top + 1 <= 3 ? 1 : 0
  }
  return { pixels, targets, count }
}

const accuracy = (scores: Float32Array, targets: Float32Array) =>
  scores.filter((score, row) => (score >= 0.5 ? 1 : 0) === targets[row]).length / scores.length

describe('trainProbe', () => {
  const train = squares(600, 1)
  const test = squares(200, 2)
  const options = {
    inputs: train.pixels,
    targets: train.targets,
    count: train.count,
    width: 64,
    outputs: 1,
    head: 'sigmoid' as const,
    hidden: 16,
    steps: 120,
    batchSize: 16,
    learningRate: 1e-2,
  }

  it('with an image shape, learns where a small moving square is on held-out images', async () => {
    const probe = await trainProbe(tf, { ...options, image: [8, 8, 1], convolutions: [4, 8] })
    try {
      expect(accuracy(await probe.predict(test.pixels, test.count), test.targets)).toBeGreaterThan(
        0.9,
      )
    } finally {
      probe.dispose()
    }
  })

  it('is seeded: the same data and seed give the same scores', async () => {
    const scores = []
    for (let run = 0; run < 2; run++) {
      const probe = await trainProbe(tf, {
        ...options,
        image: [8, 8, 1],
        convolutions: [4, 8],
        steps: 3,
        seed: 7,
      })
      scores.push(await probe.predict(test.pixels, test.count))
      probe.dispose()
    }
    expect(Array.from(scores[1] ?? [])).toEqual(Array.from(scores[0] ?? []))
  })

  it('frees every tensor it made when disposed', async () => {
    const before = tf.memory().numTensors
    const probe = await trainProbe(tf, {
      ...options,
      image: [8, 8, 1],
      convolutions: [4, 8],
      steps: 5,
    })
    await probe.predict(test.pixels, test.count)
    probe.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
