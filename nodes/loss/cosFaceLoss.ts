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
import { oneHotFloat, softmaxCrossEntropy } from '../shared/tensorMath'
import { checkClassCount } from '../shared/semanticChecks'

/**
 * CosFace, large margin cosine loss (Wang et al. 2018, "CosFace: Large Margin Cosine Loss for
 * Deep Face Recognition"; also AM-Softmax; the insightface definition). With cos θ between the
 * L2-normalised embedding and L2-normalised class rows (clamped to ±(1 − 1e-7)), the target
 * logit becomes cos θ − m; every logit is multiplied by s and the loss is the mean log-sum-exp
 * cross-entropy. The margin is additive in cosine space, so it is monotonic for every θ and
 * needs no fallback. Labels must lie in [0, classes).
 */
export const cosFaceLoss = defineNode({
  type: 'loss.cosFace',
  version: 1,
  category: 'loss',
  label: 'CosFace loss',
  description: 'Pulls each embedding towards its class centre on the sphere by a cosine margin.',
  inputs: angularLossInputs,
  outputs: { loss: loss({ description: 'Mean cross-entropy of the margined, scaled cosines.' }) },
  params: {
    classes: classesParam,
    scale: param.number({
      default: 64,
      min: 1,
      max: 128,
      label: 'scale s',
      help: 'Multiplies every cosine: the radius of the sphere the logits live on. 64 is the insightface value; smaller values soften the softmax.',
    }),
    margin: param.number({
      default: 0.35,
      min: 0,
      max: 1,
      step: 0.05,
      label: 'margin m',
      help: 'Subtracted from the cosine to the own class before scaling. 0.35 is the paper’s value; larger margins give tighter clusters but train harder.',
    }),
  },
  check: checkClassCount('CosFace'),
  inferShapes: (inputs) => inferAngularLossShapes('CosFace', inputs),
  cost: angularLossCost,
  build({ tf, params, inputShapes, variable }) {
    const { classes, scale, margin } = params
    const classWeights = variable(
      'classWeights',
      [classes, inputShapes.embeddings[0] ?? 0],
      'glorotNormal',
    )
    return {
      forward({ embeddings, labels }, context) {
        const cos = cosineToClassRows(tf, embeddings, classWeights) // [batch, classes]
        const oneHot = oneHotFloat(tf, labels, classes) // [batch, classes]
        const targetCos = targetValues(tf, cos, oneHot) // [batch]
        const logits = tf.mul(withTargets(tf, cos, oneHot, tf.sub(targetCos, margin)), scale)
        reportAngularMetrics(context, cos, labels, targetCos)
        return { loss: softmaxCrossEntropy(tf, logits, labels) }
      },
    }
  },
})
