import { defineNode, fail, ok, type ShapeResult } from '../../graph-core/nodeDefinition'
import { loss, tensor, type PortSpec } from '../../graph-core/ports'
import { formatShape, shapeSize, shapesEqual, type Shape } from '../../graph-core/shapes'

type LossOutputs = { loss: PortSpec }

/**
 * Shape inference shared by the losses that compare two tensors element by element (MSE, L1,
 * BCE, cycle): any per-sample shape, the same on both ports; the loss is a scalar ([]). The
 * issue points at `compared` (the model's side), expecting the shape of `reference`.
 */
export function inferElementwiseLossShapes(
  reference: { port: string; shape: Shape },
  compared: { port: string; shape: Shape },
): ShapeResult<LossOutputs> {
  if (shapesEqual(reference.shape, compared.shape)) return ok<LossOutputs>({ loss: [] })
  // The classic slip: a dense decoder's [784] against [28, 28, 1] images.
  const hint =
    shapeSize(reference.shape) === shapeSize(compared.shape)
      ? '; both hold the same number of values, so reshape one of them'
      : ''
  return fail<LossOutputs>({
    port: compared.port,
    message: `${compared.port} must have the same per-sample shape as ${reference.port}${hint}`,
    expected: formatShape(reference.shape),
    actual: formatShape(compared.shape),
  })
}

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
