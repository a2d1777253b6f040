import { defineNode, type HostTensor } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import {
  displayableShapeIssue,
  finiteRowIndices,
  firstRows,
  imageGrid,
  imageLayout,
  pickRows,
  rangeParam,
  readRows,
  samplesParam,
  vectorRows,
  viewShapes,
  type ImageGrid,
  type VectorRows,
} from './viewSupport'

const samplesViewParams = {
  samples: samplesParam(64, 1024),
  count: param.int({
    default: 16,
    min: 1,
    max: 256,
    label: 'images shown',
    help: 'How many images (or vectors) the grid shows, taken from the held-out samples. 2-D points are all shown.',
  }),
  range: rangeParam(),
}

export type SamplesViewParams = ParamValues<typeof samplesViewParams>

/** 2-D points, row-major `[count, x y]`; rows with a NaN or infinite coordinate are left out. */
export type PointCloud = {
  readonly kind: 'points'
  readonly count: number
  readonly points: number[]
  /** Rows left out because a coordinate was NaN or infinite (a diverging generator). */
  readonly nonFiniteCount: number
}

/** What `view.samples` draws: an image grid, a point cloud, or rows of vector values. */
export type SamplesViewData = ImageGrid | PointCloud | VectorRows

/**
 * The samples of `view.samples`: up to `count` images as an {@link ImageGrid} (values mapped
 * by `range` and clipped to [0, 1]); for `[2]` every finite held-out point; for other vectors
 * `[n]` up to `count` rows of raw values.
 */
export function summarizeSamples(
  inputs: Readonly<Record<string, HostTensor>>,
  { count, range }: SamplesViewParams,
): SamplesViewData {
  const rows = readRows(inputs.images)
  const layout = imageLayout(rows.shape)
  if (layout !== undefined) return imageGrid(firstRows(rows, count), layout, range)
  if (rows.shape.length === 1 && rows.shape[0] === 2) {
    const finite = finiteRowIndices(rows)
    return {
      kind: 'points',
      count: finite.length,
      points: pickRows(rows, finite),
      nonFiniteCount: rows.count - finite.length,
    }
  }
  return vectorRows(firstRows(rows, count))
}

/**
 * Sample grid: what a generator or decoder produces, on held-out inputs (fresh noise for a
 * GAN). Images `[h, w, c]` (1 or 3 channels) or `[h, w]` are shown as a grid of the first
 * `count`, their values mapped to brightness by `range` — `zeroOne` as is (sigmoid outputs),
 * `minusOneOne` by (v + 1)/2 (tanh outputs, as DCGAN) — and clipped to [0, 1]. 2-D points `[2]`
 * (a GAN on toy data) are shown as a point cloud of every held-out row; other vectors `[n]` as
 * rows of raw values (a flattened image shows as a vector: give the decoder an image
 * outputShape to see it as a picture).
 */
export const samplesView = defineNode({
  type: 'view.samples',
  version: 1,
  category: 'view',
  label: 'Sample grid',
  description: 'Shows generated or decoded samples as an image grid, or 2-D outputs as points.',
  inputs: {
    images: tensor({
      description: 'What to show: images [h, w, c], 2-D points [2] or vectors [n].',
    }),
  },
  outputs: {},
  params: samplesViewParams,
  inferShapes({ images }) {
    return viewShapes(displayableShapeIssue('images', images))
  },
  summarize: summarizeSamples,
})
