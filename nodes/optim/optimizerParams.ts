import { param } from '../../graph-core/params'

/** Params every optimizer shares: how often it steps per iteration, when, and what it trains. */
export const commonOptimizerParams = {
  steps: param.int({
    default: 1,
    min: 1,
    max: 100,
    label: 'k steps',
    help: 'Updates per training iteration (k in the GAN loop: D is often stepped more than G).',
  }),
  order: param.int({
    default: 0,
    min: -100,
    max: 100,
    help: 'Optimizers run in ascending order each iteration; ties keep their order on the canvas.',
  }),
  trains: param.nodeRefs({
    default: [],
    help: 'The nodes this optimizer updates. Empty: every node with weights upstream of its loss. A GAN sets this so G’s loss does not move D.',
  }),
}
