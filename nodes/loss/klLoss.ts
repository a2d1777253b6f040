import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { loss, tensor } from '../../graph-core/ports'
import { formatShape, shapesEqual } from '../../graph-core/shapes'

/**
 * KL divergence of the VAE posterior N(μ, σ²) from the prior N(0, I) (Kingma & Welling, 2014,
 * appendix B): per sample −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²), summed over the k latent dimensions,
 * then averaged over the batch. The encoder outputs log σ² (DESIGN §4), both as vectors [k].
 *
 * Computed as ½ Σ (μ² + (e^v − 1 − v)) with e^v − 1 taken by expm1: the same value, exactly 0 at
 * μ = 0, v = 0, and without the cancellation that loses e^v − 1 − v ≈ v²/2 for small v.
 */
export const klLoss = defineNode({
  type: 'loss.kl',
  version: 1,
  category: 'loss',
  label: 'KL loss',
  description: 'Pulls the encoder’s latent distribution towards a standard normal (VAE).',
  inputs: {
    mean: tensor({ rank: 1, description: 'μ from the encoder, a vector [k].' }),
    logVariance: tensor({
      rank: 1,
      label: 'log variance',
      description: 'log σ² from the encoder, a vector [k].',
    }),
  },
  outputs: { loss: loss() },
  params: {},
  inferShapes({ mean, logVariance }) {
    const issues: ShapeIssue[] = []
    if (mean.length !== 1) {
      issues.push({
        port: 'mean',
        message: 'KL loss takes a latent vector per sample',
        expected: '[k]',
        actual: formatShape(mean),
      })
    }
    if (logVariance.length !== 1) {
      issues.push({
        port: 'logVariance',
        message: 'KL loss takes a latent vector per sample',
        expected: '[k]',
        actual: formatShape(logVariance),
      })
    }
    if (issues.length > 0) return fail(...issues)
    if (!shapesEqual(mean, logVariance)) {
      return fail({
        port: 'logVariance',
        message: 'logVariance must have one entry per latent dimension, like mean',
        expected: formatShape(mean),
        actual: formatShape(logVariance),
      })
    }
    return ok({ loss: [] })
  },
  build({ tf }) {
    return {
      forward({ mean, logVariance }) {
        // e^v − 1 − v ≥ 0 for every v, so every term is non-negative. [batch, k]
        const terms = tf.add(tf.square(mean), tf.sub(tf.expm1(logVariance), logVariance))
        const perSample = tf.mul(tf.sum(terms, 1), 0.5) // [batch]
        return { loss: tf.mean(perSample) }
      },
    }
  },
})
