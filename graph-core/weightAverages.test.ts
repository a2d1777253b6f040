import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { averagingDecay, createWeightAverages } from './weightAverages'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('averagingDecay', () => {
  it.each([
    // (1 + step)/(10 + step) until it passes β.
    [0.999, 0, 0.1],
    [0.999, 10, 11 / 20],
    [0.5, 1, 2 / 11],
    [0.5, 8, 0.5],
    [0.999, 100_000, 0.999],
  ])('β %d at step %d: %d', (decay, step, expected) => {
    expect(averagingDecay(decay, step)).toBeCloseTo(expected, 12)
  })
})

describe('createWeightAverages', () => {
  const setup = () => {
    const a = tf.variable(tf.tensor1d([1, 2]))
    const b = tf.variable(tf.scalar(10))
    const averages = createWeightAverages(tf, [
      { name: 'n/a', variable: a, optimizer: 'optA', decay: 0.5 },
      { name: 'n/b', variable: b, optimizer: 'optB', decay: 0.9 },
    ])
    return { a, b, averages }
  }

  it('starts at the weights and folds in only the named optimizer’s variables', () => {
    const { a, b, averages } = setup()
    a.assign(tf.tensor1d([3, 6]))
    b.assign(tf.scalar(20))
    averages.update('optA', 0)
    // d = 0.1: 0.1·[1, 2] + 0.9·[3, 6] = [2.8, 5.6]; b's average is untouched.
    expect(Array.from(averages.averages.get('n/a')?.dataSync() ?? [])).toEqual([
      expect.closeTo(2.8, 5),
      expect.closeTo(5.6, 5),
    ])
    expect(averages.averages.get('n/b')?.dataSync()[0]).toBe(10)
    a.assign(tf.tensor1d([5, 5]))
    averages.update('optA', 1)
    // d = 2/11: (2/11)·2.8 + (9/11)·5 = 4.6; (2/11)·5.6 + (9/11)·5 = 5.10909…
    expect(averages.averages.get('n/a')?.dataSync()[0]).toBeCloseTo(4.6, 5)
    expect(averages.averages.get('n/a')?.dataSync()[1]).toBeCloseTo(56.2 / 11, 5)
    averages.dispose()
    tf.dispose([a, b])
  })

  it('lends the averages for a call and puts the trained values back', () => {
    const { a, b, averages } = setup()
    a.assign(tf.tensor1d([3, 6]))
    averages.update('optA', 0)
    const before = tf.memory().numTensors
    const seen = averages.withAverages(() => [Array.from(a.dataSync()), b.dataSync()[0]])
    expect(seen).toEqual([[expect.closeTo(2.8, 5), expect.closeTo(5.6, 5)], 10])
    expect(Array.from(a.dataSync())).toEqual([3, 6])
    expect(tf.memory().numTensors).toBe(before)
    // Also when the call throws.
    expect(() =>
      averages.withAverages(() => {
        throw new Error('view failed')
      }),
    ).toThrow('view failed')
    expect(Array.from(a.dataSync())).toEqual([3, 6])
    // An update after lending still moves only the average.
    averages.update('optA', 1)
    expect(Array.from(a.dataSync())).toEqual([3, 6])
    averages.dispose()
    tf.dispose([a, b])
  })

  it('resets the averages to the current weights', () => {
    const { a, b, averages } = setup()
    a.assign(tf.tensor1d([7, 8]))
    averages.reset()
    expect(Array.from(averages.averages.get('n/a')?.dataSync() ?? [])).toEqual([7, 8])
    a.assign(tf.tensor1d([0, 0]))
    expect(Array.from(averages.averages.get('n/a')?.dataSync() ?? [])).toEqual([7, 8])
    averages.dispose()
    tf.dispose([a, b])
  })

  it('averages a variable two optimizers train once, by the first', () => {
    const a = tf.variable(tf.scalar(1))
    const before = tf.memory().numTensors
    const averages = createWeightAverages(tf, [
      { name: 'n/a', variable: a, optimizer: 'first', decay: 0.5 },
      { name: 'n/a', variable: a, optimizer: 'second', decay: 0.9 },
    ])
    expect(averages.averages.size).toBe(1)
    tf.tidy(() => {
      a.assign(tf.scalar(11))
    })
    averages.update('second', 0)
    expect(averages.averages.get('n/a')?.dataSync()[0]).toBe(1)
    averages.update('first', 0)
    expect(averages.averages.get('n/a')?.dataSync()[0]).toBeCloseTo(10, 5)
    averages.dispose()
    expect(tf.memory().numTensors).toBe(before)
    a.dispose()
  })

  it('runs the call directly when nothing is averaged', () => {
    const averages = createWeightAverages(tf, [])
    expect(averages.withAverages(() => 42)).toBe(42)
    averages.dispose()
  })
})
