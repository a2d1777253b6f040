import { defineNode } from '../../graph-core/nodeDefinition'
import { loss, tensor } from '../../graph-core/ports'
import { absoluteDifference, inferElementwiseLossShapes } from '../shared/elementwise'

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
