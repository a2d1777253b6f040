import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { seedFor } from '../../graph-core/initializers'
import { resolveParams } from '../../graph-core/params'
import { buildNode, runNode } from '../../graph-core/runNode'
import { renderPhoto, sampleBatch, synthFaces, type SynthFacesParams } from './synthFaces'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const paramsWith = (saved: Record<string, unknown> = {}): SynthFacesParams =>
  resolveParams(synthFaces.params, saved).values

describe('data.synthFaces', () => {
  it.each([
    [{}, [32, 32, 1]],
    [{ size: 64 }, [64, 64, 1]],
    [{ channels: '3' }, [32, 32, 3]],
    [{ size: 64, channels: '3' }, [64, 64, 3]],
  ])('infers images of %j as %j, labels [], smile and glasses [1]', (saved, images) => {
    expect(synthFaces.inferShapes({}, paramsWith(saved))).toEqual({
      outputs: { images, labels: [], smile: [1], glasses: [1] },
    })
  })

  it.each([
    [{ identities: 100, heldOutIdentities: 99 }, /for training/],
    [{ sampler: 'pk', identitiesPerBatch: 101 }, /held-out split has only 100/],
    [{ sampler: 'pk', photosPerIdentity: 21 }, /only 20/],
  ])('reports params %j that cannot make batches, without throwing', (saved, message) => {
    const result = synthFaces.inferShapes({}, paramsWith(saved))
    expect('issues' in result && result.issues[0]?.message).toMatch(message)
  })

  it('tells losses its classes and samples per class per batch', () => {
    expect(synthFaces.dataInfo?.(paramsWith())).toEqual({
      classes: 400,
      samplesPerClassPerBatch: 64 / 400,
    })
    expect(synthFaces.dataInfo?.(paramsWith({ sampler: 'pk', photosPerIdentity: 3 }))).toEqual({
      classes: 400,
      samplesPerClassPerBatch: 3,
    })
  })

  it.each([
    [32, '1'],
    [64, '1'],
    [32, '3'],
    [64, '3'],
  ])('gives batches of %i px, %s channels, in [0, 1] with int32 labels', (size, channels) => {
    const run = runNode(tf, synthFaces, {
      params: { size, channels, batchSize: 6 },
      inputs: {},
    })
    const { images, labels, smile, glasses } = run.outputs
    const c = Number(channels)
    expect(images?.shape).toEqual([6, size, size, c])
    expect(labels?.shape).toEqual([6])
    expect(labels?.dtype).toBe('int32')
    expect(smile?.shape).toEqual([6, 1])
    expect(glasses?.shape).toEqual([6, 1])
    const pixels = images?.dataSync() ?? []
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1)
    for (const value of smile?.dataSync() ?? []) expect(value >= 0 && value <= 1).toBe(true)
    for (const value of glasses?.dataSync() ?? []) expect([0, 1]).toContain(value)
    run.dispose()
  })

  it('draws training identities in train passes and held-out ones in heldOut passes', () => {
    const labelsOf = (split: 'train' | 'heldOut') => {
      const run = runNode(tf, synthFaces, { params: { batchSize: 200 }, inputs: {}, split })
      const values = [...(run.outputs.labels?.dataSync() ?? [])]
      run.dispose()
      return values
    }
    expect(Math.max(...labelsOf('train'))).toBeLessThan(400)
    expect(Math.min(...labelsOf('heldOut'))).toBeGreaterThanOrEqual(400)
  })

  it('keeps the P×K invariant: P distinct labels, each exactly K times', () => {
    const run = runNode(tf, synthFaces, {
      params: { sampler: 'pk', identitiesPerBatch: 6, photosPerIdentity: 3 },
      inputs: {},
    })
    const counts = new Map<number, number>()
    for (const label of run.outputs.labels?.dataSync() ?? []) {
      counts.set(label, (counts.get(label) ?? 0) + 1)
    }
    expect(counts.size).toBe(6)
    expect([...counts.values()]).toEqual([3, 3, 3, 3, 3, 3])
    run.dispose()
  })

  it('is byte-identical for a seed, differs for another, and matches the pure sampler', () => {
    const bytesOf = (values: ArrayLike<number>) =>
      Buffer.from(Float32Array.from(values).buffer).toString('base64')
    const draw = (seed: number, saved: Record<string, unknown> = {}) => {
      const run = runNode(tf, synthFaces, { params: { batchSize: 4, ...saved }, inputs: {}, seed })
      const images = bytesOf(run.outputs.images?.dataSync() ?? [])
      const labels = [...(run.outputs.labels?.dataSync() ?? [])]
      run.dispose()
      return { images, labels }
    }
    expect(draw(1)).toEqual(draw(1))
    expect(draw(1).images).not.toBe(draw(2).images)
    // Same batch seed, another dataset seed: the same people and photos, drawn differently.
    expect(draw(1, { seed: 2 }).images).not.toBe(draw(1).images)
    // The node uploads exactly what the TF.js-free sampler gives for the pass seed.
    const params = paramsWith({ batchSize: 4 })
    const batch = sampleBatch(params, 'train', seedFor(1, 'forward'))
    expect(bytesOf(batch.images)).toBe(draw(1).images)
    expect([...batch.labels]).toEqual(draw(1).labels)
    const first = renderPhoto(params, batch.labels[0] ?? 0, batch.photos[0] ?? 0)
    expect(bytesOf(first.pixels)).toBe(bytesOf(batch.images.slice(0, 1024)))
  })

  it('keeps the tensor count flat across forward passes', () => {
    const node = buildNode(tf, synthFaces, {
      params: { sampler: 'pk', identitiesPerBatch: 4, photosPerIdentity: 2 },
      inputs: {},
    })
    const before = tf.memory().numTensors
    for (let pass = 0; pass < 3; pass++) {
      const { outputs, metrics } = node.forward({})
      expect(Object.keys(outputs)).toHaveLength(4)
      tf.dispose([...Object.values(outputs), ...Object.values(metrics)])
    }
    node.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
