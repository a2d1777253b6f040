/**
 * What the view nodes share: reading the held-out tensors the compiler hands `summarize`
 * (batch-first {@link HostTensor}s), keeping only rows that can be drawn, turning image batches
 * into display pixels, and the `samples` param every view has.
 *
 * Everything a view returns must survive `JSON.parse(JSON.stringify(x))` unchanged (ViewData is
 * plain JSON): no typed arrays, no `undefined` values, no NaN or ±∞ (JSON writes them as
 * null), no −0 (JSON writes it as 0). {@link plainNumbers} and {@link finiteOrNull} do that.
 */
import {
  fail,
  ok,
  type HostTensor,
  type ShapeIssue,
  type ShapeResult,
} from '../../graph-core/nodeDefinition'
import { param, type ChoiceParam, type IntParam } from '../../graph-core/params'
import { formatShape, shapeSize, type Shape } from '../../graph-core/shapes'

/**
 * The `samples` param of a view: how many held-out rows it is computed on. `summarize` never
 * sees it act — the caller (the worker) reads it and passes it to
 * `TrainingProgram.evaluateView(node, { samples })`, which evaluates the inputs in as many
 * held-out passes as that needs and hands over `[samples, ...]` (fewer only if the data ends).
 */
export function samplesParam(fallback: number, max: number): IntParam {
  return param.int({
    default: fallback,
    min: 1,
    max,
    label: 'held-out samples',
    help: 'How many held-out rows the view is computed on; more is steadier but slower to refresh.',
  })
}

/** A batch read back to the host, as rows of `width` values. */
export interface Rows {
  /** Number of rows (the batch dimension). */
  readonly count: number
  /** Per-sample shape (the shape without the batch dimension). */
  readonly shape: Shape
  /** Values per row: the product of `shape`. */
  readonly width: number
  /** Row-major `[count, width]`. */
  readonly data: ArrayLike<number>
}

/**
 * The rows of a host tensor; no rows when the input is absent (an unconnected optional port).
 * A buffer shorter than its shape says (never produced by the compiler) is cut to whole rows.
 */
export function readRows(host: HostTensor | undefined): Rows {
  if (host === undefined) return { count: 0, shape: [], width: 1, data: [] }
  const shape = host.shape.slice(1)
  const width = shapeSize(shape)
  const declared = host.shape[0] ?? 0
  const count = width === 0 ? declared : Math.min(declared, Math.floor(host.data.length / width))
  return { count, shape, width, data: host.data }
}

/** The first `count` rows of `rows` (all when it has fewer). */
export function firstRows(rows: Rows, count: number): Rows {
  const kept = Math.max(0, Math.min(rows.count, count))
  return { ...rows, count: kept }
}

/** Indices of the rows (among the first `limit`) whose values are all finite. */
export function finiteRowIndices(rows: Rows, limit = rows.count): number[] {
  const indices: number[] = []
  for (let row = 0; row < Math.min(limit, rows.count); row++) {
    let isFinite = true
    for (let k = 0; k < rows.width && isFinite; k++)
      isFinite = Number.isFinite(rows.data[row * rows.width + k])
    if (isFinite) indices.push(row)
  }
  return indices
}

/** The values of the chosen rows, one after another, as a plain array (see {@link plainNumbers}). */
export function pickRows(rows: Rows, indices: readonly number[]): number[] {
  const out = new Array<number>(indices.length * rows.width)
  indices.forEach((row, position) => {
    for (let k = 0; k < rows.width; k++)
      out[position * rows.width + k] = (rows.data[row * rows.width + k] ?? 0) + 0
  })
  return out
}

/** A plain number array for JSON: typed arrays copied, −0 written as 0 (`x + 0`). */
export function plainNumbers(values: ArrayLike<number>): number[] {
  return Array.from(values, (value) => value + 0)
}

/** The value when finite (−0 as 0), else null: JSON would write NaN and ±∞ as null anyway. */
export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value + 0 : null
}

/** How an image batch is laid out per sample. */
export interface ImageLayout {
  readonly height: number
  readonly width: number
  readonly channels: number
}

/** Channel counts a view can draw: grey or RGB. */
export const DRAWABLE_CHANNELS = [1, 3] as const

/**
 * The image layout of a per-sample shape: `[h, w, c]` with 1 or 3 channels, or `[h, w]` as grey.
 * Undefined for anything else (vectors, points, feature maps with other channel counts).
 */
export function imageLayout(shape: Shape): ImageLayout | undefined {
  const [height = 0, width = 0, channels = 1] = shape
  if (shape.length !== 2 && shape.length !== 3) return undefined
  if (!DRAWABLE_CHANNELS.some((drawable) => drawable === channels)) return undefined
  return { height, width, channels }
}

/**
 * A per-sample shape the image-like views can show: an image `[h, w, c]` (c = 1 or 3) or `[h, w]`,
 * or a vector `[n]` (`[2]` is a point). The issue names the port, expected and actual shapes.
 */
