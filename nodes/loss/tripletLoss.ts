import type { ShapeIssue, Tensor, Tf } from '../../graph-core/nodeDefinition'
import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, loss, tensor } from '../../graph-core/ports'
import type { Shape } from '../../graph-core/shapes'
import { formatShape } from '../../graph-core/shapes'
import { l2Normalize, oneHotFloat, pairwiseDistances, withoutGradient } from '../shared/tensorMath'
import { checkPositivePairs } from '../shared/semanticChecks'

type Mining = 'all' | 'semiHard' | 'hard' | 'batchHard'
type Reduction = 'mean' | 'meanNonZero' | 'sum'

/** Distances between unit vectors are at most 2: adding this rules a pair out of a minimum. */
const FAR = 10

/**
 * Triplet loss (Schroff et al., FaceNet, 2015) on L2-normalised embeddings with Euclidean,
 * not squared, distances, as in the seminar: for an anchor a, a positive p (same label, p ≠ a)
 * and a negative n (other label), ℓ(a, p, n) = max(d(a,p) − d(a,n) + margin, 0).
 *
 * Triplets are formed inside the batch (dense [batch, batch, batch] masks; batches up to ~256)
 * and mined, with pytorch-metric-learning's boundaries so the kinds partition every triplet:
 * easy d(a,n) > d(a,p) + margin, semi-hard d(a,p) < d(a,n) ≤ d(a,p) + margin, hard
 * d(a,n) ≤ d(a,p). `batchHard` (Hermans et al., "In Defense of the Triplet Loss", 2017) keeps
 * per anchor its farthest positive and nearest negative; `curriculum` mines semi-hard triplets
 * until `curriculumStep`, then hard ones. Mining is not differentiated: the masks are computed
 * off the gradient tape. With no mined triplet the loss is 0 with a 0 gradient.
 *
 * Reports per batch the fractions of easy, semi-hard and hard triplets among all valid ones and
 * the number of mined triplets. Constraint: a batch needs two samples of some identity and one
 * of another (P identities × K images sampling), else nothing is mined.
 */
export const tripletLoss = defineNode({
  type: 'loss.triplet',
  version: 1,
  category: 'loss',
  label: 'Triplet loss',
  description:
    'Pulls embeddings of the same identity together and pushes other identities a margin further away.',
  inputs: {
    embeddings: tensor({
      rank: 1,
      description: 'One embedding vector per sample; L2-normalised inside.',
    }),
    labels: labels({
      description: 'Identity of each sample; the batch needs several images per identity.',
    }),
  },
  outputs: { loss: loss() },
  params: {
    margin: param.number({
      default: 0.5,
      min: 0,
      max: 2,
      step: 0.05,
      help: 'How much farther than the positive every negative must be. Distances between unit vectors lie in [0, 2]; the seminar uses 0.5.',
    }),
    mining: param.choice<Mining | 'curriculum'>({
      default: 'semiHard',
      options: [
        { value: 'all', label: 'All triplets' },
        { value: 'semiHard', label: 'Semi-hard' },
        { value: 'hard', label: 'Hard' },
        { value: 'batchHard', label: 'Batch hard' },
        { value: 'curriculum', label: 'Curriculum (semi-hard, then hard)' },
      ],
      help: 'Which triplets of the batch the loss uses. Semi-hard is the safe start; hard triplets alone early in training can collapse the embeddings.',
    }),
    curriculumStep: param.int({
      default: 1000,
      min: 0,
      label: 'curriculum step',
      help: 'With curriculum mining: the training step from which hard triplets replace semi-hard ones.',
    }),
    reduction: param.choice<Reduction>({
      default: 'mean',
      options: [
        { value: 'mean', label: 'Mean over mined triplets' },
        { value: 'meanNonZero', label: 'Mean over triplets with a positive loss' },
        { value: 'sum', label: 'Sum (the seminar formula)' },
      ],
      help: 'How the per-triplet losses become one number. A sum grows with the cube of the batch size, so the learning rate must shrink with it.',
    }),
  },
  check: checkPositivePairs('Triplet loss'),
  inferShapes({ embeddings, labels: labelShape }) {
    const issues = [...embeddingIssues('Triplet loss', embeddings), ...labelIssues(labelShape)]
    return issues.length === 0 ? ok({ loss: [] }) : fail(...issues)
  },
  build({ tf, params }) {
    const { margin } = params
    return {
      forward({ embeddings, labels: ids }, context) {
        assertSameBatch(embeddings, ids)
        const mining: Mining =
          params.mining === 'curriculum'
            ? context.step < params.curriculumStep
              ? 'semiHard'
              : 'hard'
            : params.mining
        const distances = pairwiseDistances(tf, l2Normalize(tf, embeddings)) // [n, n]
        const { isPositive, isNegative } = pairMasks(tf, ids) // [n, n], from labels only
        // [a, p, n]: label(a) = label(p), a ≠ p, label(n) ≠ label(a).
        const isValid = tf.mul(tf.expandDims(isPositive, 2), tf.expandDims(isNegative, 1))
        const gaps = tripletGaps(tf, distances) // d(a,n) − d(a,p), [a, p, n]
        const losses = tf.relu(tf.sub(margin, gaps)) // [a, p, n]

        // Masks come from labels or from comparisons run off the tape: no comparison op lies
        // between the embeddings and the loss, so tf.grad works and mining gets no gradient.
        const isMined =
          mining === 'all'
            ? isValid
            : withoutGradient(tf, distances, (detached) =>
                mine(tf, detached, { isPositive, isNegative, isValid }, mining, margin),
              )
        const minedCount = tf.sum(isMined)
        const total = tf.sum(tf.mul(isMined, losses))
        let value: Tensor
        switch (params.reduction) {
          case 'sum':
            value = total
            break
          case 'mean':
            value = tf.div(total, tf.maximum(minedCount, 1))
            break
          case 'meanNonZero': {
            const activeCount = withoutGradient(tf, distances, (detached) =>
              tf.sum(
                tf.mul(isMined, tf.cast(tf.less(tripletGaps(tf, detached), margin), 'float32')),
              ),
            )
            value = tf.div(total, tf.maximum(activeCount, 1))
            break
          }
        }

        // Kinds among all valid triplets. These comparisons feed only the reports, never the
        // loss, so the tape leaves them out of the backward pass; tidy frees their
        // [n, n, n] intermediates at once rather than at the end of the pass.
        const validCount = tf.maximum(tf.sum(isValid), 1)
        const fractionWhere = (condition: () => Tensor) =>
          tf.tidy(() =>
            tf.div(tf.sum(tf.mul(isValid, tf.cast(condition(), 'float32'))), validCount),
          )
        context.report(
          'easyFraction',
          fractionWhere(() => tf.greater(gaps, margin)),
        )
        context.report(
          'semiHardFraction',
          fractionWhere(() => tf.logicalAnd(tf.greater(gaps, 0), tf.lessEqual(gaps, margin))),
        )
        context.report(
          'hardFraction',
          fractionWhere(() => tf.lessEqual(gaps, 0)),
        )
        context.report('minedTriplets', minedCount)
        return { loss: value }
      },
    }
  },
})

