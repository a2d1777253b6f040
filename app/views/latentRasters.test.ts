import { describe, expect, it } from 'vitest'
import type { ImageGrid, VectorRows } from '../../nodes/view/viewSupport'
import type { LatentViewData } from '../../nodes/view/latentView'
import {
  decodedRaster,
  faceRaster,
  gridSlice,
  latentViewRaster,
  stackRasters,
} from './latentRasters'

/** `count` 1 × 2 grey images; image i has pixels [i/10, i/10 + 0.05]. */
const grid = (count: number): ImageGrid => ({
  kind: 'images',
  width: 2,
  height: 1,
  channels: 1,
  count,
  columns: count,
  pixels: Array.from({ length: count * 2 }, (_, k) => Math.floor(k / 2) / 10 + (k % 2) * 0.05),
})

/** The red byte of each pixel, row by row; transparent gap pixels as null. */
const reds = ({
  width,
  height,
  rgba,
}: {
  width: number
  height: number
  rgba: Uint8ClampedArray
}) =>
  Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => {
      const at = (y * width + x) * 4
      return rgba[at + 3] === 0 ? null : rgba[at]
    }),
  )

describe('gridSlice', () => {
  it('keeps the chosen images, clamped to the grid', () => {
    expect(gridSlice(grid(5), 3, 4)).toMatchObject({
      count: 2,
      columns: 2,
      pixels: [0.3, 0.35, 0.4, 0.45],
    })
    expect(gridSlice(grid(5), 7, 2)).toMatchObject({ count: 0, pixels: [] })
  })
})

describe('decodedRaster', () => {
  it('tiles a slice of images in a strip with 1-pixel gaps', () => {
    // images 1 and 2: bytes round(0.1·255) = 26, round(0.15·255) = 38, 51, 64
    expect(reds(decodedRaster(grid(4), 2, 1, 2))).toEqual([[26, 38, null, 51, 64]])
  })

  it('draws vectors as heat rows', () => {
    const vectors: VectorRows = { kind: 'vectors', dim: 2, count: 3, values: [1, 0, 0, 1, -1, 0] }
    expect(decodedRaster(vectors, 1, 1, 2)).toMatchObject({ width: 2, height: 2 })
  })
})

describe('faceRaster', () => {
  it('puts the original above its decoding', () => {
    const originals = grid(3)
    const decoded = { ...grid(3), pixels: grid(3).pixels.map((value) => 1 - value) }
    // face 2: original 0.2, 0.25 → 51, 64; decoded 0.8, 0.75 → 204, 191
    expect(reds(faceRaster(originals, decoded, 2))).toEqual([
      [51, 64],
      [null, null],
      [204, 191],
    ])
  })

  it('shows the decoding alone when the originals are not images of its size', () => {
    const originals = { ...grid(3), width: 1, height: 2 }
    expect(reds(faceRaster(originals, grid(3), 0))).toEqual([[0, 13]])
  })
})

describe('stackRasters and latentViewRaster', () => {
  it('stacks rows left-aligned with transparent gaps', () => {
    const one = decodedRaster(grid(2), 2) // 5 × 1
    const two = decodedRaster(grid(1), 1) // 2 × 1
    expect(reds(stackRasters([one, two], 1))).toEqual([
      [0, 13, null, 26, 38],
      [null, null, null, null, null],
      [0, 13, null, null, null],
    ])
  })

  it('draws prior, interpolation and smile strip as rows, nothing without decodings', () => {
    const base: LatentViewData = {
      kind: 'latent',
      dim: 2,
      rowCount: 4,
      nonFiniteCount: 0,
      interpolation: null,
      prior: { count: 3, seed: 0, latents: [] },
    }
    expect(latentViewRaster(base)).toBeUndefined()
    expect(latentViewRaster({ ...base, decoded: { problem: 'none' } })).toBeUndefined()
    const sheet = latentViewRaster({
      ...base,
      decoded: {
        decoder: 'dec',
        prior: grid(3),
        faces: null,
        picks: { from: 0, to: 1, face: 0 },
        interpolation: grid(2),
        attribute: { strengths: [-1, 0, 1, 2], images: grid(4) },
      },
    })
    // Widest row: 4 images of 2 px with 1-px gaps = 11; three rows of 1 px with two 3-px gaps = 9.
    expect(sheet).toMatchObject({ width: 11, height: 9 })
  })
})
