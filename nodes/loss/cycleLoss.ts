import { defineNode } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss, tensor } from '../../graph-core/ports'
import { absoluteDifference, inferElementwiseLossShapes } from '../shared/elementwise'

/**
 * CycleGAN cycle-consistency loss (Zhu et al., 2017): λ · mean |original − reconstructed|, where
 * reconstructed = F(G(original)) went to the other domain and back. One node per direction
 * (A → B → A and B → A → B), each with λ = 10 as in the paper.
 *
 * The identity loss uses the same node: wire the real image of domain B as `original` and G(B)
 * as `reconstructed`, with weight 5 (0.5 × λ, the reference implementation's default), so that
 * a generator leaves images already in its target domain unchanged.
 */
export const cycleLoss = defineNode({
  type: 'loss.cycle',
  version: 1,
  category: 'loss',
  label: 'Cycle loss',
  description: 'Weighted L1 distance between an image and its round trip through both generators.',
  inputs: {
    original: tensor({ description: 'The real image of one domain.' }),
    reconstructed: tensor({
      description: 'The same image after both generators (or one, for the identity loss).',
    }),
  },
  outputs: { loss: loss() },
  params: {
    weight: param.number({
      default: 10,
      min: 0,
      max: 100,
      step: 0.5,
      label: 'λ',
      help:
        'Multiplies the mean absolute error: 10 for cycle consistency as in CycleGAN; 5 ' +
        '(0.5 × 10) when this node computes the identity loss.',
    }),
  },
  inferShapes({ original, reconstructed }) {
    return inferElementwiseLossShapes(
      { port: 'original', shape: original },
      { port: 'reconstructed', shape: reconstructed },
    )
  },
  build({ tf, params }) {
    return {
      forward({ original, reconstructed }) {
        const meanAbsolute = tf.mean(absoluteDifference(tf, original, reconstructed)) // []
        return { loss: tf.mul(meanAbsolute, params.weight) }
      },
    }
  },
})
