/**
 * Shared math of the angular-margin losses (ArcFace, CosFace, SphereFace): cosines between
 * embeddings and class rows, clamped away from ±1 so acos and √(1 − cos²) keep finite slopes;
 * one-hot selection and replacement of the target logit; SphereFace's ψ(θ); the shape rule and
 * cost the three share; and their metrics.
 */
import type {
  ForwardContext,
  NodeCost,
  ShapeIssue,
  ShapeResult,
  Tensor,
  Tf,
} from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, tensor, type PortSpec } from '../../graph-core/ports'
import { formatShape, type Shape } from '../../graph-core/shapes'
import { l2Normalize, withoutGradient } from './tensorMath'

/**
 * Cosines are clamped to [−COSINE_LIMIT, COSINE_LIMIT]. In float32 this is 1 − 2⁻²³: acos(±1)
 * and d√(1 − c²)/dc are infinite at ±1; at the limit they are ≈ 4.9e-4 rad and ≈ 2000.
 */
export const COSINE_LIMIT = 1 - 1e-7

/**
 * cos clamped to [−1 + 1e-7, 1 − 1e-7]. Outside the range the gradient is 0 (clipByValue), so
 * an embedding lying exactly on (or opposite) a row gets no gradient through that cosine —
 * where θ has a cusp — instead of an infinite one.
 */
export function clampCosine(tf: Tf, cos: Tensor): Tensor {
  return tf.clipByValue(cos, -COSINE_LIMIT, COSINE_LIMIT)
}

/** θ = acos(cos) in radians, from a clamped cosine: finite in value and gradient everywhere. */
export function clampedAcos(tf: Tf, cos: Tensor): Tensor {
  return tf.acos(clampCosine(tf, cos))
}

/**
 * cos θ between every embedding and every class row, both L2-normalised (safe at zero):
 * x [batch, d], rows [classes, d] → [batch, classes] = x̂·ŵᵀ, clamped (see `clampCosine`).
 */
export function cosineToClassRows(tf: Tf, x: Tensor, rows: Tensor): Tensor {
  return clampCosine(tf, tf.matMul(l2Normalize(tf, x), l2Normalize(tf, rows), false, true))
}

/** Each row's entry at its label: values [batch, classes], one-hot [batch, classes] → [batch]. */
export function targetValues(tf: Tf, values: Tensor, oneHot: Tensor): Tensor {
  return tf.sum(tf.mul(values, oneHot), 1)
}

/**
 * values [batch, classes] with each row's label entry replaced by targets [batch]; the other
 * entries keep their values and gradients.
 */
export function withTargets(tf: Tf, values: Tensor, oneHot: Tensor, targets: Tensor): Tensor {
  return tf.add(tf.mul(values, tf.sub(1, oneHot)), tf.mul(oneHot, tf.expandDims(targets, 1)))
}

/**
 * cos(mθ) from c = cos θ by the Chebyshev recurrence T₀ = 1, T₁ = c, Tₙ₊₁ = 2c·Tₙ − Tₙ₋₁
 * (m = 2: 2c² − 1; m = 3: 4c³ − 3c; m = 4: 8c⁴ − 8c² + 1). A polynomial, so its gradient is
 * finite at c = ±1, unlike cos(m·acos c). m is a whole number ≥ 0.
 */
