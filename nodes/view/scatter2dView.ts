import { defineNode, type HostTensor, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, type Shape } from '../../graph-core/shapes'
import { boundsCovering, gridPoints, type Bounds } from './metrics/decisionSurface'
import {
  finiteRowIndices,
  pickRows,
  plainNumbers,
  readRows,
  samplesParam,
  viewShapes,
} from './viewSupport'

const scatter2dViewParams = {
  samples: samplesParam(512, 4096),
  resolution: param.int({
    default: 32,
    min: 2,
    max: 128,
    label: 'surface resolution',
    help: 'Pixels per side of the discriminator’s decision surface: D runs on resolution² points.',
  }),
}

export type Scatter2dViewParams = ParamValues<typeof scatter2dViewParams>

/** What `view.scatter2d` draws, and the grid on which the worker evaluates D. */
export type Scatter2dViewData = {
  readonly kind: 'scatter2d'
  /** Real points, row-major `[n, x y]`. */
  readonly real: number[]
  /** Generated points, row-major `[m, x y]`, when `fake` is connected (absent otherwise). */
  readonly fake?: number[]
  /** Rows of either input left out because a coordinate was NaN or infinite. */
  readonly nonFiniteCount: number
  /** The plane shown: covers both clouds with a 10 % margin, square. */
  readonly bounds: Bounds
  readonly resolution: number
  /**
   * Pixel centres of a `resolution × resolution` grid over `bounds`, row-major
   * `[resolution², x y]`, top row first (see `gridPoints`). D is to be evaluated on these.
   */
  readonly grid: number[]
  /**
   * D's probability of "real" at each grid point, row-major `[resolution²]` in the order of
   * `grid`: not made by `summarize` (it has no D) but added by the training session, which runs
   * the discriminator judging these points on `grid` (workers/decisionSurface.ts).
   */
  readonly surface?: number[]
}

/** The finite points of a `[n, 2]` input and how many rows were not. */
function finitePoints(host: HostTensor | undefined): { points: number[]; dropped: number } {
  const rows = readRows(host)
  const kept = finiteRowIndices(rows)
  return { points: pickRows(rows, kept), dropped: rows.count - kept.length }
}

/**
 * The points, bounds and grid of `view.scatter2d`. Points with a NaN or infinite coordinate
 * (a diverging generator) cannot be drawn; they are left out and counted.
 */
export function summarizeScatter2d(
  inputs: Readonly<Record<string, HostTensor>>,
  { resolution }: Scatter2dViewParams,
): Scatter2dViewData {
  const real = finitePoints(inputs.real)
  const fake = inputs.fake === undefined ? undefined : finitePoints(inputs.fake)
  const bounds = boundsCovering(real.points, fake?.points ?? [])
  return {
    kind: 'scatter2d',
    real: real.points,
    ...(fake === undefined ? {} : { fake: fake.points }),
    nonFiniteCount: real.dropped + (fake?.dropped ?? 0),
    bounds: {
      xMin: bounds.xMin + 0,
      xMax: bounds.xMax + 0,
      yMin: bounds.yMin + 0,
      yMax: bounds.yMax + 0,
    },
    resolution,
    grid: plainNumbers(gridPoints(bounds, resolution)),
  }
}

/** The issue with a per-sample point shape, which must be `[2]`; none when absent. */
function pointShapeIssue(port: string, shape: Shape | undefined): ShapeIssue | undefined {
  if (shape === undefined || (shape.length === 1 && shape[0] === 2)) return undefined
  return {
    port,
    message: `${port} must be a 2-D point per sample`,
    expected: '[2]',
    actual: formatShape(shape),
  }
}

/**
 * 2-D scatter for a GAN on toy points (DESIGN §4): real and generated points over the
 * discriminator's decision surface. The surface cannot be an input — it needs D evaluated on
 * points that are not samples of any graph tensor — so the view returns, besides the point
 * clouds, the `bounds` covering both (`boundsCovering`) and the `grid` of pixel centres for
 * `resolution` (`gridPoints`). The app asks the worker to run the discriminator on `grid` as a
 * `[resolution², 2]` batch and turns its logits into P(real) per pixel with `probabilityGrid`
 * (metrics/decisionSurface), drawn under the points.
 */
export const scatter2dView = defineNode({
  type: 'view.scatter2d',
  version: 1,
  category: 'view',
  label: '2-D scatter',
  description: 'Real and generated 2-D points over the discriminator’s decision surface.',
  inputs: {
    real: tensor({ description: 'Real 2-D points [2], e.g. a toy distribution.' }),
    fake: tensor({ description: 'Generated 2-D points [2], G(z).', isOptional: true }),
  },
  outputs: {},
  params: scatter2dViewParams,
  inferShapes(inputs) {
    // An unconnected optional port has no shape (the contract types every port as present).
    const fake = inputs.fake
    return viewShapes(pointShapeIssue('real', inputs.real), pointShapeIssue('fake', fake))
  },
  summarize: summarizeScatter2d,
})
