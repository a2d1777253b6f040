import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNode } from '../../graph-core/runNode'
import { noise } from './noise'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('data.noise', () => {
  it('gives [dim] per sample', () => {
    expect(noise.inferShapes({}, { dim: 8, distribution: 'uniform', batchSize: 4 })).toEqual({
      outputs: { z: [8] },
    })
  })

  it.each([
    ['gaussian', 0, 1],
    ['uniform', 0, Math.sqrt(1 / 3)],
  ])('draws %s noise with mean %d and std %d', (distribution, mean, std) => {
    const node = buildNode(tf, noise, {
      params: { dim: 100, batchSize: 100, distribution },
      inputs: {},
    })
    const { outputs } = node.forward({})
    const z = outputs.z ?? tf.scalar(0)
    expect(z.shape).toEqual([100, 100])
    const moments = tf.moments(z)
    expect(moments.mean.dataSync()[0]).toBeCloseTo(mean, 1)
    expect(Math.sqrt(moments.variance.dataSync()[0] ?? 0)).toBeCloseTo(std, 1)
    if (distribution === 'uniform') {
      expect(z.max().dataSync()[0]).toBeLessThanOrEqual(1)
      expect(z.min().dataSync()[0]).toBeGreaterThanOrEqual(-1)
    }
    tf.dispose([z, moments.mean, moments.variance])
    node.dispose()
  })

  it('is reproducible for a seed and new for another', () => {
    const draw = (seed: number) => {
      const node = buildNode(tf, noise, { params: { dim: 3, batchSize: 2 }, inputs: {}, seed })
      const { outputs } = node.forward({})
      const values = outputs.z?.arraySync()
      tf.dispose(Object.values(outputs))
      node.dispose()
      return values
    }
    expect(draw(1)).toEqual(draw(1))
    expect(draw(1)).not.toEqual(draw(2))
  })
})
