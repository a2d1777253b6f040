/**
 * Exponential moving averages of trained weights, for held-out use: a GAN's generator sampled
 * with the average of its recent weights draws cleaner images than with its last ones, which
 * oscillate with the game (Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging in GAN
 * Training"; Karras et al. use it in every StyleGAN). Training never sees the averages: the
 * optimizers keep updating the raw weights, and held-out passes borrow the averages for their
 * duration.
 */
import type { Tensor, Tf, Variable } from './nodeDefinition'

/** One trained variable and how its optimizer averages it. */
export interface AveragedVariable {
  /** Program variable name (`gen/layer0/kernel`). */
  name: string
  variable: Variable
  /** The optimizer node whose updates it follows. */
  optimizer: string
  /** β of the average, in (0, 1). */
  decay: number
}

export interface WeightAverages {
  /** Averages by program variable name. */
  readonly averages: ReadonlyMap<string, Variable>
  /**
   * Folds in the current values of the variables `optimizer` trains, after its update of
   * iteration `step` (0 for the first): average ← d·average + (1 − d)·value with
   * d = min(β, (1 + step)/(10 + step)), so the first updates are not held back by the initial
   * weights (the warm-up of TensorFlow's ExponentialMovingAverage with `num_updates`).
   */
  update(optimizer: string, step: number): void
  /** Runs `use` with every averaged variable holding its average, then restores the trained values. */
  withAverages<T>(use: () => T): T
  /** Sets every average to its variable's current value (a fresh start, or a checkpoint without averages). */
  reset(): void
  dispose(): void
}

/** The decay of an update at `step`: β, smaller for the first steps. */
export function averagingDecay(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step))
}

export function createWeightAverages(
  tf: Tf,
  requested: readonly AveragedVariable[],
): WeightAverages {
  // A variable two averaging optimizers train is averaged by the first.
  const averaged = requested.filter(
    (entry, index) => requested.findIndex((other) => other.name === entry.name) === index,
  )
  const averages = new Map<string, Variable>(
    averaged.map((entry) => [
      entry.name,
      tf.tidy(() => tf.variable(entry.variable.clone(), false)),
    ]),
  )
  const averageOf = (entry: AveragedVariable): Variable => {
    const average = averages.get(entry.name)
    if (average === undefined) throw new Error(`${entry.name} has no average`)
    return average
  }
  return {
    averages,
    update(optimizer, step) {
      tf.tidy(() => {
        for (const entry of averaged) {
          if (entry.optimizer !== optimizer) continue
          const decay = averagingDecay(entry.decay, step)
          const average = averageOf(entry)
          average.assign(tf.add(tf.mul(average, decay), tf.mul(entry.variable, 1 - decay)))
        }
      })
    },
    withAverages(use) {
      if (averaged.length === 0) return use()
      // Clones share the trained values' buffers: assigning the average does not free them.
      const trained: Tensor[] = averaged.map((entry) => entry.variable.clone())
      try {
        for (const entry of averaged) entry.variable.assign(averageOf(entry))
        return use()
      } finally {
        averaged.forEach((entry, index) => {
          const value = trained[index]
          if (value !== undefined) entry.variable.assign(value)
        })
        tf.dispose(trained)
      }
    },
    reset() {
      for (const entry of averaged) averageOf(entry).assign(entry.variable)
    },
    dispose() {
      tf.dispose([...averages.values()])
    },
  }
}
