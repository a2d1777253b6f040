import type { Tensor, Tf } from '../../graph-core/nodeDefinition'

/** Below this squared norm a vector counts as zero (DESIGN §4: safe norms). */
const EPSILON_SQUARED = 1e-12

/**
 * √s with s clipped at ε² below: 0 (value and gradient) where s ≤ ε², else √s with gradient
 * 1/(2√s). A custom gradient because √ has an infinite slope at 0 and masks built from
 * comparisons have no gradient in TF.js.
 */
export function safeSqrt(tf: Tf, squared: Tensor): Tensor {
  const op = tf.customGrad((...args) => {
    // customGrad passes the inputs, then a function that saves tensors for the gradient.
    const [s, save] = args as [Tensor, (tensors: Tensor[]) => void]
    const isPositive = tf.greater(s, EPSILON_SQUARED)
    const root = tf.where(isPositive, tf.sqrt(tf.maximum(s, EPSILON_SQUARED)), tf.zerosLike(s))
    save([root])
    return {
      value: root,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [value] = saved
        if (value === undefined) throw new Error('safeSqrt lost its saved value')
        const isPositive = tf.greater(value, 0)
        return tf.where(
          isPositive,
          tf.div(dy, tf.mul(tf.maximum(value, 1e-6), 2)),
          tf.zerosLike(dy),
        )
      },
    }
  })
  return op(squared)
}

/**
 * Euclidean norm along the last axis, keeping it: [batch, d] → [batch, 1]. Safe at zero: the
 * value is 0 and the gradient is 0, never NaN (DESIGN §4).
 */
export function safeNorm(tf: Tf, x: Tensor): Tensor {
  return safeSqrt(tf, tf.sum(tf.square(x), -1, true))
}

/** x / ‖x‖ along the last axis; a zero vector stays zero with a finite gradient. */
export function l2Normalize(tf: Tf, x: Tensor): Tensor {
  return tf.div(x, tf.maximum(safeNorm(tf, x), Math.sqrt(EPSILON_SQUARED)))
}

/**
 * All pairwise Euclidean (not squared) distances between rows: [n, d] → [n, n]. The diagonal
 * is exactly 0 with a 0 gradient, as are the distances between identical rows.
 */
export function pairwiseDistances(tf: Tf, x: Tensor): Tensor {
  const squaredNorms = tf.sum(tf.square(x), 1, true) // [n, 1]
  const dot = tf.matMul(x, x, false, true) // [n, n]
  // Rounding can make ‖a‖² + ‖b‖² − 2a·b slightly negative; relu clips it to 0.
  return safeSqrt(
    tf,
    tf.relu(tf.sub(tf.add(squaredNorms, tf.transpose(squaredNorms)), tf.mul(dot, 2))),
  )
}

/**
 * Labels [batch] (any numeric dtype) → float32 one-hot [batch, classes]. Always through an
 * int32 one-hot and a cast: TF.js 4.22's WASM kernel ignores `oneHot`'s dtype argument and
 * writes the integer 1 into a float32 tensor, which reads as 1.4e-45 (a mask of zeros).
 */
export function oneHotFloat(tf: Tf, labels: Tensor, classes: number): Tensor {
  return tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classes), 'float32')
}

/**
 * Mean softmax cross-entropy from logits [batch, classes] and int labels [batch], via
 * log-sum-exp with the row maximum subtracted: stable for logits of ±64 and beyond.
 */
export function softmaxCrossEntropy(tf: Tf, logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[1] ?? 0
  const oneHot = tf.oneHot(tf.cast(labels, 'int32'), classes) // [batch, classes]
  const logProbabilities = tf.logSoftmax(logits) // stable: subtracts the row max
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbabilities), 1)))
}

/**
 * `compute(x)` evaluated off the gradient tape: its value, with a zero gradient for `x`. TF.js
 * has no gradient for comparisons (greater, equal), and an op of that kind anywhere between a
 * variable and the loss makes `tf.grad` throw, even after a detached copy: the ops must run
 * inside a custom gradient, which the tape does not look into. Use it for masks and for
 * quantities held constant in the backward pass (SphereFace's k).
 */
export function withoutGradient(tf: Tf, x: Tensor, compute: (x: Tensor) => Tensor): Tensor {
  const op = tf.customGrad((...args) => {
    const [input] = args as [Tensor]
    return { value: compute(input), gradFunc: (_dy: Tensor) => tf.zerosLike(input) }
  })
  return op(x)
}
