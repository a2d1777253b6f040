import { defineNode, type HostTensor, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, shapesEqual, type Shape } from '../../graph-core/shapes'
import { bicubicUpsample } from './metrics/bicubic'
import {
  displayRows,
  displayableShapeIssue,
  finiteOrNull,
  firstRows,
  imageGrid,
  imageLayout,
  rangeParam,
  readRows,
  samplesParam,
  viewShapes,
  type ImageGrid,
  type PixelRange,
  type Rows,
  type VectorRows,
} from './viewSupport'

const reconstructionViewParams = {
  samples: samplesParam(64, 1024),
  count: param.int({
    default: 8,
    min: 1,
    max: 64,
    label: 'pairs shown',
    help: 'How many original/reconstruction pairs are drawn; the mean error uses every held-out sample.',
  }),
  range: rangeParam(),
}

export type ReconstructionViewParams = ParamValues<typeof reconstructionViewParams>

/** The bicubic reference of a super-resolution view (see `metrics/bicubic.ts`). */
export type BicubicReference = {
  /** How many times larger the output is than the input, per side. */
  readonly factor: number
  /** The first `count` inputs upsampled, as drawn. */
  readonly images: ImageGrid
  /** Mean squared error to `original` over all held-out rows; null if none or not finite. */
  readonly meanMse: number | null
  /** Its PSNR in dB, as the model's `psnr`. */
  readonly psnr: number | null
}

/** The largest difference two pixel values of `range` can have: the PSNR's peak. */
const PEAK: Record<PixelRange, number> = { zeroOne: 1, minusOneOne: 2 }

/** The bounds of `range`, to which the bicubic reference is clipped. */
const BOUNDS: Record<PixelRange, readonly [number, number]> = {
  zeroOne: [0, 1],
  minusOneOne: [-1, 1],
}

/**
 * PSNR in dB of a mean squared error over images whose values span `range`:
 * 10·log10(peak² / mse), peak 1 for [0, 1] and 2 for [−1, 1]; null when not finite (no error).
 */
export function psnrOf(meanMse: number | null, range: PixelRange): number | null {
  if (meanMse === null) return null
  return finiteOrNull(10 * Math.log10(PEAK[range] ** 2 / meanMse))
}

/** Mean squared error of each of the first `count` rows of `a` against the same row of `b`. */
function rowErrors(a: Rows, b: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: count }, (_, row) => {
    let sum = 0
    for (let k = 0; k < a.width; k++) {
      const index = row * a.width + k
      sum += ((a.data[index] ?? 0) - (b[index] ?? 0)) ** 2
    }
    return sum / a.width
  })
}

const meanOf = (values: readonly number[]): number | null =>
  values.length === 0
    ? null
    : finiteOrNull(values.reduce((sum, value) => sum + value, 0) / values.length)

/**
 * The whole factor by which image rows `output` are larger than image rows `input` (the same
 * factor on both sides, the same channels, at least 2); undefined otherwise.
 */
function upscaleFactor(input: Rows, output: Rows): number | undefined {
  const small = imageLayout(input.shape)
  const large = imageLayout(output.shape)
  if (small === undefined || large === undefined || small.channels !== large.channels)
    return undefined
  const factor = large.height / Math.max(1, small.height)
  const isWhole = Number.isInteger(factor) && factor >= 2
  return isWhole && small.width * factor === large.width ? factor : undefined
}

/**
 * The bicubic reference of `input` upscaled to `original`'s size, over `rows` held-out rows,
 * the first `shown` drawn; undefined when `input` is not smaller by a whole factor.
 */
function bicubicReference(
  input: Rows,
  original: Rows,
  rows: number,
  shown: number,
  range: PixelRange,
): BicubicReference | undefined {
  const factor = upscaleFactor(input, original)
  const layout = imageLayout(input.shape)
  const large = imageLayout(original.shape)
  if (factor === undefined || layout === undefined || large === undefined) return undefined
  const { height, width, channels } = layout
  const upsampled = bicubicUpsample(
    input.data,
    rows,
    [height, width, channels],
    factor,
    BOUNDS[range],
  )
  const meanMse = meanOf(rowErrors(original, upsampled, rows))
  const upsampledRows: Rows = {
    count: shown,
    shape: original.shape,
    width: original.width,
    data: upsampled,
  }
  return {
    factor,
    images: imageGrid(upsampledRows, large, range),
    meanMse,
    psnr: psnrOf(meanMse, range),
  }
}

/**
 * What `view.reconstruction` draws: pair i is image (or vector) i of `original` next to image i
 * of `reconstruction`, with its error `mse[i]`. With the `input` port connected, row i reads
 * input i | bicubic i (when there is one) | reconstruction i | original i.
 */
export type ReconstructionViewData = {
  readonly kind: 'reconstruction'
  /** Pairs drawn: min(count, held-out rows). */
  readonly count: number
  /** Held-out rows behind `meanMse`. */
  readonly rowCount: number
  readonly original: ImageGrid | VectorRows
  readonly reconstruction: ImageGrid | VectorRows
  /** What the generator saw (the `input` port), first `count` rows; absent when unconnected. */
  readonly input?: ImageGrid | VectorRows
  /** The model's held-out PSNR in dB (see {@link psnrOf}); present with an image `input`. */
  readonly psnr?: number | null
  /** Bicubic upsampling of an image `input` smaller than `original` by a whole factor. */
  readonly bicubic?: BicubicReference
  /** Mean squared error of each drawn pair, on the raw values; null when not finite. */
  readonly mse: (number | null)[]
  /** Mean of the per-sample errors over all held-out rows (loss.mse on them); null if none. */
  readonly meanMse: number | null
}