/** d(a,n) − d(a,p) for every (a, p, n): [n, n] → [a, p, n]. */
function tripletGaps(tf: Tf, distances: Tensor): Tensor {
  return tf.sub(tf.expandDims(distances, 1), tf.expandDims(distances, 2))
}

interface PairMasks {
  /** 1 where label(a) = label(p) and a ≠ p, [n, n]. */
  isPositive: Tensor
  /** 1 where label(a) ≠ label(n), [n, n]. */
  isNegative: Tensor
  /** 1 for valid (a, p, n), [n, n, n]. */
  isValid: Tensor
}

function pairMasks(tf: Tf, ids: Tensor): Omit<PairMasks, 'isValid'> {
  const n = ids.shape[0]
  const isSame = tf.cast(tf.equal(tf.expandDims(ids, 1), tf.expandDims(ids, 0)), 'float32')
  return { isPositive: tf.sub(isSame, tf.eye(n)), isNegative: tf.sub(1, isSame) }
}

/** The 0/1 mask [a, p, n] of the triplets a mining rule keeps, from detached distances. */
function mine(
  tf: Tf,
  distances: Tensor,
  { isPositive, isNegative, isValid }: PairMasks,
  mining: Exclude<Mining, 'all'>,
  margin: number,
): Tensor {
  const gaps = tripletGaps(tf, distances)
  const where = (condition: Tensor) => tf.mul(isValid, tf.cast(condition, 'float32'))
  switch (mining) {
    case 'semiHard':
      return where(tf.logicalAnd(tf.greater(gaps, 0), tf.lessEqual(gaps, margin)))
    case 'hard':
      return where(tf.lessEqual(gaps, 0))
    case 'batchHard': {
      const n = distances.shape[0]
      // Non-positives become −1 (below every distance), non-negatives d + FAR.
      const positiveDistances = tf.sub(tf.mul(distances, isPositive), tf.sub(1, isPositive))
      const negativeDistances = tf.add(distances, tf.mul(tf.sub(1, isNegative), FAR))
      const hasBoth = tf.mul(tf.max(isPositive, 1, true), tf.max(isNegative, 1, true)) // [n, 1]
      const hardestPositive = tf.mul(oneHotFloat(tf, tf.argMax(positiveDistances, 1), n), hasBoth) // [a, p]
      const nearestNegative = oneHotFloat(tf, tf.argMin(negativeDistances, 1), n) // [a, n]
      return tf.mul(tf.expandDims(hardestPositive, 2), tf.expandDims(nearestNegative, 1))
    }
  }
}

function embeddingIssues(node: string, shape: Shape): ShapeIssue[] {
  if (shape.length === 1 && (shape[0] ?? 0) > 0) return []
  return [
    {
      port: 'embeddings',
      message: `${node} compares one embedding vector per sample; flatten or add an embedding head first`,
      expected: '[d]',
      actual: formatShape(shape),
    },
  ]
}

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

function assertSameBatch(embeddings: Tensor, ids: Tensor): void {
  const [batch] = embeddings.shape
  const [labelBatch] = ids.shape
  if (batch !== labelBatch) {
    throw new Error(
      `embeddings has a batch of ${String(batch)} but labels has ${String(labelBatch)}`,
    )
  }
}