export function cosOfMultipleAngle(tf: Tf, cos: Tensor, m: number): Tensor {
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m must be a whole number ≥ 0, got ${m}`)
  if (m === 0) return tf.onesLike(cos)
  let previous = tf.onesLike(cos)
  let current = cos
  for (let n = 1; n < m; n++) {
    const next = tf.sub(tf.mul(tf.mul(cos, 2), current), previous)
    previous = current
    current = next
  }
  return current
}

/**
 * SphereFace's monotonic extension of cos(mθ) to θ ∈ [0, π] (Liu et al. 2017, A-Softmax):
 * ψ(θ) = (−1)ᵏ·cos(mθ) − 2k with k = ⌊mθ/π⌋ ∈ [0, m − 1]. k is piecewise constant, so it is
 * computed off the tape (`withoutGradient`) and held constant in the backward pass, as the
 * reference implementation does; ψ is continuous at the sector edges and decreasing in θ.
 * Elementwise on a clamped cos of any shape.
 */
export function sphereFacePsi(tf: Tf, cos: Tensor, m: number): Tensor {
  const k = withoutGradient(tf, cos, (c) =>
    tf.minimum(tf.floor(tf.mul(clampedAcos(tf, c), m / Math.PI)), m - 1),
  )
  const sign = tf.sub(1, tf.mul(tf.mod(k, 2), 2)) // (−1)ᵏ
  return tf.sub(tf.mul(sign, cosOfMultipleAngle(tf, cos, m)), tf.mul(k, 2))
}

/**
 * Streams the metrics every angular loss reports: `accuracy`, the fraction of samples whose
 * largest unmargined cosine is at their label, and `meanTargetAngle`, the mean angle in degrees
 * between each embedding and its own class row. cos [batch, classes], targetCos [batch].
 */
export function reportAngularMetrics(
  context: ForwardContext,
  cos: Tensor,
  labels: Tensor,
  targetCos: Tensor,
): void {
  const { tf } = context
  const isCorrect = tf.equal(tf.argMax(cos, 1), tf.cast(labels, 'int32'))
  context.report('accuracy', tf.mean(tf.cast(isCorrect, 'float32')))
  context.report('meanTargetAngle', tf.mul(tf.mean(clampedAcos(tf, targetCos)), 180 / Math.PI))
}

/** The ports every angular loss has, as shape inference sees them (per sample). */
export interface AngularLossShapes {
  embeddings: Shape
  labels: Shape
}

/**
 * Shape rule of the angular losses: one embedding vector [d] (d ≥ 1) and one label [] per
 * sample give one scalar loss []. Every problem is returned, each naming its port.
 */
export function inferAngularLossShapes(
  lossLabel: string,
  { embeddings, labels }: AngularLossShapes,
): ShapeResult<{ loss: PortSpec }> {
  const issues: ShapeIssue[] = []
  if (embeddings.length !== 1) {
    issues.push({
      port: 'embeddings',
      message: `${lossLabel} takes one embedding vector per sample; flatten it or add an embedding head`,
      expected: '[d]',
      actual: formatShape(embeddings),
    })
  } else if ((embeddings[0] ?? 0) < 1) {
    issues.push({
      port: 'embeddings',
      message: `${lossLabel} needs embeddings with at least one component`,
      expected: '[d] with d ≥ 1',
      actual: formatShape(embeddings),
    })
  }
  if (labels.length !== 0) {
    issues.push({
      port: 'labels',
      message: `${lossLabel} takes one class id per sample`,
      expected: '[]',
      actual: formatShape(labels),
    })
  }
  return issues.length > 0 ? { issues } : { outputs: { loss: [] } }
}

/** classes × d class-row weights; one [d]·[d, classes] product per sample (2·classes·d FLOPs). */
export function angularLossCost(
  { embeddings }: AngularLossShapes,
  { classes }: { classes: number },
): NodeCost {
  const size = embeddings[0] ?? 0
  return { parameters: classes * size, flops: 2 * classes * size }
}

/** The ports every angular-margin loss takes. */
export const angularLossInputs = {
  embeddings: tensor({ rank: 1, description: 'One embedding vector per sample.' }),
  labels: labels({ description: 'The class (identity) of each sample, in [0, classes).' }),
}

/** The class count of an angular-margin loss's class matrix. */
export const classesParam = param.int({
  default: 10,
  min: 2,
  max: 100_000,
  help: 'Number of classes (identities) the loss separates; match the training identities.',
})
