import { describe, expect, it } from 'vitest'
import { faceIdentity } from './identity'
import {
  FACE_SCALE,
  FaceRenderer,
  OCCLUDER_RATE,
  photoConditions,
  type PhotoConditions,
} from './render'

const identity = faceIdentity(1, 7)
const plain = (conditions: PhotoConditions): PhotoConditions => ({
  ...conditions,
  noise: 0,
  lightStrength: 0,
  exposure: 1,
  occluder: undefined,
})

function draw(size: number, channels: 1 | 3, conditions: PhotoConditions): Float32Array {
  const out = new Float32Array(size * size * channels)
  new FaceRenderer(size, channels).render(identity, conditions, out)
  return out
}

describe('synthFaces photo conditions', () => {
  it('are a pure function of seed, identity and photo', () => {
    expect(photoConditions(1, identity, 3)).toEqual(photoConditions(1, identity, 3))
    expect(photoConditions(1, identity, 3)).not.toEqual(photoConditions(1, identity, 4))
    expect(photoConditions(1, identity, 3)).not.toEqual(photoConditions(2, identity, 3))
  })

  it('keep smile in [0, 1], glasses to wearers and occluders occasional', () => {
    let occluded = 0
    let smiles = 0
    for (let id = 0; id < 100; id++) {
      const person = faceIdentity(1, id)
      for (let photo = 0; photo < 20; photo++) {
        const conditions = photoConditions(1, person, photo)
        expect(conditions.smile).toBeGreaterThanOrEqual(0)
        expect(conditions.smile).toBeLessThanOrEqual(1)
        if (person.glassesRate === 0) expect(conditions.hasGlasses).toBe(false)
        if (conditions.occluder !== undefined) occluded++
        if (conditions.smile > 0.5) smiles++
      }
    }
    expect(occluded / 2000).toBeCloseTo(OCCLUDER_RATE, 1)
    // Both expression domains are common (smile vectors, CycleGAN).
    expect(smiles / 2000).toBeGreaterThan(0.25)
    expect(smiles / 2000).toBeLessThan(0.75)
  })
})

describe('synthFaces renderer', () => {
  it.each([
    [32, 1],
    [64, 1],
    [32, 3],
    [64, 3],
  ] as const)('draws %i×%i with %i channels in [0, 1]', (size, channels) => {
    for (let photo = 0; photo < 10; photo++) {
      const pixels = draw(size, channels, photoConditions(1, identity, photo))
      expect(pixels).toHaveLength(size * size * channels)
      let low = Infinity
      let high = -Infinity
      for (const value of pixels) {
        low = Math.min(low, value)
        high = Math.max(high, value)
      }
      expect(low).toBeGreaterThanOrEqual(0)
      expect(high).toBeLessThanOrEqual(1)
      expect(high - low).toBeGreaterThan(0.2)
    }
  })

  it('does not depend on what the renderer drew before, and keeps to its slot', () => {
    const renderer = new FaceRenderer(32, 1)
    const a = photoConditions(1, identity, 0)
    const b = photoConditions(1, faceIdentity(1, 8), 1)
    const out = new Float32Array(3 * 1024).fill(-1)
    renderer.render(identity, a, out, 1024)
    const first = out.slice(1024, 2048)
    renderer.render(faceIdentity(1, 8), b, out, 1024)
    renderer.render(identity, a, out, 1024)
    expect(out.slice(1024, 2048)).toEqual(first)
    expect(out.slice(0, 1024).every((value) => value === -1)).toBe(true)
    expect(out.slice(2048).every((value) => value === -1)).toBe(true)
    expect(() => {
      renderer.render(identity, a, out, 2049)
    }).toThrow(RangeError)
  })

  it('draws grayscale as the luminance of RGB', () => {
    const conditions = plain(photoConditions(1, identity, 2))
    const grey = draw(32, 1, conditions)
    const rgb = draw(32, 3, conditions)
    for (let pixel = 0; pixel < 1024; pixel++) {
      const luma =
        0.299 * (rgb[pixel * 3] ?? 0) +
        0.587 * (rgb[pixel * 3 + 1] ?? 0) +
        0.114 * (rgb[pixel * 3 + 2] ?? 0)
      expect(grey[pixel]).toBeCloseTo(luma, 5)
    }
  })

  it('bends and opens the mouth with the smile, in the lower face only', () => {
    const conditions = plain({
      ...photoConditions(1, identity, 2),
      shiftY: 0,
      scale: 1,
      rotation: 0,
      yaw: 0,
    })
    // Rows above the eyes (face centre at 0.54 of the side, FACE_SCALE·64 pixels per unit).
    const eyeRow = Math.floor(64 * 0.54 + identity.eyeHeight * 64 * FACE_SCALE)
    const neutral = draw(64, 1, { ...conditions, smile: 0 })
    const smiling = draw(64, 1, { ...conditions, smile: 1 })
    let upper = 0
    let lower = 0
    neutral.forEach((value, pixel) => {
      const difference = Math.abs(value - (smiling[pixel] ?? 0))
      if (Math.floor(pixel / 64) < eyeRow) upper += difference
      else lower += difference
    })
    expect(upper).toBe(0)
    expect(lower).toBeGreaterThan(5)
  })

  it('draws glasses around the eyes', () => {
    const wearer = { ...identity, glassesRate: 1 }
    const conditions = plain({ ...photoConditions(1, wearer, 2), rotation: 0 })
    const out = new Float32Array(64 * 64)
    const renderer = new FaceRenderer(64, 1)
    renderer.render(wearer, { ...conditions, hasGlasses: false }, out)
    const without = out.slice()
    renderer.render(wearer, { ...conditions, hasGlasses: true }, out)
    const changed = out.reduce(
      (sum, value, pixel) => sum + Math.abs(value - (without[pixel] ?? 0)),
      0,
    )
    expect(changed).toBeGreaterThan(10)
  })
})
