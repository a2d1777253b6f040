import { defineNode, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { loss, tensor } from '../../graph-core/ports'
import { inferElementwiseLossShapes } from './mseLoss'

/**
 * |a − b| element-wise as relu(a − b) + relu(b − a): the same value, and the gradient sign(a − b)
 * with 0 at a tie as in PyTorch, where TF.js's own `abs` gives −1.
 */
export function absoluteDifference(tf: Tf, a: Tensor, b: Tensor): Tensor {
  return tf.add(tf.relu(tf.sub(a, b)), tf.relu(tf.sub(b, a)))
}

/**
 * Mean absolute error: mean over every element of |prediction − target|, as PyTorch's
 * `L1Loss(reduction='mean')`. Any per-sample shape, the same on both inputs. Less blurry than MSE
 * for images; pix2pix adds it to the adversarial loss with λ = 100 (Isola et al., 2017). The
 * gradient at an exact match is 0 (sign(0) = 0, as in PyTorch).
 */
export const l1Loss = defineNode({
  type: 'loss.l1',
  version: 1,
  category: 'loss',
  label: 'L1 loss',
  description: 'Mean absolute difference between a prediction and its target.',
  inputs: {
    prediction: tensor({ description: 'What the model produced, e.g. a translated image.' }),
    target: tensor({ description: 'What it should have produced, with the same shape.' }),
  },
  outputs: { loss: loss() },
  params: {},
  inferShapes({ prediction, target }) {
    return inferElementwiseLossShapes(
      { port: 'target', shape: target },
      { port: 'prediction', shape: prediction },
    )
  },
  build({ tf }) {
    return {
      forward({ prediction, target }) {
        return { loss: tf.mean(absoluteDifference(tf, prediction, target)) } // []
      },
    }
  },
})
