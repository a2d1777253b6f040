import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNode, nodeGradients, runNode } from '../../graph-core/runNode'
import { bceLoss } from './bceLoss'

const RESHAPE = '; both hold the same number of values, so reshape one of them'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

type InputIs = 'logits' | 'probabilities'

/** The loss for one batch of per-sample vectors. */
function bce(inputIs: InputIs, prediction: number[][], target: number[][]): number {
  const inputs = { prediction: tf.tensor2d(prediction), target: tf.tensor2d(target) }
  const run = runNode(tf, bceLoss, { params: { inputIs }, inputs })
  expect(run.outputs.loss?.shape).toEqual([])
  const [loss] = run.outputs.loss?.dataSync() ?? []
  run.dispose()
  tf.dispose(Object.values(inputs))
  return loss ?? Number.NaN
}

function gradients(inputIs: InputIs, prediction: number[][], target: number[][]) {
  const grads = nodeGradients(tf, bceLoss, {
    params: { inputIs },
    inputs: { prediction: tf.tensor2d(prediction), target: tf.tensor2d(target) },
    output: 'loss',
    wrt: ['prediction', 'target'],
  })
  const result = {
    prediction: Array.from(grads.prediction?.dataSync() ?? []),
    target: Array.from(grads.target?.dataSync() ?? []),
  }
  tf.dispose(Object.values(grads))
  return result
}

const LN2 = Math.log(2)
const LN3 = Math.log(3)

describe('loss.bce shapes', () => {
  it.each([[[1]], [[10]], [[28, 28, 1]]])('%j against itself gives a scalar loss', (shape) => {
    for (const inputIs of ['logits', 'probabilities'] as const) {
      expect(bceLoss.inferShapes({ prediction: shape, target: shape }, { inputIs })).toEqual({
        outputs: { loss: [] },
      })
    }
  })

  it.each([
    [[1], [], '[]', '[1]', RESHAPE],
    [[10], [1], '[1]', '[10]', ''],
    [[28, 28, 1], [784], '[784]', '[28, 28, 1]', RESHAPE],
  ])('refuses prediction %j against target %j', (prediction, target, expected, actual, hint) => {
    expect(bceLoss.inferShapes({ prediction, target }, { inputIs: 'logits' })).toEqual({
      issues: [
        {
          port: 'prediction',
          message: `prediction must have the same per-sample shape as target${hint}`,
          expected,
          actual,
        },
      ],
    })
  })

  it('takes logits by default', () => {
    expect(bceLoss.params.inputIs.default).toBe('logits')
  })
})

describe('loss.bce on logits', () => {
  it('follows max(x, 0) − x·t + log(1 + e^(−|x|)), averaged over every element', () => {
    // x = 0,    t = 1:   0 − 0 + ln 2                       = ln 2
    // x = ln 3, t = 0:   ln 3 − 0 + ln(1 + 1/3)             = ln 4
    // x = −ln 3, t = 1:  0 + ln 3 + ln(4/3)                 = ln 4
    // x = 2,    t = ½:   2 − 1 + ln(1 + e^−2) = 1.126928011
    // mean = (0.693147181 + 2 × 1.386294361 + 1.126928011) / 4 = 1.148166479
    const loss = bce(
      'logits',
      [
        [0, LN3],
        [-LN3, 2],
      ],
      [
        [1, 0],
        [1, 0.5],
      ],
    )
    expect(loss).toBeCloseTo((LN2 + 4 * LN2 + 1 + Math.log1p(Math.exp(-2))) / 4, 6)
    expect(loss).toBeCloseTo(1.148166479, 5)
  })

  it('is finite and exact at logits of ±100', () => {
    // x = 100, t = 1: 100 − 100 + ln(1 + e^−100) ≈ 3.7e−44;  x = −100, t = 0: ≈ 3.7e−44
    // x = 100, t = 0: 100 + ≈0;                             x = −100, t = 1: 0 + 100 + ≈0
    // mean = (0 + 0 + 100 + 100) / 4 = 50
    expect(bce('logits', [[100, -100, 100, -100]], [[1, 0, 0, 1]])).toBeCloseTo(50, 5)
    expect(bce('logits', [[100, -100]], [[1, 0]])).toBeCloseTo(0, 10)
  })

  it('has the gradient (σ(x) − t)/N, also at x = 0, and −x/N for the target', () => {
    // N = 4: x = 0, t = 1 → (½ − 1)/4 = −0.125;  x = 0, t = ¼ → (½ − ¼)/4 = 0.0625
    //        x = 100, t = 0 → (1 − 0)/4 = 0.25;  x = −100, t = 1 → (0 − 1)/4 = −0.25
    const grads = gradients('logits', [[0, 0, 100, -100]], [[1, 0.25, 0, 1]])
    expect(grads.prediction[0]).toBeCloseTo(-0.125, 6)
    expect(grads.prediction[1]).toBeCloseTo(0.0625, 6)
    expect(grads.prediction[2]).toBeCloseTo(0.25, 6)
    expect(grads.prediction[3]).toBeCloseTo(-0.25, 6)
    // −x/4 = 0, 0, −25, 25
    expect(grads.target.map((value) => value + 0)).toEqual([0, 0, -25, 25])
  })
})

