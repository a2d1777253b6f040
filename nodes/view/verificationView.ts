import { defineNode, type HostTensor } from '../../graph-core/nodeDefinition'
import type { ParamValues } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import { bestThresholdAccuracy, verificationReport, type RocCurve } from './metrics/verification'
import {
  finiteOrNull,
  finiteRowIndices,
  labelsShapeIssue,
  pickRows,
  plainNumbers,
  readRows,
  samplesParam,
  vectorShapeIssue,
  viewShapes,
} from './viewSupport'

/** Most ROC points handed to the app to draw; AUC and TAR@FAR use the full curve. */
export const ROC_DRAW_POINTS = 200

const verificationViewParams = {
  samples: samplesParam(512, 4096),
}

export type VerificationViewParams = ParamValues<typeof verificationViewParams>

/** TAR at one target FAR (see `TarAtFar` in metrics/verification). */
export type TarAtFarPoint = {
  readonly targetFar: number
  readonly tar: number
  readonly far: number
  /** Accept-if-cosine ≥ this; null when nothing is accepted (the threshold is +∞). */
  readonly threshold: number | null
  /** False when there are fewer than 1/targetFar impostor pairs: show it as "n/a". */
  readonly isResolved: boolean
}

/** What `view.verification` draws and reports, on held-out identities. */
export type VerificationViewData = {
  readonly kind: 'verification'
  /** Held-out rows used (finite embeddings with a label). */
  readonly rowCount: number
  readonly identityCount: number
  /** Rows left out because an embedding held a NaN or infinite value. */
  readonly nonFiniteCount: number
  /**
   * The ROC of accept-if-cosine ≥ threshold over all pairs, at most {@link ROC_DRAW_POINTS}
   * points from (0, 0) to (1, 1), both ascending; null without genuine or impostor pairs.
   */
  readonly roc: { readonly far: number[]; readonly tar: number[] } | null
  /** Area under the full ROC; null without a ROC. */
  readonly auc: number | null
  /** TAR at FAR 10⁻¹ and 10⁻², in that order; empty without a ROC. */
  readonly tarAtFar: TarAtFarPoint[]
  /**
   * Best-threshold accuracy on balanced pairs, max (TAR + 1 − FAR)/2 over the full ROC
   * (`bestThresholdAccuracy`), with its threshold (null = accept none); null without a ROC.
   */
  readonly bestAccuracy: { readonly accuracy: number; readonly threshold: number | null } | null
  /** Top-1 against a gallery of the first image of each identity. */
  readonly identification: {
    readonly accuracy: number | null
    readonly correct: number
    readonly probeCount: number
    readonly galleryCount: number
  }
  /** Few-shot 3 → 1 over identities with at least 4 images. */
  readonly fewShot: {
    readonly accuracy: number | null
    readonly correct: number
    readonly episodeCount: number
    readonly verificationAuc: number | null
  }
  /** Pairs scored (a seeded sample when there are more than 100 000 of a kind) and in total. */
  readonly pairs: {
    readonly genuine: number
    readonly impostor: number
    readonly genuineTotal: number
    readonly impostorTotal: number
    readonly isSampled: boolean
  }
}

/**
 * Indices of at most `maxPoints` points of a curve to draw, in order, always with the first and
 * the last. Points are picked evenly along the curve's length (|Δx| + |Δy| per step), so the
 * steep start of a good ROC keeps as much detail as its flat end. A subsequence of a monotone
 * curve is monotone. Needs maxPoints ≥ 2.
 */
export function downsampleCurve(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxPoints: number,
): number[] {
  const n = Math.min(x.length, y.length)
  if (n <= maxPoints) return Array.from({ length: n }, (_, index) => index)
  const along = new Float64Array(n) // cumulative length up to each point
  for (let index = 1; index < n; index++) {
    const step =
      Math.abs((x[index] ?? 0) - (x[index - 1] ?? 0)) +
      Math.abs((y[index] ?? 0) - (y[index - 1] ?? 0))
    along[index] = (along[index - 1] ?? 0) + step
  }
  const total = along[n - 1] ?? 0
  const picked = [0]
  let cursor = 1
  for (let k = 1; k < maxPoints - 1; k++) {
    const target = (total * k) / (maxPoints - 1)
    while (cursor < n - 1 && (along[cursor] ?? 0) < target) cursor++
    if (cursor >= n - 1) break
    if (cursor > (picked.at(-1) ?? 0)) picked.push(cursor)
  }
  picked.push(n - 1)
  return picked
}