export function displayableShapeIssue(port: string, shape: Shape): ShapeIssue | undefined {
  if (shape.length === 3 && imageLayout(shape) === undefined) {
    return {
      port,
      message: `${port} has ${shape[2] ?? 0} channels; only 1 (grey) or 3 (RGB) can be drawn`,
      expected: '[h, w, 1] or [h, w, 3]',
      actual: formatShape(shape),
    }
  }
  if (shape.length < 1 || shape.length > 3) {
    return {
      port,
      message: `${port} must be an image [h, w, c] or a vector [n] per sample`,
      expected: '[h, w, c] or [n]',
      actual: formatShape(shape),
    }
  }
  return undefined
}

/** A view's shape inference: no outputs, and the issues found (undefined entries are fine). */
export function viewShapes(
  ...candidates: (ShapeIssue | undefined)[]
): ShapeResult<Readonly<Record<string, never>>> {
  const issues = candidates.filter((issue): issue is ShapeIssue => issue !== undefined)
  return issues.length > 0 ? fail(...issues) : ok({})
}

/** The issue with a per-sample embedding or latent shape, which must be a vector `[d]`. */
export function vectorShapeIssue(port: string, shape: Shape): ShapeIssue | undefined {
  if (shape.length === 1 && (shape[0] ?? 0) > 0) return undefined
  return {
    port,
    message: `${port} must be one vector per sample; flatten it or add a dense or embedding head first`,
    expected: '[d]',
    actual: formatShape(shape),
  }
}

/** The issue with a per-sample labels shape, which must be `[]` (one id per sample); none if absent. */
export function labelsShapeIssue(port: string, shape: Shape | undefined): ShapeIssue | undefined {
  if (shape === undefined || shape.length === 0) return undefined
  return {
    port,
    message: `${port} must be one class or identity id per sample`,
    expected: '[]',
    actual: formatShape(shape),
  }
}

/** How stored values map to brightness. */
export type PixelRange = 'zeroOne' | 'minusOneOne'

/** The `range` param of the image views. */
export function rangeParam(): ChoiceParam<PixelRange> {
  return param.choice<PixelRange>({
    default: 'zeroOne',
    label: 'value range',
    options: [
      { value: 'zeroOne', label: '[0, 1] (sigmoid)' },
      { value: 'minusOneOne', label: '[−1, 1] (tanh)' },
    ],
    help: 'What the image values span: [0, 1] is shown as is; [−1, 1] (a tanh output) is mapped by (v + 1)/2. Values outside are clipped.',
  })
}

/**
 * A stored value as brightness in [0, 1]: as is for `zeroOne`, (v + 1)/2 for `minusOneOne`,
 * then clipped to [0, 1]. NaN (a diverging model) shows as 0, black.
 */
export function toPixel(value: number, range: PixelRange): number {
  const mapped = range === 'minusOneOne' ? (value + 1) / 2 : value
  if (Number.isNaN(mapped)) return 0
  return Math.min(1, Math.max(0, mapped)) + 0
}

/**
 * A batch of images to draw. `pixels` holds the images one after another, each row-major
 * `[height, width, channels]`: channel c of pixel (y, x) of image i is at
 * `((i·height + y)·width + x)·channels + c`, in [0, 1]. The app tiles them `columns` to a row
 * (⌈√count⌉, so the grid is as square as it gets), left to right, top to bottom.
 */
export type ImageGrid = {
  readonly kind: 'images'
  readonly width: number
  readonly height: number
  readonly channels: number
  readonly count: number
  readonly columns: number
  readonly pixels: number[]
}

/** Vectors to draw as rows of cells (a heat strip each): `values` row-major `[count, dim]`. */
export type VectorRows = {
  readonly kind: 'vectors'
  readonly dim: number
  readonly count: number
  /** Raw values, not clipped; null where a value is NaN or infinite. */
  readonly values: (number | null)[]
}

/** The columns of a grid of `count` tiles: ⌈√count⌉ (0 for none). */
export function gridColumns(count: number): number {
  return Math.ceil(Math.sqrt(count))
}

/** All rows of `rows` as an {@link ImageGrid}, mapped by {@link toPixel}. */
export function imageGrid(rows: Rows, layout: ImageLayout, range: PixelRange): ImageGrid {
  const size = rows.count * rows.width
  const pixels = new Array<number>(size)
  for (let index = 0; index < size; index++) pixels[index] = toPixel(rows.data[index] ?? 0, range)
  return { kind: 'images', ...layout, count: rows.count, columns: gridColumns(rows.count), pixels }
}

/** All rows of `rows` as {@link VectorRows}. */
export function vectorRows(rows: Rows): VectorRows {
  const size = rows.count * rows.width
  const values = new Array<number | null>(size)
  for (let index = 0; index < size; index++) values[index] = finiteOrNull(rows.data[index])
  return { kind: 'vectors', dim: rows.width, count: rows.count, values }
}

/** All rows of `rows` as images when their shape is an image, else as vectors. */
export function displayRows(rows: Rows, range: PixelRange): ImageGrid | VectorRows {
  const layout = imageLayout(rows.shape)
  return layout === undefined ? vectorRows(rows) : imageGrid(rows, layout, range)
}
