import { defineNode, type HostTensor, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, type Shape } from '../../graph-core/shapes'
import {
  attributeVector,
  interpolateLatents,
  sampleLatents,
  type InterpolationMode,
} from './metrics/latent'
import {
  finiteRowIndices,
  pickRows,
  plainNumbers,
  readRows,
  samplesParam,
  vectorShapeIssue,
  viewShapes,
  type ImageGrid,
  type VectorRows,
} from './viewSupport'
import type { LatentPicks } from './latentPicks'

const latentViewParams = {
  samples: samplesParam(256, 4096),
  threshold: param.number({
    default: 0.5,
    step: 0.05,
    label: 'attribute threshold',
    help: 'Samples whose attribute is at least this count as having it (smiling); the rest as not.',
  }),
  steps: param.int({
    default: 8,
    min: 2,
    max: 64,
    label: 'interpolation steps',
    help: 'Latents on the path between the first two held-out latents, both ends included.',
  }),
  mode: param.choice<InterpolationMode>({
    default: 'linear',
    options: [
      { value: 'linear', label: 'Linear' },
      { value: 'spherical', label: 'Spherical (slerp)' },
    ],
    label: 'interpolation',
    help: 'Linear walks the straight line; spherical follows the arc, which keeps Gaussian latents at a typical length.',
  }),
  count: param.int({
    default: 8,
    min: 0,
    max: 64,
    label: 'prior samples',
    help: 'How many latents to draw from N(0, I) to decode: meaningful for a VAE, whose prior that is.',
  }),
  seed: param.int({
    default: 0,
    min: 0,
    max: 2 ** 31 - 1,
    help: 'Seed of the prior samples; keep it to compare the same latents as training goes on.',
  }),
}

export type LatentViewParams = ParamValues<typeof latentViewParams>

/** Strengths s of the attribute arithmetic z_face + s · vector that the worker decodes. */
export const ATTRIBUTE_STRENGTHS = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2] as const

/** Decoded images (or vectors, for a decoder that makes vectors), in the order of their latents. */
export type DecodedRows = ImageGrid | VectorRows

/**
 * The latent tools as pictures, added by the training worker, which runs the decoder (the view
 * node itself has no decoder to run): `problem` says why there are none.
 */
export type LatentDecodings =
  | { readonly problem: string }
  | {
      /** The decoder node that made them. */
      readonly decoder: string
      /** The prior draws of `prior.latents`, decoded. */
      readonly prior: DecodedRows
      /**
       * The first held-out inputs of the node that makes the latents, and their decodings through
       * its (mean) latent: the faces to pick from. Null when that node cannot be run on its input
       * alone (it takes several inputs).
       */
      readonly faces: { readonly originals: DecodedRows; readonly decoded: DecodedRows } | null
      /** The picks the pictures below use (the request's, or the defaults). */
      readonly picks: LatentPicks
      /** The interpolation from face `picks.from` to `picks.to` (or the view's path without faces). */
      readonly interpolation: DecodedRows | null
      /**
       * z of face `picks.face` + s · attribute vector for each s of {@link ATTRIBUTE_STRENGTHS};
       * null without faces or without an attribute vector.
       */
      readonly attribute: {
        readonly strengths: readonly number[]
        readonly images: DecodedRows
      } | null
    }

/** What `view.latent` hands the app: latents to decode, as row-major plain arrays. */
export type LatentViewData = {
  readonly kind: 'latent'
  /** Latent length k. */
  readonly dim: number
  /** Held-out latents used (those with finite values). */
  readonly rowCount: number
  /** Rows left out because a latent held a NaN or infinite value. */
  readonly nonFiniteCount: number
  /** `[steps, dim]` from the first to the second held-out latent; null with fewer than two. */
  readonly interpolation: {
    readonly mode: InterpolationMode
    readonly steps: number
    readonly latents: number[]
  } | null
  /** `[count, dim]` draws from N(0, I) (Box–Muller on the seed). */
  readonly prior: { readonly count: number; readonly seed: number; readonly latents: number[] }
  /**
   * When an attribute is connected (the key is absent otherwise): mean latent of the samples
   * with attribute ≥ threshold minus the mean of the others, `[dim]`; null when either group
   * is empty. Samples whose attribute is NaN are in neither group.
   */
  readonly attribute?: {
    readonly threshold: number
    readonly withCount: number
    readonly withoutCount: number
    readonly vector: number[] | null
  }
  /** Added by the worker when it evaluates the view (absent from `summarize`). */
  readonly decoded?: LatentDecodings
}

