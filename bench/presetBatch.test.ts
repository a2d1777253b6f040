import { describe, expect, it } from 'vitest'
import { nodeRegistry } from '../nodes/registry'
import { loadPreset, type PresetId } from '../presets/catalog'
import { largestBatch, withBatchAtMost } from './presetBatch'

function preset(id: PresetId) {
  const loaded = loadPreset(id, nodeRegistry)
  if (!loaded.ok) throw new Error(`${id} does not load`)
  return loaded.document
}

describe('withBatchAtMost', () => {
  it('caps every batch size and leaves the original alone', () => {
    const dcgan = preset('dcgan')
    const small = withBatchAtMost(dcgan, 8)
    expect(largestBatch(dcgan)).toBe(64)
    expect(largestBatch(small)).toBe(8)
    const noise = small.nodes.find((node) => node.type === 'data.noise')
    expect(noise?.params.batchSize).toBe(8)
  })

  it('keeps K photos per identity of a P × K sampler and at least two identities', () => {
    const triplet = preset('triplet')
    expect(largestBatch(triplet)).toBe(64)
    const small = withBatchAtMost(triplet, 8)
    const faces = small.nodes.find((node) => node.params.sampler === 'pk')
    expect(faces?.params.photosPerIdentity).toBe(4)
    expect(faces?.params.identitiesPerBatch).toBe(2)
    expect(largestBatch(withBatchAtMost(triplet, 2))).toBe(8)
  })

  it('never raises a batch', () => {
    const gan = preset('gan-2d')
    expect(largestBatch(withBatchAtMost(gan, 1000))).toBe(largestBatch(gan))
  })
})
