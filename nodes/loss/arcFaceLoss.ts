import { defineNode } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss } from '../../graph-core/ports'
import {
  angularLossCost,
  cosineToClassRows,
  inferAngularLossShapes,
  reportAngularMetrics,
  targetValues,
  withTargets,
  angularLossInputs,
  classesParam,
} from '../shared/angularMath'
import { oneHotFloat, safeSqrt, softmaxCrossEntropy, withoutGradient } from '../shared/tensorMath'
import { checkClassCount } from '../shared/semanticChecks'

/**
 * ArcFace, additive angular margin loss (Deng et al. 2019, "ArcFace: Additive Angular Margin
 * Loss for Deep Face Recognition"; the insightface definition). With cos θ between the
 * L2-normalised embedding and L2-normalised class rows (clamped to ±(1 − 1e-7)), the target
 * logit becomes cos(θ + m) = cos θ·cos m − sin θ·sin m, sin θ = √(1 − cos²θ); every logit is
 * multiplied by s and the loss is the mean log-sum-exp cross-entropy.
 *
 * Constraint: cos(θ + m) stops decreasing once θ + m > π, so where θ > π − m (cos θ < cos(π − m))
 * the target is cos θ − m·sin m instead, keeping the penalty monotonic in θ. With the easy
 * margin the margin applies only where cos θ > 0 and the target is cos θ elsewhere. Labels must
 * lie in [0, classes).
 */
export const arcFaceLoss = defineNode({
  type: 'loss.arcFace',
  version: 1,
  category: 'loss',
  label: 'ArcFace loss',
  description: 'Pushes each embedding towards its class centre on the sphere by an angular margin.',
  inputs: angularLossInputs,
  outputs: { loss: loss({ description: 'Mean cross-entropy of the margined, scaled cosines.' }) },
  params: {
    classes: classesParam,
    scale: param.number({
      default: 64,
      min: 1,
      max: 128,
      label: 'scale s',
      help: 'Multiplies every cosine: the radius of the sphere the logits live on. 64 is the paper’s value; smaller values soften the softmax.',
    }),
    margin: param.number({
      default: 0.5,
      min: 0,
      max: 1.5,
      step: 0.05,
      label: 'margin m',
      help: 'Angle in radians added to the angle to the own class (0.5 rad ≈ 28.6°). Larger margins give tighter clusters but train harder.',
    }),
    isEasyMargin: param.boolean({
      default: false,
      label: 'easy margin',
      help: 'Apply the margin only where the embedding is within 90° of its class (cos θ > 0), instead of the θ > π − m fallback.',
    }),
  },
  check: checkClassCount('ArcFace'),
  inferShapes: (inputs) => inferAngularLossShapes('ArcFace', inputs),
  cost: angularLossCost,
  build({ tf, params, inputShapes, variable }) {
    const { classes, scale, margin, isEasyMargin } = params
    const classWeights = variable(
      'classWeights',
      [classes, inputShapes.embeddings[0] ?? 0],
      'glorotNormal',
    )
    const cosMargin = Math.cos(margin)
    const sinMargin = Math.sin(margin)
    // θ > π − m ⇔ cos θ < cos(π − m); the easy margin switches at θ = 90° instead.
    const threshold = isEasyMargin ? 0 : Math.cos(Math.PI - margin)
    return {
      forward({ embeddings, labels }, context) {
        const cos = cosineToClassRows(tf, embeddings, classWeights) // [batch, classes]
        const oneHot = oneHotFloat(tf, labels, classes) // [batch, classes]
        const targetCos = targetValues(tf, cos, oneHot) // [batch]
        // cos θ is clamped, so 1 − cos²θ ≥ 2.4e-7 and sin θ has a finite slope.
        const sinTheta = safeSqrt(tf, tf.sub(1, tf.square(targetCos)))
        const withMargin = tf.sub(tf.mul(targetCos, cosMargin), tf.mul(sinTheta, sinMargin))
        const fallback = isEasyMargin ? targetCos : tf.sub(targetCos, margin * sinMargin)
        // 1 where the margin applies; a mask, not tf.where, keeps comparisons off the tape.
        const isMargined = withoutGradient(tf, targetCos, (c) =>
          tf.cast(tf.greater(c, threshold), 'float32'),
        )
        const target = tf.add(fallback, tf.mul(isMargined, tf.sub(withMargin, fallback))) // [batch]
        const logits = tf.mul(withTargets(tf, cos, oneHot, target), scale) // [batch, classes]
        reportAngularMetrics(context, cos, labels, targetCos)
        return { loss: softmaxCrossEntropy(tf, logits, labels) }
      },
    }
  },
})