describe('loss.bce on probabilities', () => {
  it('follows −[t·log p + (1 − t)·log(1 − p)] with each log clamped at −100', () => {
    // p = ½,  t = 1: −ln ½ = ln 2 = 0.693147181
    // p = ¼,  t = 0: −ln ¾ = 0.287682072
    // p = 0,  t = 1: −max(ln 0, −100) = 100
    // p = 1,  t = 0: −max(ln 0, −100) = 100
    // mean = 200.980829253 / 4 = 50.245207313
    expect(
      bce(
        'probabilities',
        [
          [0.5, 0.25],
          [0, 1],
        ],
        [
          [1, 0],
          [1, 0],
        ],
      ),
    ).toBeCloseTo(50.245207313, 4)
  })

  it('is exactly 0 for certain, correct probabilities (0·log 0 counts as 0)', () => {
    expect(bce('probabilities', [[0, 1]], [[0, 1]])).toBe(0)
  })

  it('agrees with the logit form when p = σ(x)', () => {
    const logits = [[-3, -0.5, 0, 0.5, 3]]
    const targets = [[0, 1, 0.5, 0, 1]]
    const probabilities = logits.map((row) => row.map((x) => 1 / (1 + Math.exp(-x))))
    expect(bce('probabilities', probabilities, targets)).toBeCloseTo(
      bce('logits', logits, targets),
      5,
    )
  })

  it("has PyTorch's finite gradients at p = 0 and p = 1", () => {
    // ∂/∂p = (p − t) / max(p(1 − p), 1e−12) / N, N = 4:
    //   p = 0, t = 1 → −1e12/4;  p = 1, t = 0 → 1e12/4
    //   p = ½, t = 1 → (−½ / ¼)/4 = −0.5;  p = ¼, t = 0 → (¼ / (3/16))/4 = 1/3
    // ∂/∂t = (max(log(1 − p), −100) − max(log p, −100)) / N:
    //   p = 0 → (0 + 100)/4 = 25;  p = 1 → (−100 − 0)/4 = −25;  p = ½ → 0;  p = ¼ → ln 3 / 4
    const grads = gradients('probabilities', [[0, 1, 0.5, 0.25]], [[1, 0, 1, 0]])
    expect(grads.prediction.every(Number.isFinite)).toBe(true)
    expect((grads.prediction[0] ?? 0) / -2.5e11).toBeCloseTo(1, 5)
    expect((grads.prediction[1] ?? 0) / 2.5e11).toBeCloseTo(1, 5)
    expect(grads.prediction[2]).toBeCloseTo(-0.5, 6)
    expect(grads.prediction[3]).toBeCloseTo(1 / 3, 6)
    expect(grads.target[0]).toBeCloseTo(25, 5)
    expect(grads.target[1]).toBeCloseTo(-25, 5)
    expect(grads.target[2]).toBeCloseTo(0, 6)
    expect(grads.target[3]).toBeCloseTo(LN3 / 4, 6)
  })
})

describe('loss.bce memory', () => {
  it.each(['logits', 'probabilities'] as const)(
    'leaves no tensors behind on %s, forward and backward',
    (inputIs) => {
      const prediction = tf.randomUniform([4, 3], 0.01, 0.99, 'float32', 1)
      const target = tf.randomUniform([4, 3], 0, 1, 'float32', 2)
      const before = tf.memory().numTensors
      runNode(tf, bceLoss, { params: { inputIs }, inputs: { prediction, target } }).dispose()
      expect(tf.memory().numTensors).toBe(before)
      // The custom gradients keep tensors for the backward pass; it must free them.
      const node = buildNode(tf, bceLoss, { params: { inputIs }, inputs: { prediction, target } })
      const { value, grads } = tf.valueAndGrads((p: tf.Tensor, t: tf.Tensor) => {
        const { outputs } = node.forward({ prediction: p, target: t })
        if (outputs.loss === undefined) throw new Error('no loss')
        return outputs.loss
      })([prediction, target])
      tf.dispose([value, ...grads])
      node.dispose()
      expect(tf.memory().numTensors).toBe(before)
      tf.dispose([prediction, target])
    },
  )
})