/**
 * Pairs of original and reconstructed images for `view.reconstruction`, with errors. The error
 * is computed on the raw values (as `loss.mse`), before the display mapping and clipping. With
 * an `input`: its first `count` rows, and for images the model's held-out PSNR; when the input
 * is smaller than `original` by a whole factor (super-resolution), its bicubic upsampling
 * (clipped to `range`) and that reference's error and PSNR over every held-out row.
 * Throws a RangeError when the two inputs have different per-sample shapes, which the graph
 * analysis refuses before anything runs.
 */
export function summarizeReconstruction(
  inputs: Readonly<Record<string, HostTensor>>,
  { count, range }: ReconstructionViewParams,
): ReconstructionViewData {
  const original = readRows(inputs.original)
  const reconstruction = readRows(inputs.reconstruction)
  if (!shapesEqual(original.shape, reconstruction.shape)) {
    throw new RangeError(
      `reconstruction ${formatShape(reconstruction.shape)} does not match original ${formatShape(original.shape)}`,
    )
  }
  // The input comes from the same held-out passes as the pair, so row i of each belongs together.
  const input = inputs.input === undefined ? undefined : readRows(inputs.input)
  const rows = Math.min(original.count, reconstruction.count, input?.count ?? Infinity)
  const errors = rowErrors(original, reconstruction.data, rows)
  const shown = Math.min(count, rows)
  const meanMse = meanOf(errors)
  const summary: ReconstructionViewData = {
    kind: 'reconstruction',
    count: shown,
    rowCount: rows,
    original: displayRows(firstRows(original, shown), range),
    reconstruction: displayRows(firstRows(reconstruction, shown), range),
    mse: errors.slice(0, shown).map(finiteOrNull),
    meanMse,
  }
  if (input === undefined) return summary
  const bicubic = bicubicReference(input, original, rows, shown, range)
  return {
    ...summary,
    input: displayRows(firstRows(input, shown), range),
    ...(imageLayout(input.shape) === undefined ? {} : { psnr: psnrOf(meanMse, range) }),
    ...(bicubic === undefined ? {} : { bicubic }),
  }
}

/**
 * The issue with an `input` shape: it must be drawable, and beside image pairs an image with
 * the same channels (any size: a smaller one is magnified, and gets a bicubic reference).
 */
function inputShapeIssue(input: Shape, original: Shape): ShapeIssue | undefined {
  const issue = displayableShapeIssue('input', input)
  const pair = imageLayout(original)
  if (issue !== undefined || pair === undefined) return issue
  if (imageLayout(input)?.channels === pair.channels) return undefined
  return {
    port: 'input',
    message: `input must be an image with ${pair.channels === 3 ? '3 channels' : '1 channel'}, as original, to be drawn in the same row`,
    expected: `[h, w, ${pair.channels}]`,
    actual: formatShape(input),
  }
}

/**
 * Reconstructions of an autoencoder next to their inputs, on held-out data: the first `count`
 * pairs drawn as in `view.samples` (images mapped by `range`, clipped to [0, 1]; vectors as raw
 * values), each pair's mean squared error, and the mean error over every held-out sample. For a
 * denoising autoencoder connect the clean image as `original`, since that is the target.
 *
 * For a generator fed an image (pix2pix, super-resolution, CycleGAN) connect what it saw as the
 * optional `input`: each row then reads input | output | target, with the model's PSNR; an input
 * smaller than the target by a whole factor f (super-resolution) also gets its bicubic
 * upsampling beside it (Keys, a = −0.5, half-pixel centres as `data.downsample` pools) and that
 * reference's PSNR. The node stays at version 1: an optional port changes no saved params, so
 * documents saved before it load unchanged.
 */
export const reconstructionView = defineNode({
  type: 'view.reconstruction',
  version: 1,
  category: 'view',
  label: 'Reconstructions',
  description: 'Shows inputs next to their reconstructions, with the squared error of each.',
  inputs: {
    original: tensor({ description: 'The input, or the clean target of a denoiser.' }),
    reconstruction: tensor({ description: 'What the decoder made of it, with the same shape.' }),
    input: tensor({
      isOptional: true,
      description:
        'Optional: what the generator saw (edges, a low-resolution image), drawn first in each row.',
    }),
  },
  outputs: {},
  params: reconstructionViewParams,
  inferShapes({ original, reconstruction, input }) {
    const pairIssues = [
      displayableShapeIssue('original', original),
      displayableShapeIssue('reconstruction', reconstruction),
    ]
    const isPairDrawable = pairIssues.every((issue) => issue === undefined)
    return viewShapes(
      ...pairIssues,
      isPairDrawable && !shapesEqual(original, reconstruction)
        ? {
            port: 'reconstruction',
            message: 'reconstruction must have the same per-sample shape as original',
            expected: formatShape(original),
            actual: formatShape(reconstruction),
          }
        : undefined,
      input === undefined ? undefined : inputShapeIssue(input, original),
    )
  },
  summarize: summarizeReconstruction,
})