function bestAccuracyOf(roc: RocCurve): { accuracy: number; threshold: number | null } {
  const { accuracy, threshold } = bestThresholdAccuracy(roc)
  return { accuracy: accuracy + 0, threshold: finiteOrNull(threshold) }
}

/**
 * The verification numbers of `view.verification` from `verificationReport`: pair ROC
 * (downsampled for drawing), AUC, TAR at FAR 10⁻¹ and 10⁻², top-1 identification and few-shot
 * 3 → 1 and best-threshold accuracy. Rows whose embedding is not finite are left out; with labels and embeddings of
 * different lengths only the common rows are used. Pairs are sampled with seed 0, so the same
 * embeddings give the same numbers.
 */
export function summarizeVerification(
  inputs: Readonly<Record<string, HostTensor>>,
  _params: VerificationViewParams,
): VerificationViewData {
  const embeddings = readRows(inputs.embeddings)
  const labelRows = readRows(inputs.labels)
  const rows = Math.min(embeddings.count, labelRows.count)
  const kept = finiteRowIndices(embeddings, rows)
  const identities = kept.map((row) => (labelRows.data[row] ?? 0) + 0)
  const report = verificationReport({
    embeddings: pickRows(embeddings, kept),
    dim: embeddings.width,
    labels: identities,
  })
  const { roc, pairs, identification, fewShot } = report
  const drawn = roc === undefined ? [] : downsampleCurve(roc.far, roc.tar, ROC_DRAW_POINTS)
  return {
    kind: 'verification',
    rowCount: kept.length,
    identityCount: new Set(identities).size,
    nonFiniteCount: rows - kept.length,
    roc:
      roc === undefined
        ? null
        : {
            far: plainNumbers(drawn.map((index) => roc.far[index] ?? 0)),
            tar: plainNumbers(drawn.map((index) => roc.tar[index] ?? 0)),
          },
    auc: finiteOrNull(roc?.auc),
    tarAtFar: report.tarAtFar.map(({ targetFar, tar, far, threshold, isResolved }) => ({
      targetFar,
      tar: tar + 0,
      far: far + 0,
      threshold: finiteOrNull(threshold),
      isResolved,
    })),
    bestAccuracy: roc === undefined ? null : bestAccuracyOf(roc),
    identification: {
      accuracy: finiteOrNull(identification.accuracy),
      correct: identification.correct,
      probeCount: identification.probeCount,
      galleryCount: identification.galleryCount,
    },
    fewShot: {
      accuracy: finiteOrNull(fewShot.accuracy),
      correct: fewShot.correct,
      episodeCount: fewShot.episodeCount,
      verificationAuc: finiteOrNull(fewShot.verificationAuc),
    },
    pairs: {
      genuine: pairs.genuine.length,
      impostor: pairs.impostor.length,
      genuineTotal: pairs.genuineTotal,
      impostorTotal: pairs.impostorTotal,
      isSampled: pairs.isSampled,
    },
  }
}

/**
 * Verification on held-out identities (DESIGN §1): the seminar's three questions asked of the
 * embeddings, compared by cosine similarity. Verification — the ROC of "same person if
 * cos ≥ t" over all pairs, its AUC, and TAR at FAR 10⁻¹ and 10⁻² (flagged unresolved with too
 * few impostor pairs); identification — top-1 against a gallery of one image per identity;
 * few-shot — with 3 images of a new person, is the 4th nearest to them. Feed it embeddings of
 * identities never seen in training for the open-set numbers.
 */
export const verificationView = defineNode({
  type: 'view.verification',
  version: 1,
  category: 'view',
  label: 'Verification (ROC)',
  description: 'ROC, TAR at FAR, identification and few-shot accuracy on held-out identities.',
  inputs: {
    embeddings: tensor({ description: 'An embedding [d] per sample.' }),
    labels: labels({ description: 'The identity of each sample.' }),
  },
  outputs: {},
  params: verificationViewParams,
  inferShapes({ embeddings, labels: labelShape }) {
    return viewShapes(
      vectorShapeIssue('embeddings', embeddings),
      labelsShapeIssue('labels', labelShape),
    )
  },
  summarize: summarizeVerification,
})
