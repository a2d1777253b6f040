import {
  defineNode,
  fail,
  ok,
  type ShapeIssue,
  type Tensor,
  type Tf,
} from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss, tensor } from '../../graph-core/ports'
import { formatShape, shapesEqual, type Shape } from '../../graph-core/shapes'
import { stableSoftplus } from '../shared/elementwise'

type GanTerm = 'discriminator' | 'generator'
type GanObjective = 'nonSaturating' | 'minimax' | 'leastSquares'

const DISCRIMINATOR_OUTPUT = 'one logit per sample ([] or [1]) or per patch ([h, w, 1])'

/** D gives one value per sample, or a map of them (PatchGAN); anything else is a miswire. */
function logitShapeIssue(port: string, shape: Shape): ShapeIssue | undefined {
  if (shape.length === 0 || shape.at(-1) === 1) return undefined
  return {
    port,
    message: `${port} takes the discriminator's output: ${DISCRIMINATOR_OUTPUT}`,
    expected: '[1]',
    actual: formatShape(shape),
  }
}

/** −mean log σ(x) = mean softplus(−x): BCE of logits x against the label 1. */
function meanMinusLogSigmoid(tf: Tf, logits: Tensor): Tensor {
  return tf.mean(stableSoftplus(tf, tf.neg(logits)))
}

/** −mean log(1 − σ(x)) = mean softplus(x): BCE of logits x against the label 0. */
function meanMinusLogOneMinusSigmoid(tf: Tf, logits: Tensor): Tensor {
  return tf.mean(stableSoftplus(tf, logits))
}

/** ½ mean (x − target)², the least-squares GAN's distance of raw outputs to their label. */
function halfMeanSquaredDistance(tf: Tf, outputs: Tensor, target: number): Tensor {
  return tf.mul(tf.mean(tf.square(tf.sub(outputs, target))), 0.5)
}

/**
 * GAN losses on discriminator outputs, one node per optimizer: the D term and the G term.
 * Mean over the batch (and over patches for a PatchGAN discriminator); `weight` multiplies the
 * whole term.
 *
 * - Non-saturating and minimax (Goodfellow et al., 2014), on logits and computed stably via
 *   log σ(x) = −softplus(−x), log(1 − σ(x)) = −softplus(x):
 *   D: −mean[log σ(D(x))] − mean[log(1 − σ(D(G(z))))] (BCE: real → 1, fake → 0);
 *   G non-saturating: −mean log σ(D(G(z))); G minimax: mean log(1 − σ(D(G(z)))), which
 *   saturates (vanishing gradient) when D confidently rejects the fakes.
 * - Least squares (LSGAN, Mao et al., 2017), on raw outputs with labels 1 and 0:
 *   D: ½ mean (D(x) − 1)² + ½ mean D(G(z))²; G: ½ mean (D(G(z)) − 1)².
 *
 * `realLabel` t < 1 replaces the real label 1 in the D term (one-sided label smoothing,
 * Salimans et al. 2016): BCE −t·log σ(D(x)) − (1 − t)·log(1 − σ(D(x))), or ½ (D(x) − t)².
 * pix2pix (Isola et al., 2017) halves the D term: weight 0.5. The D term needs `realLogits`.
 * Reports `realScore` and `fakeScore`, the mean D(real) and D(fake) as probabilities σ(logit);
 * for least squares, whose outputs are not logits, the mean raw outputs (trained towards 1 and 0).
 */
