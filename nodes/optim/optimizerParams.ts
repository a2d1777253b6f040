import { param } from '../../graph-core/params'

/**
 * Params every optimizer shares: how often it steps per iteration, when, what it trains and
 * whether its learning rate decays.
 */
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
  decayStart: param.int({
    default: 0,
    min: 0,
    max: 100_000,
    label: 'decay from step',
    help: 'From this step the learning rate falls linearly to zero (as CycleGAN trains: constant, then a linear decay); 0 keeps it constant.',
  }),
  averaging: param.number({
    default: 0,
    min: 0,
    max: 0.9999,
    step: 0.0001,
    label: 'weight averaging',
    help: 'Keeps a moving average of the weights this optimizer trains, with this β (0.999 is usual for a GAN generator), and samples, views and evaluations use it: the average of recent weights draws cleaner images than the last ones, which swing with the game. Training is unchanged. 0 turns it off.',
  }),
  decaySteps: param.int({
    default: 1000,
    min: 1,
    max: 100_000,
    label: 'decay steps',
    help: 'Steps the decay takes to reach zero; after them the optimizer no longer changes its weights, so end the run there.',
  }),
}

/**
 * The learning rate at `step` (iterations done so far): `learningRate` until `decayStart`, then
 * linearly down to 0 over `decaySteps`: learningRate · max(0, 1 − (step − decayStart) / decaySteps).
 */
export function decayedLearningRate(
  {
    learningRate,
    decayStart,
    decaySteps,
  }: { learningRate: number; decayStart: number; decaySteps: number },
  step: number,
): number {
  if (decayStart === 0 || step < decayStart) return learningRate
  return learningRate * Math.max(0, 1 - (step - decayStart) / decaySteps)
}
