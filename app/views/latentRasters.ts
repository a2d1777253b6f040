/**
 * The latent tools' decoded images as rasters (issue #8): a group of decoded rows as one strip
 * or grid, a single image, and a picked face's original above its decoding. Decoders that make
 * vectors give heat strips instead. Pure: tested in Node.
 */
import type { DecodedRows, LatentViewData } from '../../nodes/view/latentView'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { heatRows, tileImages, type Raster } from './imageRaster'

/** Images `start … start + count` of a grid as a grid of their own, `columns` to a row. */
export function gridSlice(
  grid: ImageGrid,
  start: number,
  count: number,
  columns = count,
): ImageGrid {
  const size = grid.width * grid.height * grid.channels
  const first = Math.max(0, Math.min(start, grid.count))
  const kept = Math.max(0, Math.min(count, grid.count - first))
  return {
    ...grid,
    count: kept,
    columns: Math.max(1, Math.min(columns, kept)),
    pixels: grid.pixels.slice(first * size, (first + kept) * size),
  }
}

/** Two grids of the same image size as one, the images of `first` then those of `second`. */
export function joinGrids(first: ImageGrid, second: ImageGrid, columns: number): ImageGrid {
  return {
    ...first,
    count: first.count + second.count,
    columns: Math.max(1, columns),
    pixels: [...first.pixels, ...second.pixels],
  }
}

/** Decoded rows `start … start + count` as a raster, `columns` images to a row. */
export function decodedRaster(
  rows: DecodedRows,
  columns: number,
  start = 0,
  count = rows.count,
): Raster {
  if (rows.kind === 'vectors') {
    const from = Math.max(0, start) * rows.dim
    return heatRows(rows.values.slice(from, from + Math.max(0, count) * rows.dim), rows.dim)
  }
  return tileImages(gridSlice(rows, start, count, columns))
}

/**
 * Face `index` as the picker shows it: the held-out original above its decoding (only the
 * decoding when the originals are not images of the same size).
 */
export function faceRaster(originals: DecodedRows, decoded: DecodedRows, index: number): Raster {
  if (decoded.kind === 'vectors') return decodedRaster(decoded, 1, index, 1)
  const decodedFace = gridSlice(decoded, index, 1)
  if (
    originals.kind === 'vectors' ||
    originals.width !== decoded.width ||
    originals.height !== decoded.height ||
    originals.channels !== decoded.channels
  )
    return tileImages(decodedFace)
  return tileImages(joinGrids(gridSlice(originals, index, 1), decodedFace, 1))
}

/** Rasters one above the other, left-aligned, `gap` transparent pixels apart. */
export function stackRasters(rasters: readonly Raster[], gap = 3): Raster {
  const shown = rasters.filter((raster) => raster.width > 0 && raster.height > 0)
  const width = Math.max(0, ...shown.map((raster) => raster.width))
  const height = Math.max(
    0,
    shown.reduce((sum, raster) => sum + raster.height + gap, -gap),
  )
  const rgba = new Uint8ClampedArray(width * height * 4)
  let top = 0
  for (const raster of shown) {
    for (let y = 0; y < raster.height; y++) {
      const row = raster.rgba.subarray(y * raster.width * 4, (y + 1) * raster.width * 4)
      rgba.set(row, (top + y) * width * 4)
    }
    top += raster.height + gap
  }
  return { width, height, rgba }
}

/**
 * The latent tools' PNG: the decoded prior samples, the interpolation and the smile strip, one
 * row each; undefined when nothing was decoded into images.
 */
export function latentViewRaster(data: LatentViewData): Raster | undefined {
  const decoded = data.decoded
  if (decoded === undefined || 'problem' in decoded) return undefined
  const rows = [decoded.prior, decoded.interpolation, decoded.attribute?.images ?? null].filter(
    (rows): rows is ImageGrid => rows !== null && rows.kind === 'images' && rows.count > 0,
  )
  if (rows.length === 0) return undefined
  return stackRasters(rows.map((grid) => tileImages({ ...grid, columns: grid.count })))
}
