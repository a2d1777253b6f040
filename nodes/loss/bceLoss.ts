import { defineNode, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss, tensor } from '../../graph-core/ports'
import { inferElementwiseLossShapes, logitCrossEntropy } from '../shared/elementwise'

/** PyTorch's `BCELoss` clamps each log at −100 so that p = 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100

/** PyTorch's `BCELoss` backward divides by max(p·(1 − p), 1e−12). */
const GRADIENT_EPSILON = 1e-12

/**
 * Element-wise BCE on probabilities, as PyTorch's `BCELoss`: −[t·log p + (1 − t)·log(1 − p)]
 * with each log clamped at −100, and PyTorch's gradients: (p − t) / max(p(1 − p), 1e−12) for p
 * and log(1 − p) − log p (both clamped) for t. The custom gradient keeps p = 0 and p = 1
 * finite, where the tape would divide 0 by 0.
 */
function probabilityCrossEntropy(tf: Tf, probability: Tensor, target: Tensor): Tensor {
  const op = tf.customGrad((...args) => {
    const [p, t, save] = args as [Tensor, Tensor, (tensors: Tensor[]) => void]
    const logP = tf.maximum(tf.log(p), LOG_FLOOR)
    const logOneMinusP = tf.maximum(tf.log1p(tf.neg(p)), LOG_FLOOR)
    save([p, t, logP, logOneMinusP])
    return {
      value: tf.neg(tf.add(tf.mul(t, logP), tf.mul(tf.sub(1, t), logOneMinusP))),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [savedP, savedT, savedLogP, savedLogOneMinusP] = saved
        if (
          savedP === undefined ||
          savedT === undefined ||
          savedLogP === undefined ||
          savedLogOneMinusP === undefined
        ) {
          throw new Error('binary cross-entropy lost its saved tensors')
        }
        const variance = tf.maximum(tf.mul(savedP, tf.sub(1, savedP)), GRADIENT_EPSILON)
        return [
          tf.mul(dy, tf.div(tf.sub(savedP, savedT), variance)),
          tf.mul(dy, tf.sub(savedLogOneMinusP, savedLogP)),
        ]
      },
    }
  })
  return op(probability, target)
}

/**
 * Binary cross-entropy, mean over every element. On logits (the default) it uses the stable
 * form max(x, 0) − x·t + log(1 + e^(−|x|)) of PyTorch's `BCEWithLogitsLoss`, finite for any
 * logit; on probabilities it follows PyTorch's `BCELoss`, clamping each log at −100 so that
 * p = 0 or 1 still gives a finite loss (at most 100 per element). Prediction and target share
 * their per-sample shape; targets lie in [0, 1] (hard labels or soft ones).
 */
export const bceLoss = defineNode({
  type: 'loss.bce',
  version: 1,
  category: 'loss',
  label: 'BCE loss',
  description: 'Binary cross-entropy between predicted values and targets in [0, 1].',
  inputs: {
    prediction: tensor({ description: 'Logits or probabilities, as the inputIs param says.' }),
    target: tensor({ description: 'Targets in [0, 1], with the same shape as the prediction.' }),
  },
  outputs: { loss: loss() },
  params: {
    inputIs: param.choice<'logits' | 'probabilities'>({
      default: 'logits',
      options: [
        { value: 'logits', label: 'Logits (raw scores)' },
        { value: 'probabilities', label: 'Probabilities (after a sigmoid)' },
      ],
      label: 'input is',
      help:
        'Logits are stable at any size and are the better choice: drop the final sigmoid and ' +
        'pick this. Probabilities must lie in [0, 1]; each log is clamped at −100 as in PyTorch.',
    }),
  },
  inferShapes({ prediction, target }) {
    return inferElementwiseLossShapes(
      { port: 'target', shape: target },
      { port: 'prediction', shape: prediction },
    )
  },
  build({ tf, params }) {
    return {
      forward({ prediction, target }) {
        const elementwise = // [batch, ...shape]
          params.inputIs === 'logits'
            ? logitCrossEntropy(tf, prediction, target)
            : probabilityCrossEntropy(tf, prediction, target)
        return { loss: tf.mean(elementwise) }
      },
    }
  },
})
