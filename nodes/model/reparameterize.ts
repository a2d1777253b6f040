import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, shapesEqual } from '../../graph-core/shapes'

/**
 * The VAE reparameterization trick (Kingma & Welling, 2014): z = μ + σ·ε with σ = exp(½ log σ²)
 * and ε ~ N(0, I), so that the sample is differentiable in μ and log σ². ε is drawn from the
 * pass's seed, so a run is reproducible. On held-out data z = μ by default, which makes
 * reconstructions and latent views deterministic. μ and log σ² are vectors [k] of one size.
 */
export const reparameterize = defineNode({
  type: 'model.reparameterize',
  version: 1,
  category: 'model',
  label: 'Reparameterize',
  description: 'Samples a latent vector z = μ + σ·ε from the encoder’s mean and log variance.',
  inputs: {
    mean: tensor({ rank: 1, description: 'μ from the encoder, a vector [k].' }),
    logVariance: tensor({
      rank: 1,
      label: 'log variance',
      description: 'log σ² from the encoder, a vector [k].',
    }),
  },
  outputs: { z: tensor({ description: 'The sampled latent vector [k].' }) },
  params: {
    isDeterministicOnHeldOut: param.boolean({
      default: true,
      label: 'mean on held-out data',
      help:
        'On held-out data (views, evaluation) output z = μ instead of a sample, so ' +
        'reconstructions do not flicker. Training always samples.',
    }),
  },
  check: ({ consumersOfSource }) =>
    consumersOfSource('logVariance').includes('loss.kl')
      ? []
      : [
          {
            code: 'VAE_WITHOUT_KL',
            severity: 'warning',
            port: 'logVariance',
            message:
              'Nothing pulls the latent distribution towards N(0, I): add a KL loss on the same mean and log-variance, or sampling the latent space will not give images.',
          },
        ],
  inferShapes({ mean, logVariance }) {
    const issues: ShapeIssue[] = []
    if (mean.length !== 1) {
      issues.push({
        port: 'mean',
        message: 'Reparameterize takes a latent vector per sample',
        expected: '[k]',
        actual: formatShape(mean),
      })
    }
    if (logVariance.length !== 1) {
      issues.push({
        port: 'logVariance',
        message: 'Reparameterize takes a latent vector per sample',
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
    return ok({ z: mean })
  },
  build({ tf, params }) {
    return {
      forward({ mean, logVariance }, { split, seed }) {
        if (split === 'heldOut' && params.isDeterministicOnHeldOut) {
          // A new tensor, not the input itself: the caller owns and disposes what it returns.
          return { z: tf.clone(mean) }
        }
        const epsilon = tf.randomNormal(mean.shape, 0, 1, 'float32', seed) // [batch, k]
        const deviation = tf.exp(tf.mul(logVariance, 0.5)) // σ, [batch, k]
        return { z: tf.add(mean, tf.mul(deviation, epsilon)) }
      },
    }
  },
})
