import type { Initializer, Tensor, Tf } from './nodeDefinition'
import type { Shape } from './shapes'

/**
 * Fan-in and fan-out as tfjs-layers and PyTorch compute them: a 2-D weight [in, out]; a conv
 * kernel [kh, kw, in, out] multiplies both by the receptive field; a vector counts as its length.
 */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 }
  if (shape.length === 1) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 }
  const receptive = shape.slice(0, -2).reduce((product, size) => product * size, 1)
  return {
    fanIn: (shape.at(-2) ?? 1) * receptive,
    fanOut: (shape.at(-1) ?? 1) * receptive,
  }
}

/** A new tensor with the initial values; the caller owns it. Same seed, same values. */
export function initialValue(tf: Tf, shape: Shape, init: Initializer, seed: number): Tensor {
  const dims = [...shape]
  if (init === 'zeros') return tf.zeros(dims)
  if (init === 'ones') return tf.ones(dims)
  if (typeof init === 'object') {
    return tf.randomNormal(dims, init.normal.mean, init.normal.stddev, 'float32', seed)
  }
  const { fanIn, fanOut } = fans(shape)
  switch (init) {
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut))
      return tf.randomUniform(dims, -limit, limit, 'float32', seed)
    }
    case 'glorotNormal':
      return tf.truncatedNormal(dims, 0, Math.sqrt(2 / (fanIn + fanOut)), 'float32', seed)
    case 'heNormal':
      return tf.truncatedNormal(dims, 0, Math.sqrt(2 / fanIn), 'float32', seed)
  }
}

/**
 * A 31-bit seed from a base seed and names (FNV-1a), so every variable and every sampling
 * point gets its own reproducible stream: `seedFor(docSeed, nodeId, 'kernel')`.
 */
export function seedFor(base: number, ...names: readonly (string | number)[]): number {
  let hash = 0x811c9dc5 ^ (base | 0)
  for (const name of names) {
    const text = `/${String(name)}`
    for (let index = 0; index < text.length; index++) {
      hash ^= text.charCodeAt(index)
      hash = Math.imul(hash, 0x01000193)
    }
  }
  return (hash >>> 0) % 0x7fffffff
}