/**
 * The latent-side data of `view.latent`: the interpolation path, prior samples and the
 * attribute vector, from the held-out latents whose values are all finite.
 */
export function summarizeLatent(
  inputs: Readonly<Record<string, HostTensor>>,
  { threshold, steps, mode, count, seed }: LatentViewParams,
): LatentViewData {
  const latents = readRows(inputs.latents)
  const attribute = inputs.attribute === undefined ? undefined : readRows(inputs.attribute)
  const rows = Math.min(latents.count, attribute?.count ?? Number.POSITIVE_INFINITY)
  const kept = finiteRowIndices(latents, rows)
  const dim = latents.width
  const [first, second] = kept
  const interpolation =
    first === undefined || second === undefined
      ? null
      : {
          mode,
          steps,
          latents: plainNumbers(
            interpolateLatents(
              pickRows(latents, [first]),
              pickRows(latents, [second]),
              steps,
              mode,
            ),
          ),
        }
  // A [0] latent (refused by the analysis) has nothing to sample.
  const priorLatents = dim >= 1 ? plainNumbers(sampleLatents(count, dim, seed)) : []
  const prior = { count: dim >= 1 ? count : 0, seed, latents: priorLatents }
  const common = {
    kind: 'latent',
    dim,
    rowCount: kept.length,
    nonFiniteCount: rows - kept.length,
    interpolation,
    prior,
  } as const
  if (attribute === undefined) return common

  // One value per sample ([] or [1]); NaN means unknown, so the sample joins neither group.
  const labelled = kept.filter((row) => Number.isFinite(attribute.data[row * attribute.width]))
  const hasAttribute = labelled.map(
    (row) => (attribute.data[row * attribute.width] ?? 0) >= threshold,
  )
  const withCount = hasAttribute.filter(Boolean).length
  const result = attributeVector(pickRows(latents, labelled), dim, hasAttribute)
  return {
    ...common,
    attribute: {
      threshold,
      withCount,
      withoutCount: labelled.length - withCount,
      vector: result === undefined ? null : plainNumbers(result.vector),
    },
  }
}

/** The issue with a per-sample attribute shape: one value, `[]` or `[1]`. */
function attributeShapeIssue(shape: Shape | undefined): ShapeIssue | undefined {
  if (shape === undefined || shape.length === 0 || (shape.length === 1 && shape[0] === 1))
    return undefined
  return {
    port: 'attribute',
    message: 'attribute must be one value per sample (a smile intensity, say)',
    expected: '[] or [1]',
    actual: formatShape(shape),
  }
}

/**
 * Latent tools (DESIGN §1: the latent space is the point). From the held-out latents z [k] of
 * an encoder it provides the latent side of three tools: an interpolation path between the
 * first two latents (linear or slerp), `count` seeded draws from the prior N(0, I), and — with
 * a per-sample attribute connected — the attribute vector, mean z of the samples with
 * attribute ≥ threshold minus mean z of the rest (the seminar's smile vector), to add to a face's
 * latent with a strength. All are plain latents: the training worker decodes them (with the
 * held-out faces the user picks from) through the decoder downstream of `latents`, see
 * workers/latentDecoding.ts; the node itself does not decode.
 */
export const latentView = defineNode({
  type: 'view.latent',
  version: 1,
  category: 'view',
  label: 'Latent tools',
  description: 'Interpolation, prior samples and attribute vectors (smile) in the latent space.',
  inputs: {
    latents: tensor({ description: 'A latent vector [k] per sample, e.g. the encoder mean.' }),
    attribute: tensor({
      description: 'One attribute value per sample (e.g. smile), [] or [1].',
      isOptional: true,
    }),
  },
  outputs: {},
  params: latentViewParams,
  inferShapes(inputs) {
    // An unconnected optional port has no shape (the contract types every port as present).
    const attribute = inputs.attribute
    return viewShapes(vectorShapeIssue('latents', inputs.latents), attributeShapeIssue(attribute))
  },
  summarize: summarizeLatent,
})
