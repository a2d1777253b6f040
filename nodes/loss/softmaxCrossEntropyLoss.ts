import type { ShapeIssue } from '../../graph-core/nodeDefinition'
import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { labels, loss, tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'
import { softmaxCrossEntropy } from '../shared/tensorMath'

/**
 * Softmax cross-entropy: the mean over the batch of −log softmax(z)_y for logits z and the true
 * class y, computed through log-softmax (log-sum-exp with the row maximum subtracted), so logits
 * of ±64 and beyond stay finite — PyTorch's `nn.CrossEntropyLoss` with `reduction='mean'`.
 * The seminar's baseline for metric learning: train a classifier, then cut its last layer.
 *
 * Constraint: labels are class ids in [0, classes). An id outside that range has an empty
 * one-hot row: it adds 0 to the loss (still counted in the mean) and is never correct.
 * Reports `accuracy`: the fraction of samples whose largest logit is the true class.
 */
export const softmaxCrossEntropyLoss = defineNode({
  type: 'loss.softmaxCE',
  version: 1,
  category: 'loss',
  label: 'Softmax cross-entropy',
  description: 'Classification loss: how unlikely the softmax of the logits finds the true class.',
  inputs: {
    logits: tensor({ rank: 1, description: 'One unnormalised score per class for each sample.' }),
    labels: labels({ description: 'The true class of each sample.' }),
  },
  outputs: { loss: loss() },
  params: {},
  inferShapes({ logits, labels: labelShape }) {
    const issues: ShapeIssue[] = []
    if (logits.length !== 1) {
      issues.push({
        port: 'logits',
        message: 'Cross-entropy takes one score per class for each sample; add a classifier head',
        expected: '[classes]',
        actual: formatShape(logits),
      })
    } else if ((logits[0] ?? 0) < 2) {
      issues.push({
        port: 'logits',
        message:
          logits[0] === 0
            ? 'Cross-entropy got no class scores (an empty port, such as a discriminator with classes 0); it needs at least 2'
            : 'Cross-entropy needs at least 2 classes; with one, the loss is always 0',
        expected: '[classes ≥ 2]',
        actual: formatShape(logits),
      })
    }
    if (labelShape.length !== 0) {
      issues.push({
        port: 'labels',
        message: 'labels must be one class id per sample',
        expected: '[]',
        actual: formatShape(labelShape),
      })
    }
    return issues.length === 0 ? ok({ loss: [] }) : fail(...issues)
  },
  build({ tf }) {
    return {
      forward({ logits, labels: ids }, context) {
        if (logits.shape[0] !== ids.shape[0]) {
          throw new Error(
            `logits has a batch of ${String(logits.shape[0])} but labels has ${String(ids.shape[0])}`,
          )
        }
        const classIds = tf.cast(ids, 'int32') // [batch]
        const isCorrect = tf.equal(tf.argMax(logits, 1), classIds) // [batch]
        context.report('accuracy', tf.mean(tf.cast(isCorrect, 'float32')))
        return { loss: softmaxCrossEntropy(tf, logits, classIds) }
      },
    }
  },
})
