import { describe, expect, it } from 'vitest'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { heatRows, interleavePairs, surfaceRaster, tileImages } from './imageRaster'

const grey = (count: number, values: number[], columns = 2): ImageGrid => ({
  kind: 'images',
  width: 1,
  height: 1,
  channels: 1,
  count,
  columns,
  pixels: values,
})

/** The raster's RGBA as [r, g, b, a] per pixel. */
const pixelsOf = (rgba: Uint8ClampedArray) =>
  Array.from({ length: rgba.length / 4 }, (_, k) => [...rgba.slice(k * 4, k * 4 + 4)])

describe('tileImages', () => {
  it('tiles 1×1 grey images two to a row with a transparent gap', () => {
    // 3 tiles, 2 columns, gap 1: 3 × 3 pixels, tiles at (0,0) (2,0) (0,2).
    const raster = tileImages(grey(3, [0, 1, 0.5]))
    expect([raster.width, raster.height]).toEqual([3, 3])
    const pixels = pixelsOf(raster.rgba)
    expect(pixels[0]).toEqual([0, 0, 0, 255])
    expect(pixels[1]).toEqual([0, 0, 0, 0])
    expect(pixels[2]).toEqual([255, 255, 255, 255])
    expect(pixels[6]).toEqual([128, 128, 128, 255])
    expect(pixels[8]).toEqual([0, 0, 0, 0])
  })

  it('keeps RGB channels and widens the gap between groups', () => {
    const rgb: ImageGrid = {
      kind: 'images',
      width: 1,
      height: 1,
      channels: 3,
      count: 4,
      columns: 4,
      pixels: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1],
    }
    // Pairs: x = 0, 2 | 6, 8 (gap 1 between tiles, 1 + 2 between pairs).
    const raster = tileImages(rgb, { group: 2, groupGap: 2 })
    expect([raster.width, raster.height]).toEqual([9, 1])
    const pixels = pixelsOf(raster.rgba)
    expect(pixels[0]).toEqual([255, 0, 0, 255])
    expect(pixels[2]).toEqual([0, 255, 0, 255])
    expect(pixels[6]).toEqual([0, 0, 255, 255])
    expect(pixels[8]).toEqual([255, 255, 255, 255])
    expect(pixels[5]).toEqual([0, 0, 0, 0])
  })

  it('is empty for no images', () => {
    const raster = tileImages(grey(0, []))
    expect(raster.rgba.length).toBe(0)
  })
})

describe('interleavePairs', () => {
  it('puts each original before its reconstruction, whole pairs per row', () => {
    const pairs = interleavePairs(grey(3, [0.1, 0.2, 0.3]), grey(3, [0.9, 0.8, 0.7]))
    expect(pairs.pixels).toEqual([0.1, 0.9, 0.2, 0.8, 0.3, 0.7])
    expect(pairs.count).toBe(6)
    expect(pairs.columns).toBe(4) // 2 · ⌈√3⌉
  })
})

describe('heatRows', () => {
  it('colours by sign with opacity relative to the largest magnitude', () => {
    const raster = heatRows([2, -1, 0, null], 2)
    expect([raster.width, raster.height]).toEqual([2, 2])
    const pixels = pixelsOf(raster.rgba)
    expect(pixels[0]).toEqual([234, 88, 12, 255])
    expect(pixels[1]).toEqual([37, 99, 235, 128])
    expect(pixels[2]?.[3]).toBe(0)
    expect(pixels[3]).toEqual([0, 0, 0, 0])
  })
})

describe('surfaceRaster', () => {
  it('shades real green and fake rose by |p − ½|, transparent at ½', () => {
    // 2 × 2: p = 1, 0, ½, 0.75 → alpha 0.4·255 = 102, 102, 0, 0.5·102 = 51.
    const raster = surfaceRaster([1, 0, 0.5, 0.75], 2)
    expect([raster.width, raster.height]).toEqual([2, 2])
    const pixels = pixelsOf(raster.rgba)
    expect(pixels[0]).toEqual([5, 150, 105, 102])
    expect(pixels[1]).toEqual([225, 29, 72, 102])
    expect(pixels[2]?.[3]).toBe(0)
    expect(pixels[3]).toEqual([5, 150, 105, 51])
  })
})
