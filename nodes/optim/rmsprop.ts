import { defineNode, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss } from '../../graph-core/ports'
import { commonOptimizerParams, decayedLearningRate } from './optimizerParams'

/** RMSProp (Hinton's lecture 6e), TF.js's implementation. */
export const rmsprop = defineNode({
  type: 'optim.rmsprop',
  version: 1,
  category: 'optim',
  label: 'RMSProp',
  description: 'Minimises a loss with steps scaled by a running average of squared gradients.',
  inputs: { loss: loss() },
  outputs: {},
  params: {
    learningRate: param.number({
      default: 1e-3,
      min: 1e-6,
      max: 1,
      isLogScale: true,
      label: 'learning rate',
      help: 'Step size.',
    }),
    decay: param.number({
      default: 0.9,
      min: 0,
      max: 0.999,
      step: 0.01,
      help: 'How slowly the squared-gradient average forgets.',
    }),
    momentum: param.number({
      default: 0,
      min: 0,
      max: 0.999,
      step: 0.01,
      help: 'Momentum on top of the scaled step.',
    }),
    ...commonOptimizerParams,
  },
  inferShapes: () => ok({}),
  learningRateAt: decayedLearningRate,
  weightAveragingOf: ({ averaging }) => averaging,
  createOptimizer: (tf, { learningRate, decay, momentum }) =>
    tf.train.rmsprop(learningRate, decay, momentum),
})
