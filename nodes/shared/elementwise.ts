/**
 * Element-wise maths shared by the losses that compare two tensors (MSE, L1, BCE, GAN, cycle):
 * their shape rule and the numerically careful pieces with PyTorch's gradients.
 */
import { fail, ok, type ShapeResult, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import type { PortSpec } from '../../graph-core/ports'
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
 * |a − b| element-wise as relu(a − b) + relu(b − a): the same value, and the gradient sign(a − b)
 * with 0 at a tie as in PyTorch, where TF.js's own `abs` gives −1.
 */
export function absoluteDifference(tf: Tf, a: Tensor, b: Tensor): Tensor {
  return tf.add(tf.relu(tf.sub(a, b)), tf.relu(tf.sub(b, a)))
}

/**
 * softplus(x) = log(1 + eˣ), computed as max(x, 0) + log(1 + e^(−|x|)): e^(−|x|) ≤ 1 never
 * overflows and log1p keeps the small tail, so ±100 and beyond stay finite and exact. The
 * gradient is σ(x) everywhere, set explicitly: through the tape it would hang at x = 0 on the
 * subgradients TF.js picks for relu (0) and |x| (−1), which only happen to add up to ½.
 */
export function stableSoftplus(tf: Tf, x: Tensor): Tensor {
  const op = tf.customGrad((...args) => {
    // customGrad passes the inputs, then a function that keeps tensors for the gradient.
    const [input, save] = args as [Tensor, (tensors: Tensor[]) => void]
    save([input])
    return {
      value: tf.add(tf.relu(input), tf.log1p(tf.exp(tf.neg(tf.abs(input))))),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [kept] = saved
        if (kept === undefined) throw new Error('stableSoftplus lost its saved input')
        return tf.mul(dy, tf.sigmoid(kept))
      },
    }
  })
  return op(x)
}

/**
 * Element-wise BCE on logits: softplus(x) − x·t = max(x, 0) − x·t + log(1 + e^(−|x|)), as
 * PyTorch's `BCEWithLogitsLoss`. Gradients σ(x) − t for x and −x for t.
 */
export function logitCrossEntropy(tf: Tf, logits: Tensor, target: Tensor): Tensor {
  return tf.sub(stableSoftplus(tf, logits), tf.mul(logits, target))
}
