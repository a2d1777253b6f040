import { describe, expect, it } from 'vitest'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { heatRows, interleavePairs, surfaceRaster, tileGroups, tileImages } from './imageRaster'

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

describe('tileGroups', () => {
  it('centres an image that no whole factor fits, transparent around', () => {
    // A 2×1 image beside a 3×3 one: cells 3×3, the small one at scale 1, one row down.
    const wide: ImageGrid = { ...grey(1, [1, 1]), width: 2 }
    const square: ImageGrid = { ...grey(1, new Array<number>(9).fill(0.5)), width: 3, height: 3 }
    const raster = tileGroups([wide, square], { perRow: 1, gap: 1 })
    expect([raster.width, raster.height]).toEqual([7, 3])
    const alpha = (x: number, y: number) => raster.rgba[(y * 7 + x) * 4 + 3]
    expect([alpha(0, 0), alpha(0, 1), alpha(1, 1), alpha(2, 1), alpha(0, 2)]).toEqual([
      0, 255, 255, 0, 0,
    ])
    expect([alpha(3, 0), alpha(4, 0), alpha(6, 2)]).toEqual([0, 255, 255])
  })

  it('puts groups side by side with a wider gap, then wraps', () => {
    // 3 groups of two 1×1 images, 2 per row, gap 1, group gap 2: (1+1+1) + 3 + (1+1+1) = 9 wide.
    const a = grey(3, [0, 0, 0], 1)
    const b = grey(3, [1, 1, 1], 1)
    const raster = tileGroups([a, b], { perRow: 2, gap: 1, groupGap: 2 })
    expect([raster.width, raster.height]).toEqual([9, 3])
    const red = (x: number, y: number) => raster.rgba[(y * 9 + x) * 4]
    expect([red(0, 0), red(2, 0), red(6, 0), red(8, 0), red(0, 2), red(2, 2)]).toEqual([
      0, 255, 0, 255, 0, 255,
    ])
  })
})
