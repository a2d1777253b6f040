import { describe, expect, it } from 'vitest'
import type { ReconstructionViewData } from '../../nodes/view/reconstructionView'
import type { ImageGrid, VectorRows } from '../../nodes/view/viewSupport'
import { groupsPerRow, imageViewRaster, pngScale, reconstructionColumns } from './viewRaster'

const grid = (count: number, value: number): ImageGrid => ({
  kind: 'images',
  width: 2,
  height: 2,
  channels: 1,
  count,
  columns: Math.ceil(Math.sqrt(count)),
  pixels: new Array<number>(count * 4).fill(value),
})

describe('imageViewRaster', () => {
  it('tiles a sample grid', () => {
    // 4 images 2×2, 2 columns, gap 1: 5 × 5.
    const raster = imageViewRaster(grid(4, 1))
    expect([raster?.width, raster?.height]).toEqual([5, 5])
  })

  it('lays reconstructions out as pairs with a wider gap between pairs', () => {
    const data: ReconstructionViewData = {
      kind: 'reconstruction',
      count: 2,
      rowCount: 2,
      original: grid(2, 0),
      reconstruction: grid(2, 1),
      mse: [1, 1],
      meanMse: 1,
    }
    // 2 pairs → 4 tiles in one row of 4 columns: 0 | 3, then 3 + 1 + 3 more: 9 | 12; width 14.
    const raster = imageViewRaster(data)
    expect([raster?.width, raster?.height]).toEqual([14, 2])
    const at = (x: number) => raster?.rgba[x * 4] ?? -1
    expect([at(0), at(3), at(9), at(12)]).toEqual([0, 255, 0, 255])
    expect(raster?.rgba[6 * 4 + 3]).toBe(0)
  })

  it('has no raster for vector reconstructions', () => {
    const vectors: VectorRows = { kind: 'vectors', dim: 3, count: 1, values: [1, 2, 3] }
    expect(
      imageViewRaster({
        kind: 'reconstruction',
        count: 1,
        rowCount: 1,
        original: vectors,
        reconstruction: vectors,
        mse: [0],
        meanMse: 0,
      }),
    ).toBeUndefined()
  })
})

describe('reconstruction rows with an input', () => {
  const small = (count: number, value: number): ImageGrid => ({
    ...grid(count, value),
    width: 1,
    height: 1,
    pixels: new Array<number>(count).fill(value),
  })
  const superResolution: ReconstructionViewData = {
    kind: 'reconstruction',
    count: 2,
    rowCount: 2,
    original: grid(2, 1),
    reconstruction: grid(2, 0.5),
    mse: [0, 0],
    meanMse: 0,
    input: small(2, 0.2),
    psnr: 20,
    bicubic: { factor: 2, images: grid(2, 0.2), meanMse: 0.1, psnr: 10 },
  }

  it('reads input, bicubic, output, target; no bicubic for an input of the output size', () => {
    const columns = reconstructionColumns(superResolution)
    expect(columns?.map((column) => column.pixels[0])).toEqual([0.2, 0.2, 0.5, 1])
    const { bicubic: _, ...pix2pix } = { ...superResolution, input: grid(2, 0.3) }
    expect(reconstructionColumns(pix2pix)?.map((column) => column.pixels[0])).toEqual([0.3, 0.5, 1])
    expect(reconstructionColumns({ ...superResolution, input: undefined })).toBeUndefined()
  })

  it('lays rows of whole groups out, the small input magnified to the cell', () => {
    // 2 groups, 1 per row (groupsPerRow(2) = 1): 4 cells of 2×2 with gaps of 1 → 11 × 5.
    const raster = imageViewRaster(superResolution)
    expect([raster?.width, raster?.height]).toEqual([11, 5])
    const red = (x: number, y: number) => raster?.rgba[(y * 11 + x) * 4]
    // The 1×1 input fills its whole 2×2 cell; then bicubic, output, target.
    expect([red(0, 0), red(1, 1), red(3, 0), red(6, 0), red(9, 1)]).toEqual([51, 51, 51, 128, 255])
    expect(raster?.rgba[(2 * 11 + 0) * 4 + 3]).toBe(0) // the gap between rows
    expect([1, 2, 8, 16, 32].map(groupsPerRow)).toEqual([1, 1, 2, 3, 4])
  })
})

describe('pngScale', () => {
  it('magnifies small rasters by whole multiples, at most 8', () => {
    expect(pngScale({ width: 20, height: 1, rgba: new Uint8ClampedArray() })).toBe(8)
    expect(pngScale({ width: 116, height: 1, rgba: new Uint8ClampedArray() })).toBe(4)
    expect(pngScale({ width: 900, height: 1, rgba: new Uint8ClampedArray() })).toBe(1)
  })
})
