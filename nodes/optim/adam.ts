import { defineNode, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss } from '../../graph-core/ports'
import { commonOptimizerParams, decayedLearningRate } from './optimizerParams'

/** Adam (Kingma & Ba 2015) with TF.js's implementation; β₁ 0.5 is the DCGAN choice. */
export const adam = defineNode({
  type: 'optim.adam',
  version: 1,
  category: 'optim',
  label: 'Adam',
  description: 'Minimises a loss with Adam: adaptive steps from running gradient moments.',
  inputs: { loss: loss() },
  outputs: {},
  params: {
    learningRate: param.number({
      default: 1e-3,
      min: 1e-6,
      max: 1,
      isLogScale: true,
      label: 'learning rate',
      help: 'Step size. Lower it if the loss jumps or becomes NaN.',
    }),
    beta1: param.number({
      default: 0.9,
      min: 0,
      max: 0.999,
      step: 0.01,
      label: 'β₁',
      help: 'Momentum of the gradient mean; GANs often use 0.5.',
    }),
    beta2: param.number({
      default: 0.999,
      min: 0,
      max: 0.99999,
      step: 0.001,
      label: 'β₂',
      help: 'Momentum of the squared gradient.',
    }),
    ...commonOptimizerParams,
  },
  inferShapes: () => ok({}),
  learningRateAt: decayedLearningRate,
  weightAveragingOf: ({ averaging }) => averaging,
  createOptimizer: (tf, { learningRate, beta1, beta2 }) =>
    tf.train.adam(learningRate, beta1, beta2),
})
