import { defineNode, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss } from '../../graph-core/ports'
import { commonOptimizerParams, decayedLearningRate } from './optimizerParams'

/** Stochastic gradient descent, with optional (heavy-ball) momentum. */
export const sgd = defineNode({
  type: 'optim.sgd',
  version: 1,
  category: 'optim',
  label: 'SGD',
  description: 'Minimises a loss by stepping against its gradient, optionally with momentum.',
  inputs: { loss: loss() },
  outputs: {},
  params: {
    learningRate: param.number({
      default: 0.01,
      min: 1e-6,
      max: 10,
      isLogScale: true,
      label: 'learning rate',
      help: 'Step size.',
    }),
    momentum: param.number({
      default: 0,
      min: 0,
      max: 0.999,
      step: 0.01,
      help: 'Fraction of the previous step kept; 0 is plain SGD.',
    }),
    ...commonOptimizerParams,
  },
  inferShapes: () => ok({}),
  learningRateAt: decayedLearningRate,
  weightAveragingOf: ({ averaging }) => averaging,
  createOptimizer: (tf, { learningRate, momentum }) =>
    momentum > 0 ? tf.train.momentum(learningRate, momentum) : tf.train.sgd(learningRate),
})
