import type * as TfJs from '@tensorflow/tfjs'

type Tf = typeof TfJs

/** The outcome of training the self-check model on the active backend. */
export interface SelfCheckResult {
  /** Mean squared error after each Adam step, read back from the backend. */
  losses: number[]
  milliseconds: number
}

export interface SelfCheckOptions {
  steps?: number
  seed?: number
}

const SAMPLES = 64
const HIDDEN = 16
const LEARNING_RATE = 0.05

/**
 * Proves a backend can train before a user's run depends on it: a 2-16-1 tanh MLP regresses
 * y = x₀·x₁ + ½x₀ on 64 seeded points with Adam. A working backend brings the loss down within
 * a few steps; a broken one throws, returns NaN or stalls. Leaves no tensors behind.
 */
export async function runBackendSelfCheck(
  tf: Tf,
  { steps = 20, seed = 7 }: SelfCheckOptions = {},
): Promise<SelfCheckResult> {
  const started = performance.now()
  const [x, y] = tf.tidy((): [TfJs.Tensor, TfJs.Tensor] => {
    const x = tf.randomUniform([SAMPLES, 2], -1, 1, 'float32', seed) // [samples, 2]
    const [x0, x1] = tf.split(x, 2, 1)
    if (x0 === undefined || x1 === undefined) throw new Error('split gave fewer than 2 parts')
    return [x, tf.add(tf.mul(x0, x1), tf.mul(x0, 0.5))] // y: [samples, 1]
  })
  // tidy frees the initial value: tf.variable copies it and keeps its own.
  const variable = (init: () => TfJs.Tensor) => tf.tidy(() => tf.variable(init()))
  const w1 = variable(() => tf.randomNormal([2, HIDDEN], 0, 0.5, 'float32', seed + 1))
  const b1 = variable(() => tf.zeros([HIDDEN]))
  const w2 = variable(() => tf.randomNormal([HIDDEN, 1], 0, 0.5, 'float32', seed + 2))
  const b2 = variable(() => tf.zeros([1]))
  const optimizer = tf.train.adam(LEARNING_RATE)
  const losses: number[] = []
  try {
    for (let step = 0; step < steps; step++) {
      const loss = optimizer.minimize(
        () => {
          const hidden = tf.tanh(tf.add(tf.matMul(x, w1), b1)) // [samples, hidden]
          const prediction = tf.add(tf.matMul(hidden, w2), b2) // [samples, 1]
          return tf.losses.meanSquaredError(y, prediction)
        },
        true,
        [w1, b1, w2, b2],
      )
      if (loss === null) throw new Error('the optimizer returned no loss')
      const [value] = await loss.data()
      loss.dispose()
      losses.push(value ?? Number.NaN)
    }
  } finally {
    optimizer.dispose()
    tf.dispose([x, y, w1, b1, w2, b2])
  }
  return { losses, milliseconds: performance.now() - started }
}

/** Why a self-check result cannot be trusted, or undefined when the backend learned. */
export function selfCheckProblem({ losses }: SelfCheckResult): string | undefined {
  const first = losses[0]
  const last = losses.at(-1)
  if (first === undefined || last === undefined) return 'the self-check ran no steps'
  const bad = losses.findIndex((value) => !Number.isFinite(value))
  if (bad >= 0) return `the self-check loss became ${String(losses[bad])} at step ${bad + 1}`
  if (!(last < first)) return `the self-check loss did not go down (${first} → ${last})`
  return undefined
}
