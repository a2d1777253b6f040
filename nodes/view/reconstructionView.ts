import { defineNode, type HostTensor } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, shapesEqual } from '../../graph-core/shapes'
import {
  displayRows,
  displayableShapeIssue,
  finiteOrNull,
  firstRows,
  rangeParam,
  readRows,
  samplesParam,
  viewShapes,
  type ImageGrid,
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

/**
 * What `view.reconstruction` draws: pair i is image (or vector) i of `original` next to image i
 * of `reconstruction`, with its error `mse[i]`.
 */
export type ReconstructionViewData = {
  readonly kind: 'reconstruction'
  /** Pairs drawn: min(count, held-out rows). */
  readonly count: number
  /** Held-out rows behind `meanMse`. */
  readonly rowCount: number
  readonly original: ImageGrid | VectorRows
  readonly reconstruction: ImageGrid | VectorRows
  /** Mean squared error of each drawn pair, on the raw values; null when not finite. */
  readonly mse: (number | null)[]
  /** Mean of the per-sample errors over all held-out rows (loss.mse on them); null if none. */
  readonly meanMse: number | null
}

/**
 * Pairs of original and reconstructed images for `view.reconstruction`, with errors. The error
 * is computed on the raw values (as `loss.mse`), before the display mapping and clipping.
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
  const rows = Math.min(original.count, reconstruction.count)
  const { width } = original
  const errors = Array.from({ length: rows }, (_, row) => {
    let sum = 0
    for (let k = 0; k < width; k++) {
      const index = row * width + k
      sum += ((original.data[index] ?? 0) - (reconstruction.data[index] ?? 0)) ** 2
    }
    return sum / width
  })
  const shown = Math.min(count, rows)
  const total = errors.reduce((sum, error) => sum + error, 0)
  return {
    kind: 'reconstruction',
    count: shown,
    rowCount: rows,
    original: displayRows(firstRows(original, shown), range),
    reconstruction: displayRows(firstRows(reconstruction, shown), range),
    mse: errors.slice(0, shown).map(finiteOrNull),
    meanMse: rows === 0 ? null : finiteOrNull(total / rows),
  }
}

/**
 * Reconstructions of an autoencoder next to their inputs, on held-out data: the first `count`
 * pairs drawn as in `view.samples` (images mapped by `range`, clipped to [0, 1]; vectors as raw
 * values), each pair's mean squared error, and the mean error over every held-out sample. For a
 * denoising autoencoder connect the clean image as `original`, since that is the target.
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
  },
  outputs: {},
  params: reconstructionViewParams,
  inferShapes({ original, reconstruction }) {
    const shapeIssues = viewShapes(
      displayableShapeIssue('original', original),
      displayableShapeIssue('reconstruction', reconstruction),
    )
    if ('issues' in shapeIssues || shapesEqual(original, reconstruction)) return shapeIssues
    return viewShapes({
      port: 'reconstruction',
      message: 'reconstruction must have the same per-sample shape as original',
      expected: formatShape(original),
      actual: formatShape(reconstruction),
    })
  },
  summarize: summarizeReconstruction,
})
