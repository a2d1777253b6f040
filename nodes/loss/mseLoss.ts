import { defineNode } from '../../graph-core/nodeDefinition'
import { loss, tensor } from '../../graph-core/ports'
import { inferElementwiseLossShapes } from '../shared/elementwise'

/**
 * Mean squared error: mean over every element of (prediction − target)², as PyTorch's
 * `MSELoss(reduction='mean')`. Prediction and target may have any per-sample shape (vectors,
 * images) but must have the same one. The autoencoder's reconstruction loss; for a denoising
 * autoencoder the target is the clean image.
 */
export const mseLoss = defineNode({
  type: 'loss.mse',
  version: 1,
  category: 'loss',
  label: 'MSE loss',
  description: 'Mean squared difference between a prediction and its target.',
  inputs: {
    prediction: tensor({ description: 'What the model produced, e.g. a reconstruction.' }),
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
        // [batch, ...shape] → [] : the mean runs over the batch and every element together.
        return { loss: tf.mean(tf.squaredDifference(prediction, target)) }
      },
    }
  },
})
