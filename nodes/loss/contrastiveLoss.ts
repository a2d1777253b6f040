import type { ShapeIssue, Tensor } from '../../graph-core/nodeDefinition'
import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, loss, tensor } from '../../graph-core/ports'
import type { Shape } from '../../graph-core/shapes'
import { formatShape } from '../../graph-core/shapes'
import { l2Normalize, pairwiseDistances } from '../shared/tensorMath'
import { checkPositivePairs } from '../shared/semanticChecks'

/**
 * Contrastive loss (Hadsell, Chopra & LeCun, "Dimensionality Reduction by Learning an
 * Invariant Mapping", 2006) over every pair i < j of the batch, on L2-normalised embeddings
 * with Euclidean distance d: a positive pair (same label) costs d², a negative pair
 * max(margin − d, 0)²; the loss is the mean over all n(n−1)/2 pairs (0 for a batch of one).
 *
 * The default margin is 1, pytorch-metric-learning's negative margin on normalised embeddings:
 * negatives are pushed until they are at least 60° apart on the sphere (distances lie in
 * [0, 2]). Hadsell's ½ factors are left out, as in pytorch-metric-learning.
 *
 * Reports the mean distance of positive and of negative pairs (0 when there are none).
 */
export const contrastiveLoss = defineNode({
  type: 'loss.contrastive',
  version: 1,
  category: 'loss',
  label: 'Contrastive loss',
  description:
    'Pulls pairs of the same identity together and pushes other pairs at least a margin apart.',
  inputs: {
    embeddings: tensor({
      rank: 1,
      description: 'One embedding vector per sample; L2-normalised inside.',
    }),
    labels: labels({ description: 'Identity of each sample; pairs with equal labels attract.' }),
  },
  outputs: { loss: loss() },
  params: {
    margin: param.number({
      default: 1,
      min: 0,
      max: 2,
      step: 0.05,
      help: 'Negative pairs closer than this are pushed apart. Distances between unit vectors lie in [0, 2]; 1 is 60° on the sphere.',
    }),
  },
  check: checkPositivePairs('Contrastive loss'),
  inferShapes({ embeddings, labels: labelShape }) {
    const issues: ShapeIssue[] = []
    if (embeddings.length !== 1 || (embeddings[0] ?? 0) < 1) {
      issues.push({
        port: 'embeddings',
        message:
          'Contrastive loss compares one embedding vector per sample; flatten or add an embedding head first',
        expected: '[d]',
        actual: formatShape(embeddings),
      })
    }
    issues.push(...labelIssues(labelShape))
    return issues.length === 0 ? ok({ loss: [] }) : fail(...issues)
  },
  build({ tf, params }) {
    return {
      forward({ embeddings, labels: ids }, context) {
        const n = embeddings.shape[0]
        if (ids.shape[0] !== n) {
          throw new Error(`embeddings has a batch of ${n} but labels has ${String(ids.shape[0])}`)
        }
        const distances = pairwiseDistances(tf, l2Normalize(tf, embeddings)) // [n, n]
        // Masks from labels only: nothing between the embeddings and the loss is a comparison.
        const isSame = tf.cast(tf.equal(tf.expandDims(ids, 1), tf.expandDims(ids, 0)), 'float32')
        const isPair = tf.sub(tf.linalg.bandPart(tf.ones([n, n]), 0, -1), tf.eye(n)) // i < j
        const isPositive = tf.mul(isPair, isSame) // [n, n]
        const isNegative = tf.mul(isPair, tf.sub(1, isSame)) // [n, n]
        const pull = tf.mul(isPositive, tf.square(distances))
        const push = tf.mul(isNegative, tf.square(tf.relu(tf.sub(params.margin, distances))))
        const pairs = Math.max((n * (n - 1)) / 2, 1)
        const value = tf.div(tf.sum(tf.add(pull, push)), pairs)

        const meanOver = (mask: Tensor) =>
          tf.div(tf.sum(tf.mul(mask, distances)), tf.maximum(tf.sum(mask), 1))
        context.report('positiveDistance', meanOver(isPositive))
        context.report('negativeDistance', meanOver(isNegative))
        return { loss: value }
      },
    }
  },
})

function labelIssues(shape: Shape): ShapeIssue[] {
  if (shape.length === 0) return []
  return [
    {
      port: 'labels',
      message: 'labels must be one class id per sample',
      expected: '[]',
      actual: formatShape(shape),
    },
  ]
}
