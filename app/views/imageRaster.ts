/**
 * View data as RGBA rasters (one raster pixel per image pixel or vector value), which the
 * components put on a canvas and scale up with sharp pixels, and which the PNG export encodes.
 * Pure: tested in Node.
 */
import type { ImageGrid } from '../../nodes/view/viewSupport'

export interface Raster {
  readonly width: number
  readonly height: number
  /** Row-major RGBA, `width · height · 4` bytes. */
  readonly rgba: Uint8ClampedArray
}

export interface TileLayout {
  /** Tiles per row; the grid's own `columns` by default. */
  readonly columns?: number
  /** Transparent pixels between tiles. */
  readonly gap?: number
  /** Every this many columns (a pair), `groupGap` more pixels. */
  readonly group?: number
  readonly groupGap?: number
}

/** x of the left edge of tile column `column`. */
function columnX(column: number, tileWidth: number, layout: Required<TileLayout>): number {
  return column * (tileWidth + layout.gap) + Math.floor(column / layout.group) * layout.groupGap
}

/**
 * The images of a grid tiled left to right, top to bottom, with transparent gaps; grey images
 * get the same value in R, G and B; values in [0, 1] become bytes (rounded).
 */
export function tileImages(grid: ImageGrid, layout: TileLayout = {}): Raster {
  const full: Required<TileLayout> = {
    columns: Math.max(1, layout.columns ?? grid.columns),
    gap: layout.gap ?? 1,
    group: Math.max(1, layout.group ?? 1),
    groupGap: layout.groupGap ?? 0,
  }
  const { width: tileWidth, height: tileHeight, channels, count } = grid
  const columns = Math.min(full.columns, Math.max(1, count))
  const rows = Math.ceil(count / columns)
  const width = count === 0 ? 0 : columnX(columns - 1, tileWidth, full) + tileWidth
  const height = Math.max(0, rows * (tileHeight + full.gap) - full.gap)
  const rgba = new Uint8ClampedArray(width * height * 4)
  for (let image = 0; image < count; image++) {
    const left = columnX(image % columns, tileWidth, full)
    const top = Math.floor(image / columns) * (tileHeight + full.gap)
    for (let y = 0; y < tileHeight; y++) {
      for (let x = 0; x < tileWidth; x++) {
        const source = ((image * tileHeight + y) * tileWidth + x) * channels
        const target = ((top + y) * width + left + x) * 4
        for (let c = 0; c < 3; c++) {
          const value = grid.pixels[source + (channels === 3 ? c : 0)] ?? 0
          rgba[target + c] = Math.round(value * 255)
        }
        rgba[target + 3] = 255
      }
    }
  }
  return { width, height, rgba }
}

/**
 * Two grids of the same image size as one, pair by pair: original 0, reconstruction 0,
 * original 1, … with twice the columns, so each row shows whole pairs.
 */
export function interleavePairs(first: ImageGrid, second: ImageGrid): ImageGrid {
  const count = Math.min(first.count, second.count)
  const size = first.width * first.height * first.channels
  const pixels = new Array<number>(count * 2 * size)
  for (let pair = 0; pair < count; pair++) {
    for (let k = 0; k < size; k++) {
      pixels[2 * pair * size + k] = first.pixels[pair * size + k] ?? 0
      pixels[(2 * pair + 1) * size + k] = second.pixels[pair * size + k] ?? 0
    }
  }
  return {
    ...first,
    count: count * 2,
    columns: 2 * Math.ceil(Math.sqrt(count)),
    pixels,
  }
}

/** Colours of the heat strips: negative values blue, positive orange. */
const NEGATIVE = [37, 99, 235] as const
const POSITIVE = [234, 88, 12] as const

/**
 * Rows of values as a heat map, one pixel per value: blue below 0, orange above, opacity
 * |v| / max |v| (so it reads on light and dark backgrounds); null (NaN, ∞) transparent.
 */
