import { defineNode } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, loss, tensor } from '../../graph-core/ports'
import {
  angularLossCost,
  cosineToClassRows,
  inferAngularLossShapes,
  reportAngularMetrics,
  sphereFacePsi,
  targetValues,
  withTargets,
  classesParam,
} from '../shared/angularMath'
import { oneHotFloat, safeNorm, softmaxCrossEntropy } from '../shared/tensorMath'
import { checkClassCount } from '../shared/semanticChecks'

/**
 * λ of SphereFace's blend at a training step: the reference Caffe schedule
 * λ = max(λ_min, base·(1 + γ·step)^(−power)) with power 1, i.e. max(lambdaMin,
 * lambdaStart / (1 + gamma·step)); 0 (no blend, pure ψ) when annealing is off.
 */
function sphereFaceLambda(
  step: number,
  {
    isLambdaAnnealed,
    lambdaStart,
    lambdaMin,
    gamma,
  }: { isLambdaAnnealed: boolean; lambdaStart: number; lambdaMin: number; gamma: number },
): number {
  if (!isLambdaAnnealed) return 0
  return Math.max(lambdaMin, lambdaStart / (1 + gamma * step))
}

/**
 * SphereFace, A-Softmax: multiplicative angular margin (Liu et al. 2017, "SphereFace: Deep
 * Hypersphere Embedding for Face Recognition"; the wy1iu/sphereface implementation). Class rows
 * are L2-normalised, the embedding is not: non-target logits are ‖x‖·cos θ and the target logit
 * is ‖x‖·ψ(θ) with ψ(θ) = (−1)ᵏ·cos(mθ) − 2k, k = ⌊mθ/π⌋, a decreasing extension of cos(mθ)
 * to [0, π]; the loss is the mean log-sum-exp cross-entropy.
 *
 * Pure ψ barely trains at first, so the target is blended with the plain cosine,
 * ‖x‖·(λ·cos θ + ψ(θ))/(1 + λ), with λ annealed from `lambdaStart` down to `lambdaMin` by the
 * reference schedule λ = max(lambdaMin, lambdaStart/(1 + gamma·step)) (Caffe's base/gamma/power
 * with power 1), `step` being the completed training iterations. Without annealing λ = 0.
 * k is held constant in the backward pass; cos(mθ) is the Chebyshev polynomial of cos θ.
 * Labels must lie in [0, classes).
 */
export const sphereFaceLoss = defineNode({
  type: 'loss.sphereFace',
  version: 1,
  category: 'loss',
  label: 'SphereFace loss',
  description:
    'Multiplies the angle to each embedding’s class centre by m, so classes must be m times tighter.',
  inputs: {
    embeddings: tensor({
      rank: 1,
      description: 'One embedding vector per sample, not normalised: its length scales the logits.',
    }),
    labels: labels({ description: 'The class (identity) of each sample, in [0, classes).' }),
  },
  outputs: { loss: loss({ description: 'Mean cross-entropy of the angular-margin logits.' }) },
  params: {
    classes: classesParam,
    margin: param.int({
      default: 4,
      min: 1,
      max: 4,
      label: 'margin m',
      help: 'The angle to the own class counts m times. 4 is the paper’s value; 1 is a plain softmax on normalised class rows.',
    }),
    isLambdaAnnealed: param.boolean({
      default: true,
      label: 'anneal λ',
      help: 'Blend the margined target with the plain cosine by a weight λ that decays during training, as the paper does to make A-Softmax converge. Off: the pure margin from the first step.',
    }),
    lambdaStart: param.number({
      default: 1000,
      min: 0,
      max: 100_000,
      label: 'λ start',
      help: 'λ at step 0. Large values start as a plain softmax and bring the margin in gradually.',
    }),
    lambdaMin: param.number({
      default: 5,
      min: 0,
      max: 1000,
      label: 'λ min',
      help: 'λ never decays below this; 5 is the paper’s value for m = 4.',
    }),
    gamma: param.number({
      default: 0.12,
      min: 0,
      max: 10,
      step: 0.01,
      label: 'λ decay γ',
      help: 'Decay rate: λ = max(λ min, λ start / (1 + γ·step)). 0 keeps λ at λ start.',
    }),
  },
  check: checkClassCount('SphereFace'),
  inferShapes: (inputs) => inferAngularLossShapes('SphereFace', inputs),
  cost: angularLossCost,
  build({ tf, params, inputShapes, variable }) {
    const { classes, margin } = params
    const classWeights = variable(
      'classWeights',
      [classes, inputShapes.embeddings[0] ?? 0],
      'glorotNormal',
    )
    return {
      forward({ embeddings, labels }, context) {
        const lambda = sphereFaceLambda(context.step, params)
        const norm = safeNorm(tf, embeddings) // [batch, 1]
        const cos = cosineToClassRows(tf, embeddings, classWeights) // [batch, classes]
        const oneHot = oneHotFloat(tf, labels, classes) // [batch, classes]
        const targetCos = targetValues(tf, cos, oneHot) // [batch]
        const psi = sphereFacePsi(tf, targetCos, margin) // [batch]
        const target = tf.div(tf.add(tf.mul(targetCos, lambda), psi), 1 + lambda) // [batch]
        const logits = tf.mul(withTargets(tf, cos, oneHot, target), norm) // [batch, classes]
        reportAngularMetrics(context, cos, labels, targetCos)
        context.report('lambda', tf.scalar(lambda))
        return { loss: softmaxCrossEntropy(tf, logits, labels) }
      },
    }
  },
})
