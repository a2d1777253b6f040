import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { fans, initialValue, seedFor } from './initializers'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('fans', () => {
  it.each([
    [[784, 256], 784, 256],
    [[3, 3, 16, 32], 144, 288],
    [[10], 10, 10],
    [[], 1, 1],
  ])('%j → in %d, out %d', (shape, fanIn, fanOut) => {
    expect(fans(shape)).toEqual({ fanIn, fanOut })
  })
})

describe('initialValue', () => {
  it('draws Glorot-uniform values inside ±√(6/(in+out))', () => {
    const values = initialValue(tf, [50, 30], 'glorotUniform', 1)
    const limit = Math.sqrt(6 / 80)
    const data = values.dataSync()
    expect(Math.max(...data)).toBeLessThanOrEqual(limit)
    expect(Math.min(...data)).toBeGreaterThanOrEqual(-limit)
    expect(Math.max(...data)).toBeGreaterThan(limit * 0.9)
    values.dispose()
  })

  it('repeats for a seed and differs between seeds', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => initialValue(tf, [4, 4], 'glorotNormal', seed))
    expect(a?.arraySync()).toEqual(b?.arraySync())
    expect(a?.arraySync()).not.toEqual(c?.arraySync())
    tf.dispose([a, b, c].filter((t) => t !== undefined))
  })

  it('fills zeros and ones', () => {
    expect(initialValue(tf, [2], 'zeros', 0).arraySync()).toEqual([0, 0])
    expect(initialValue(tf, [2], 'ones', 0).arraySync()).toEqual([1, 1])
  })
})

describe('seedFor', () => {
  it('is stable, depends on every name and stays a positive 31-bit integer', () => {
    expect(seedFor(42, 'enc', 'kernel')).toBe(seedFor(42, 'enc', 'kernel'))
    expect(seedFor(42, 'enc', 'kernel')).not.toBe(seedFor(42, 'enc', 'bias'))
    expect(seedFor(42, 'enc', 'kernel')).not.toBe(seedFor(43, 'enc', 'kernel'))
    expect(seedFor(42, 'a', 'bc')).not.toBe(seedFor(42, 'ab', 'c'))
    const seed = seedFor(-5, 'x', 3)
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31).toBe(true)
  })
})