export function heatRows(values: readonly (number | null)[], dim: number): Raster {
  const rows = dim > 0 ? Math.floor(values.length / dim) : 0
  let scale = 0
  for (const value of values) if (value !== null) scale = Math.max(scale, Math.abs(value))
  const rgba = new Uint8ClampedArray(rows * dim * 4)
  values.slice(0, rows * dim).forEach((value, index) => {
    if (value === null) return
    const colour = value < 0 ? NEGATIVE : POSITIVE
    rgba.set(colour, index * 4)
    rgba[index * 4 + 3] = scale === 0 ? 0 : Math.round((Math.abs(value) / scale) * 255)
  })
  return { width: dim, height: rows, rgba }
}

/** Strongest opacity of the decision surface, so the points on it stay readable. */
const SURFACE_ALPHA = 0.4

/**
 * D's decision surface as a `resolution × resolution` raster (top row first): green where D
 * says real (p > ½), rose where it says fake, opacity growing with |p − ½| up to
 * {@link SURFACE_ALPHA}; transparent at p = ½ and for missing values.
 */
export function surfaceRaster(probabilities: readonly number[], resolution: number): Raster {
  const rgba = new Uint8ClampedArray(resolution * resolution * 4)
  for (let index = 0; index < resolution * resolution; index++) {
    const p = probabilities[index]
    if (p === undefined || !Number.isFinite(p)) continue
    rgba.set(p >= 0.5 ? SURFACE_REAL : SURFACE_FAKE, index * 4)
    rgba[index * 4 + 3] = Math.round(Math.abs(p - 0.5) * 2 * SURFACE_ALPHA * 255)
  }
  return { width: resolution, height: resolution, rgba }
}

const SURFACE_REAL = [5, 150, 105] as const
const SURFACE_FAKE = [225, 29, 72] as const

/** How {@link tileGroups} lays groups out. */
export interface GroupLayout {
  /** Groups side by side in one row of the raster. */
  readonly perRow: number
  /** Transparent pixels between tiles. */
  readonly gap?: number
  /** This many more between two groups of a row. */
  readonly groupGap?: number
}

/**
 * Rows of groups: group i is image i of every grid in `columns`, side by side in that order
 * (input | output | target). The grids may differ in size: each tile is a cell as large as the
 * largest image, and a smaller image (a 14×14 input beside 28×28 outputs) is magnified by the
 * largest whole factor that fits (nearest neighbour: its pixels as the model saw them) and
 * centred, transparent around.
 */
export function tileGroups(columns: readonly ImageGrid[], layout: GroupLayout): Raster {
  const gap = layout.gap ?? 1
  const groupGap = layout.groupGap ?? 0
  const count = columns.length === 0 ? 0 : Math.min(...columns.map((grid) => grid.count))
  const perRow = Math.max(1, Math.min(layout.perRow, count))
  const cellWidth = Math.max(0, ...columns.map((grid) => grid.width))
  const cellHeight = Math.max(0, ...columns.map((grid) => grid.height))
  const groupWidth = columns.length * (cellWidth + gap) - gap
  const rows = Math.ceil(count / perRow)
  const width = count === 0 ? 0 : perRow * (groupWidth + gap + groupGap) - gap - groupGap
  const height = Math.max(0, rows * (cellHeight + gap) - gap)
  const rgba = new Uint8ClampedArray(width * height * 4)
  columns.forEach((grid, column) => {
    const factor = Math.max(
      1,
      Math.floor(Math.min(cellWidth / grid.width, cellHeight / grid.height)),
    )
    const offsetX = Math.floor((cellWidth - grid.width * factor) / 2)
    const offsetY = Math.floor((cellHeight - grid.height * factor) / 2)
    for (let image = 0; image < count; image++) {
      const left =
        (image % perRow) * (groupWidth + gap + groupGap) + column * (cellWidth + gap) + offsetX
      const top = Math.floor(image / perRow) * (cellHeight + gap) + offsetY
      for (let y = 0; y < grid.height * factor; y++) {
        for (let x = 0; x < grid.width * factor; x++) {
          const pixel = (image * grid.height + Math.floor(y / factor)) * grid.width
          const source = (pixel + Math.floor(x / factor)) * grid.channels
          const target = ((top + y) * width + left + x) * 4
          for (let c = 0; c < 3; c++) {
            const value = grid.pixels[source + (grid.channels === 3 ? c : 0)] ?? 0
            rgba[target + c] = Math.round(value * 255)
          }
          rgba[target + 3] = 255
        }
      }
    }
  })
  return { width, height, rgba }
}
