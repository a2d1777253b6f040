import type { Tensor, Tf } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'

export const ACTIVATIONS = ['linear', 'relu', 'leakyRelu', 'tanh', 'sigmoid', 'elu'] as const

export type Activation = (typeof ACTIVATIONS)[number]

/** The `activation` param every block shares. */
export const activationParam = (fallback: Activation, help = 'Non-linearity after each layer.') =>
  param.choice({ default: fallback, options: ACTIVATIONS, help })

/** Applies an activation; leaky ReLU uses slope 0.2 as DCGAN does. */
export function activate(tf: Tf, x: Tensor, activation: Activation): Tensor {
  switch (activation) {
    case 'linear':
      return x
    case 'relu':
      return tf.relu(x)
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.2)
    case 'tanh':
      return tf.tanh(x)
    case 'sigmoid':
      return tf.sigmoid(x)
    case 'elu':
      return tf.elu(x)
  }
}
