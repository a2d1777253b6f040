import type { ShapeIssue, Tensor } from '../../graph-core/nodeDefinition'
import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, loss, tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'
import { oneHotFloat, softmaxCrossEntropy } from '../shared/tensorMath'
import { checkClassCount } from '../shared/semanticChecks'

/**
 * Center loss (Wen, Zhang, Li & Qiao, "A Discriminative Feature Learning Approach for Deep
 * Face Recognition", ECCV 2016): softmax cross-entropy plus λ times the pull of each embedding
 * x_i towards the centre c_{y_i} of its class,
 *   L = L_S + λ·L_C,   L_C = ½ Σ_i ‖x_i − c_{y_i}‖²,
 * where L_S is the cross-entropy of the optional `logits` (left out when they are not
 * connected). Both terms use the same reduction: `sum` over the batch, as in the paper, or
 * `mean`, so λ weighs the same per-sample terms either way. Embeddings are used as they are
 * (the paper does not normalise them).
 *
 * The centres [classes, d] start at zero and are not trained by the optimizer: after each
 * optimizer step they move by the paper's rule, with n_j the samples of class j in the batch,
 *   Δc_j = Σ_{y_i = j} (c_j − x_i) / (1 + n_j),   c_j ← c_j − α·Δc_j,
 * so classes absent from the batch stay put. Labels outside [0, classes) are left out of the
 * centre term and of the update. Only training passes move the centres.
 */