export const ganLoss = defineNode({
  type: 'loss.gan',
  version: 1,
  category: 'loss',
  label: 'GAN loss',
  description: 'The discriminator’s or the generator’s adversarial loss from D’s outputs.',
  inputs: {
    realLogits: tensor({
      label: 'D(real)',
      description: 'Discriminator outputs on real data; needed for the discriminator term.',
      isOptional: true,
    }),
    fakeLogits: tensor({
      label: 'D(fake)',
      description: 'Discriminator outputs on generated data.',
    }),
  },
  outputs: { loss: loss() },
  params: {
    term: param.choice<GanTerm>({
      default: 'discriminator',
      options: [
        { value: 'discriminator', label: 'Discriminator (D)' },
        { value: 'generator', label: 'Generator (G)' },
      ],
      help:
        'Which player this loss trains: D learns to tell real from fake, G to fool D. A GAN ' +
        'has one node of each, each feeding its own optimizer.',
    }),
    objective: param.choice<GanObjective>({
      default: 'nonSaturating',
      options: [
        { value: 'nonSaturating', label: 'Non-saturating' },
        { value: 'minimax', label: 'Minimax' },
        { value: 'leastSquares', label: 'Least squares (LSGAN)' },
      ],
      help:
        'Non-saturating: G maximises log D(G(z)), the usual choice. Minimax: G minimises ' +
        'log(1 − D(G(z))) as in the original paper; it stalls when D wins. Least squares: ' +
        'squared distances of raw D outputs to 1 and 0, often steadier.',
    }),
    weight: param.number({
      default: 1,
      min: 0,
      max: 100,
      step: 0.05,
      help: 'Multiplies the whole term; pix2pix uses 0.5 on the discriminator loss.',
    }),
    realLabel: param.number({
      default: 1,
      min: 0.5,
      max: 1,
      step: 0.05,
      label: 'real label',
      help:
        'The discriminator term’s target for real data. Below 1 is one-sided label smoothing ' +
        '(0.9 in Salimans et al. 2016): D is never rewarded for certainty about real data, ' +
        'which keeps its gradients for G informative. Fakes stay at 0.',
    }),
  },
  inferShapes(inputs, { term }) {
    // An unconnected optional port has no shape (the contract types every port as present).
    const realLogits = inputs.realLogits
    const { fakeLogits } = inputs
    const issues: ShapeIssue[] = []
    if (realLogits === undefined) {
      if (term === 'discriminator') {
        issues.push({
          port: 'realLogits',
          message:
            'The discriminator term needs D(real): connect the discriminator applied to real data',
          expected: formatShape(fakeLogits),
          actual: 'nothing',
        })
      }
    } else {
      const realIssue = logitShapeIssue('realLogits', realLogits)
      if (realIssue !== undefined) issues.push(realIssue)
    }
    const fakeIssue = logitShapeIssue('fakeLogits', fakeLogits)
    if (fakeIssue !== undefined) issues.push(fakeIssue)
    if (issues.length > 0) return fail(...issues)
    if (realLogits !== undefined && !shapesEqual(realLogits, fakeLogits)) {
      return fail({
        port: 'fakeLogits',
        message: 'D(real) and D(fake) must come from the same discriminator and have one shape',
        expected: formatShape(realLogits),
        actual: formatShape(fakeLogits),
      })
    }
    return ok({ loss: [] })
  },
  build({ tf, params }) {
    const isLeastSquares = params.objective === 'leastSquares'
    // Mean D output as a probability, or raw for least squares. []
    const score = (outputs: Tensor) =>
      isLeastSquares ? tf.mean(outputs) : tf.mean(tf.sigmoid(outputs))

    function discriminatorTerm(real: Tensor, fake: Tensor): Tensor {
      const label = params.realLabel
      if (isLeastSquares) {
        return tf.add(
          halfMeanSquaredDistance(tf, real, label),
          halfMeanSquaredDistance(tf, fake, 0),
        )
      }
      // Minimax and non-saturating GANs train D the same way. BCE of real logits against the
      // label t: −t·log σ(x) − (1 − t)·log(1 − σ(x)).
      const realTerm = tf.add(
        tf.mul(meanMinusLogSigmoid(tf, real), label),
        tf.mul(meanMinusLogOneMinusSigmoid(tf, real), 1 - label),
      )
      return tf.add(realTerm, meanMinusLogOneMinusSigmoid(tf, fake))
    }

    function generatorTerm(fake: Tensor): Tensor {
      switch (params.objective) {
        case 'nonSaturating':
          return meanMinusLogSigmoid(tf, fake)
        case 'minimax':
          return tf.neg(meanMinusLogOneMinusSigmoid(tf, fake))
        case 'leastSquares':
          return halfMeanSquaredDistance(tf, fake, 1)
      }
    }

    return {
      forward(inputs, { report }) {
        const real = inputs.realLogits // absent when unconnected
        const fake = inputs.fakeLogits // [batch, ...] logits
        if (real !== undefined) report('realScore', score(real))
        report('fakeScore', score(fake))
        if (params.term === 'generator') {
          return { loss: tf.mul(generatorTerm(fake), params.weight) }
        }
        if (real === undefined) throw new Error('the discriminator term needs realLogits')
        return { loss: tf.mul(discriminatorTerm(real, fake), params.weight) }
      },
    }
  },
})
