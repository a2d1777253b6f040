import { bench, describe } from 'vitest'
import { FaceSource } from '../nodes/data/synthFaces/dataset'

/**
 * SynthFaces generation speed on one core (target ≥ 2,000 images/s at 32×32 grayscale).
 * Each iteration draws one batch of 100 photos, so images/s = 100 × the reported hz.
 */
const BATCH = 100
const settings = [
  { size: 32, channels: 1 },
  { size: 64, channels: 1 },
  { size: 32, channels: 3 },
  { size: 64, channels: 3 },
] as const

describe(`SynthFaces: a batch of ${BATCH} photos (images/s = ${BATCH} × hz)`, () => {
  for (const { size, channels } of settings) {
    const source = new FaceSource({
      seed: 1,
      size,
      channels,
      identities: 500,
      photos: 20,
      heldOutIdentities: 100,
    })
    let seed = 0
    bench(`${size}×${size}×${channels}`, () => {
      source.sampleBatch('train', { kind: 'random', batchSize: BATCH }, seed++)
    })
  }
})