export const centerLoss = defineNode({
  type: 'loss.center',
  version: 1,
  category: 'loss',
  label: 'Center loss',
  description:
    'Softmax loss plus a pull of every embedding towards the running centre of its class.',
  inputs: {
    embeddings: tensor({ rank: 1, description: 'The features pulled towards class centres.' }),
    labels: labels({ description: 'The class of each sample; it chooses the centre.' }),
    logits: tensor({
      rank: 1,
      isOptional: true,
      description: 'Class scores for the softmax term; without them only the centre pull is left.',
    }),
  },
  outputs: { loss: loss() },
  params: {
    classes: param.int({
      default: 10,
      min: 2,
      max: 100_000,
      help: 'Number of classes, hence of centres; must match the logits.',
    }),
    lambda: param.number({
      default: 0.01,
      min: 0,
      max: 1,
      step: 0.001,
      isLogScale: true,
      label: 'λ',
      help: 'Weight of the centre pull against the softmax term. The paper sweeps 0.001–0.1 on MNIST and uses 0.003 on faces; 0 is a plain softmax.',
    }),
    alpha: param.number({
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      label: 'α',
      help: 'How far the centres move towards their batch features each step (the paper uses 0.5); 0 freezes them.',
    }),
    reduction: param.choice<'mean' | 'sum'>({
      default: 'mean',
      options: [
        { value: 'mean', label: 'Mean over the batch' },
        { value: 'sum', label: 'Sum over the batch (the paper)' },
      ],
      help: 'How per-sample terms become one number. A sum grows with the batch size, so the learning rate must shrink with it.',
    }),
  },
  check: checkClassCount('Center loss'),
  inferShapes(inputs, { classes }) {
    const logits = optional(inputs.logits)
    const issues: ShapeIssue[] = []
    if (inputs.embeddings.length !== 1 || (inputs.embeddings[0] ?? 0) < 1) {
      issues.push({
        port: 'embeddings',
        message:
          'Center loss pulls one feature vector per sample; flatten or add an embedding head first',
        expected: '[d]',
        actual: formatShape(inputs.embeddings),
      })
    }
    if (inputs.labels.length !== 0) {
      issues.push({
        port: 'labels',
        message: 'labels must be one class id per sample',
        expected: '[]',
        actual: formatShape(inputs.labels),
      })
    }
    if (logits !== undefined && (logits.length !== 1 || logits[0] !== classes)) {
      issues.push({
        port: 'logits',
        message:
          logits.length === 1
            ? `logits score ${String(logits[0])} classes but the node has classes = ${classes}; make them equal`
            : 'logits must be one score per class for each sample; add a classifier head',
        expected: `[${classes}]`,
        actual: formatShape(logits),
      })
    }
    return issues.length === 0 ? ok({ loss: [] }) : fail(...issues)
  },
  cost(inputs, { classes }) {
    const features = inputs.embeddings[0] ?? 0
    // Centre lookup as one-hot × centres, then difference, square and sum; the softmax term
    // costs a few operations per class. The centres are not trainable parameters.
    const softmax = optional(inputs.logits) === undefined ? 0 : 5 * classes
    return { parameters: 0, flops: 2 * classes * features + 3 * features + softmax }
  },
  build({ tf, params, inputShapes, variable }) {
    const { classes, lambda, alpha, reduction } = params
    const centres = variable('centres', [classes, inputShapes.embeddings[0] ?? 0], 'zeros', {
      isTrainable: false,
    })
    // Copies of the last training batch, kept out of forward's tidy for the centre update.
    let pending: Tensor[] = []

    /** The paper's update from a batch's features x [batch, d] and int labels [batch]. */
    const moveCentres = (x: Tensor, classIds: Tensor) => {
      tf.tidy(() => {
        const members = oneHotFloat(tf, classIds, classes) // [batch, classes]
        const counts = tf.expandDims(tf.sum(members, 0), 1) // n_j, [classes, 1]
        const sums = tf.matMul(tf.transpose(members), x) // Σ_{y_i = j} x_i, [classes, d]
        const delta = tf.div(tf.sub(tf.mul(counts, centres), sums), tf.add(counts, 1))
        centres.assign(tf.sub(centres, tf.mul(delta, alpha)))
      })
    }

    return {
      forward({ embeddings, labels: ids, logits: connectedLogits }, context) {
        const logits = optional(connectedLogits)
        const batch = embeddings.shape[0]
        for (const [port, input] of [
          ['labels', ids],
          ['logits', logits],
        ] as const) {
          if (input !== undefined && input.shape[0] !== batch) {
            throw new Error(
              `embeddings has a batch of ${batch} but ${port} has ${String(input.shape[0])}`,
            )
          }
        }
        const classIds = tf.cast(ids, 'int32') // [batch]
        const members = oneHotFloat(tf, classIds, classes) // [batch, classes]
        // Rows of out-of-range labels are empty: their centre and their weight are 0.
        const ownCentres = tf.matMul(members, centres) // c_{y_i}, [batch, d]
        const isKnown = tf.sum(members, 1) // [batch]
        const pulls = tf.mul(
          tf.mul(tf.sum(tf.square(tf.sub(embeddings, ownCentres)), 1), 0.5),
          isKnown,
        ) // ½‖x_i − c_{y_i}‖², [batch]
        const centreTerm = reduction === 'sum' ? tf.sum(pulls) : tf.mean(pulls)
        context.report('centerTerm', centreTerm)
        let value = tf.mul(centreTerm, lambda)
        if (logits !== undefined) {
          const meanEntropy = softmaxCrossEntropy(tf, logits, classIds)
          const entropy = reduction === 'sum' ? tf.mul(meanEntropy, batch) : meanEntropy
          context.report('crossEntropy', entropy)
          value = tf.add(entropy, value)
        }

        if (context.split === 'train' && alpha > 0) {
          // An earlier forward whose update never ran (a pass without an optimizer step).
          tf.dispose(pending)
          const kept = [tf.keep(tf.clone(embeddings)), tf.keep(tf.clone(classIds))] as const
          pending = [...kept]
          context.afterStep(() => {
            const [x, y] = kept
            if (x.isDisposed || y.isDisposed) return
            try {
              moveCentres(x, y)
            } finally {
              tf.dispose([x, y])
              pending = []
            }
          })
        }
        return { loss: value }
      },
    }
  },
})

/**
 * An optional port's shape or tensor. The contract types every input as present, but an
 * unconnected optional input is simply absent.
 */
function optional<T>(value: T): T | undefined {
  return value
}
