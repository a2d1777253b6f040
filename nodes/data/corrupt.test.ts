import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runNode, type RunNodeOptions } from '../../graph-core/runNode'
import { corrupt } from './corrupt'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = {
  kind: 'gaussian',
  sigma: 0.3,
  fraction: 0.2,
  keepProbability: 0.75,
  isAppliedOnHeldOut: true,
} as const

/** Corrupted and clean values (flat) of `images` for the given params. */
function apply(
  images: tf.Tensor,
  params: Record<string, unknown>,
  options: Omit<RunNodeOptions, 'inputs' | 'params'> = {},
): { corrupted: Float32Array; clean: Float32Array; shape: number[] } {
  const run = runNode(tf, corrupt, { ...options, params, inputs: { images } })
  const corrupted = run.outputs.corrupted?.dataSync() as Float32Array
  const clean = run.outputs.clean?.dataSync() as Float32Array
  const shape = run.outputs.corrupted?.shape ?? []
  expect(run.outputs.clean?.shape).toEqual(images.shape)
  run.dispose()
  return { corrupted, clean, shape }
}

const fractionOf = (values: ArrayLike<number>, test: (value: number) => boolean): number =>
  Array.from(values).filter(test).length / values.length

/** |actual − expected| ≤ tolerance; statistics of 16,384 draws sit within about 3 standard errors. */
function expectNear(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance)
}

describe('data.corrupt shapes', () => {
  it.each([[[28, 28, 1]], [[8, 8, 3]], [[784]], [[]]])(
    'passes any per-sample shape through: %j',
    (shape) => {
      // corruption is element-wise, so there is no shape to refuse
      expect(corrupt.inferShapes({ images: shape }, DEFAULTS)).toEqual({
        outputs: { corrupted: shape, clean: shape },
      })
    },
  )
})

describe('data.corrupt forward', () => {
  it('adds Gaussian noise of σ and clips to [0, 1]', () => {
    const images = tf.fill([64, 16, 16, 1], 0.5)
    const { corrupted, clean } = apply(images, { kind: 'gaussian', sigma: 0.1 })
    // 5σ from both clip bounds: the noise is seen unclipped
    const noise = Array.from(corrupted, (value, index) => value - (clean[index] ?? 0))
    const mean = noise.reduce((sum, value) => sum + value, 0) / noise.length
    const std = Math.sqrt(noise.reduce((sum, value) => sum + (value - mean) ** 2, 0) / noise.length)
    expect(Math.abs(mean)).toBeLessThan(0.005)
    expect(std).toBeGreaterThan(0.097)
    expect(std).toBeLessThan(0.103)

    const white = tf.ones([64, 16, 16, 1])
    const clipped = apply(white, { kind: 'gaussian', sigma: 0.3 }).corrupted
    expect(Math.max(...clipped)).toBe(1)
    expect(Math.min(...clipped)).toBeGreaterThanOrEqual(0)
    // the positive half of the noise is clipped back to 1
    expectNear(
      fractionOf(clipped, (value) => value === 1),
      0.5,
      0.02,
    )
    tf.dispose([images, white])
  })

  it('sets a fraction f of pixels to 0 or 1 (salt and pepper), all channels together', () => {
    const images = tf.fill([64, 16, 16, 3], 0.5)
    const { corrupted, shape } = apply(images, { kind: 'saltAndPepper', fraction: 0.2 })
    expect(shape).toEqual([64, 16, 16, 3])
    expectNear(
      fractionOf(corrupted, (value) => value !== 0.5),
      0.2,
      0.01,
    )
    expectNear(
      fractionOf(corrupted, (value) => value === 0),
      0.1,
      0.01,
    )
    expectNear(
      fractionOf(corrupted, (value) => value === 1),
      0.1,
      0.01,
    )
    expect(fractionOf(corrupted, (value) => ![0, 0.5, 1].includes(value))).toBe(0)
    const unlikeFirstChannel = Array.from(corrupted).filter(
      (value, index) => value !== corrupted[index - (index % 3)],
    )
    expect(unlikeFirstChannel).toEqual([])
    tf.dispose(images)
  })

  it('keeps each pixel with probability p and zeroes the rest (mask)', () => {
    const images = tf.fill([64, 16, 16, 1], 0.5)
    const { corrupted } = apply(images, { kind: 'mask', keepProbability: 0.75 })
    expectNear(
      fractionOf(corrupted, (value) => value === 0.5),
      0.75,
      0.01,
    )
    expectNear(
      fractionOf(corrupted, (value) => value === 0),
      0.25,
      0.01,
    )
    tf.dispose(images)
  })

  it('draws per value for shapes that are not images', () => {
    const vectors = tf.fill([64, 256], 0.5)
    const { corrupted } = apply(vectors, { kind: 'mask', keepProbability: 0.25 })
    expectNear(
      fractionOf(corrupted, (value) => value === 0.5),
      0.25,
      0.01,
    )
    tf.dispose(vectors)
  })

  it.each(['gaussian', 'saltAndPepper', 'mask'])('%s: clean is the input, unchanged', (kind) => {
    const images = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 5)
    const { corrupted, clean } = apply(images, { kind })
    expect(Array.from(clean)).toEqual(Array.from(images.dataSync()))
    expect(Array.from(corrupted)).not.toEqual(Array.from(clean))
    tf.dispose(images)
  })

  it('corrupts held-out data by default, and passes it clean when told not to', () => {
    const images = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 5)
    const input = Array.from(images.dataSync())
    const heldOut = { split: 'heldOut' } as const
    expect(Array.from(apply(images, {}, heldOut).corrupted)).not.toEqual(input)
    const passed = apply(images, { isAppliedOnHeldOut: false }, heldOut)
    expect(Array.from(passed.corrupted)).toEqual(input)
    expect(Array.from(passed.clean)).toEqual(input)
    // training always corrupts
    expect(Array.from(apply(images, { isAppliedOnHeldOut: false }).corrupted)).not.toEqual(input)
    tf.dispose(images)
  })

  it.each(['gaussian', 'saltAndPepper', 'mask'])(
    '%s is reproducible for a seed and new for another',
    (kind) => {
      const images = tf.fill([2, 8, 8, 1], 0.5)
      const draw = (seed: number) => Array.from(apply(images, { kind }, { seed }).corrupted)
      expect(draw(1)).toEqual(draw(1))
      expect(draw(1)).not.toEqual(draw(2))
      tf.dispose(images)
    },
  )

  it('leaves no tensors behind', () => {
    const images = tf.fill([2, 8, 8, 3], 0.5)
    const before = tf.memory().numTensors
    for (const kind of ['gaussian', 'saltAndPepper', 'mask']) {
      runNode(tf, corrupt, { params: { kind }, inputs: { images } }).dispose()
    }
    runNode(tf, corrupt, {
      params: { isAppliedOnHeldOut: false },
      inputs: { images },
      split: 'heldOut',
    }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    images.dispose()
  })
})
