import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNode, nodeGradients, runNode } from '../../graph-core/runNode'
import { centerLoss } from './centerLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = { classes: 10, lambda: 0.01, alpha: 0.5, reduction: 'mean' } as const

/*
 * A batch of three 2-D features in 3 classes, centres given:
 *   x = (1, 0), (3, 0), (0, 2); labels 0, 0, 1; c0 = (1, 1), c1 = (0, 0), c2 = (5, 5).
 * ½‖x − c_y‖² = ½·1, ½·(4 + 1), ½·4 = 0.5, 2.5, 2: sum 5, mean 5/3.
 * Logits (2, 0, 0), (0, 0, 0), (0, 1, 0) for classes 0, 0, 1:
 *   −log softmax = log(1 + 2e⁻²), log 3, log(1 + 2/e).
 */
const FEATURES = [
  [1, 0],
  [3, 0],
  [0, 2],
]
const LABELS = [0, 0, 1]
const CENTRES = [
  [1, 1],
  [0, 0],
  [5, 5],
]
const LOGITS = [
  [2, 0, 0],
  [0, 0, 0],
  [0, 1, 0],
]
const ENTROPIES = [Math.log(1 + 2 * Math.exp(-2)), Math.log(3), Math.log(1 + 2 / Math.E)]
const ENTROPY_SUM = ENTROPIES.reduce((total, value) => total + value, 0)

function inputs(hasLogits: boolean) {
  return {
    embeddings: tf.tensor2d(FEATURES),
    labels: tf.tensor1d(LABELS, 'int32'),
    ...(hasLogits ? { logits: tf.tensor2d(LOGITS) } : {}),
  }
}

function closeTo(actual: number[][] | undefined, expected: number[][]) {
  expect(actual?.flat()).toHaveLength(expected.flat().length)
  actual?.flat().forEach((value, index) => {
    expect(value).toBeCloseTo(expected.flat()[index] ?? Number.NaN, 5)
  })
}

describe('loss.center shapes', () => {
  it.each([[{ embeddings: [32], labels: [] }], [{ embeddings: [32], labels: [], logits: [10] }]])(
    '%j gives a scalar loss',
    (shapes) => {
      expect(centerLoss.inferShapes(shapes as never, DEFAULTS)).toEqual({ outputs: { loss: [] } })
    },
  )

  it.each([
    [{ embeddings: [4, 4], labels: [] }, ['embeddings'], '[d]', '[4, 4]'],
    [{ embeddings: [0], labels: [] }, ['embeddings'], '[d]', '[0]'],
    [{ embeddings: [8], labels: [1] }, ['labels'], '[]', '[1]'],
    [{ embeddings: [8], labels: [], logits: [7] }, ['logits'], '[10]', '[7]'],
    [{ embeddings: [8], labels: [], logits: [10, 2] }, ['logits'], '[10]', '[10, 2]'],
    [{ embeddings: [], labels: [3], logits: [3] }, ['embeddings', 'labels', 'logits'], '[d]', '[]'],
  ])('%j is refused on %j', (shapes, ports, expected, actual) => {
    const result = centerLoss.inferShapes(shapes as never, DEFAULTS)
    if (!('issues' in result)) throw new Error('expected issues')
    expect(result.issues.map((issue) => issue.port)).toEqual(ports)
    expect(result.issues[0]).toMatchObject({ expected, actual })
  })

  it('says how to fix a class count that differs from the logits', () => {
    const result = centerLoss.inferShapes({ embeddings: [8], labels: [], logits: [7] }, DEFAULTS)
    if (!('issues' in result)) throw new Error('expected issues')
    expect(result.issues[0]?.message).toMatch(/7 classes but the node has classes = 10/)
  })

  it('counts no trainable parameters and a rough FLOP figure', () => {
    expect(centerLoss.cost?.({ embeddings: [32], labels: [] } as never, DEFAULTS)).toEqual({
      parameters: 0,
      flops: 2 * 10 * 32 + 3 * 32,
    })
    expect(centerLoss.cost?.({ embeddings: [32], labels: [], logits: [10] }, DEFAULTS).flops).toBe(
      2 * 10 * 32 + 3 * 32 + 5 * 10,
    )
  })

  it('refuses logits whose batch differs from the embeddings', () => {
    expect(() =>
      runNode(tf, centerLoss, {
        params: { classes: 3 },
        inputs: { ...inputs(false), logits: tf.zeros([2, 3]) },
      }),
    ).toThrow(/batch of 3 but logits has 2/)
  })
})

describe('loss.center forward', () => {
  it.each([
    // λ·mean: 0.5 · 5/3; λ·sum: 0.5 · 5.
    ['mean', false, 0.5 * (5 / 3), 5 / 3],
    ['sum', false, 0.5 * 5, 5],
    // with logits, the cross-entropy under the same reduction.
    ['mean', true, ENTROPY_SUM / 3 + 0.5 * (5 / 3), 5 / 3],
    ['sum', true, ENTROPY_SUM + 0.5 * 5, 5],
  ])('reduction %s, logits %s → %f', (reduction, hasLogits, expected, centreTerm) => {
    const run = runNode(tf, centerLoss, {
      params: { classes: 3, lambda: 0.5, reduction },
      inputs: inputs(hasLogits),
      weights: { centres: tf.tensor2d(CENTRES) },
    })
    expect(run.outputs.loss?.shape).toEqual([])
    expect(run.outputs.loss?.dataSync()[0]).toBeCloseTo(expected, 5)
    expect(run.metrics.centerTerm?.dataSync()[0]).toBeCloseTo(centreTerm, 5)
    expect(run.metrics.crossEntropy === undefined).toBe(!hasLogits)
    run.dispose()
  })

  it('leaves samples with an out-of-range label out of the centre term', () => {
    // Label 7 ∉ [0, 3): only (1, 0) → c0 = (1, 1) counts, ½·1; the mean is over 2 samples.
    // The update sees only sample 0: Δc0 = (c0 − x0)/2 = (0, 1/2), c0 = (1, 1 − 0.5·1/2).
    const run = runNode(tf, centerLoss, {
      params: { classes: 3, lambda: 1 },
      inputs: {
        embeddings: tf.tensor2d([FEATURES[0] ?? [], [9, 9]]),
        labels: tf.tensor1d([0, 7], 'int32'),
      },
      weights: { centres: tf.tensor2d(CENTRES) },
    })
    expect(run.outputs.loss?.dataSync()[0]).toBeCloseTo(0.25, 6)
    run.runAfterStep()
    closeTo(run.variables.get('centres')?.arraySync() as number[][], [
      [1, 0.75],
      [0, 0],
      [5, 5],
    ])
    run.dispose()
  })
})

describe('loss.center centre update', () => {
  it('keeps the centres out of the optimizer and still before the step', () => {
    const run = runNode(tf, centerLoss, {
      params: { classes: 3 },
      inputs: inputs(false),
      weights: { centres: tf.tensor2d(CENTRES) },
    })
    expect(run.variables.get('centres')?.trainable).toBe(false)
    closeTo(run.variables.get('centres')?.arraySync() as number[][], CENTRES)
    run.dispose()
  })

  it.each([
    /*
     * n0 = 2, n1 = 1, n2 = 0.
     * Δc0 = ((c0 − x0) + (c0 − x1)) / 3 = ((0, 1) + (−2, 1)) / 3 = (−2/3, 2/3)
     * Δc1 = (c1 − x2) / 2 = (0, −2) / 2 = (0, −1)
     * Δc2 = 0 (no sample of class 2)
     * α = 0.5: c0 = (1, 1) − 0.5·(−2/3, 2/3) = (4/3, 2/3), c1 = (0, 0.5), c2 = (5, 5).
     * α = 1:   c0 = (5/3, 1/3), c1 = (0, 1), c2 = (5, 5).
     */
    [
      0.5,
      [
        [4 / 3, 2 / 3],
        [0, 0.5],
        [5, 5],
      ],
    ],
    [
      1,
      [
        [5 / 3, 1 / 3],
        [0, 1],
        [5, 5],
      ],
    ],
  ])('moves the centres by the paper rule with α = %f', (alpha, expected) => {
    const run = runNode(tf, centerLoss, {
      params: { classes: 3, alpha },
      inputs: inputs(true),
      weights: { centres: tf.tensor2d(CENTRES) },
    })
    run.runAfterStep()
    closeTo(run.variables.get('centres')?.arraySync() as number[][], expected)
    run.dispose()
  })

  it('converges to the class mean over repeated steps, from zero', () => {
    // Class 0 holds (1, 0) and (3, 0): c ← c − 0.5·(2c − (4, 0))/3 = (2/3)c + (2/3, 0), whose
    // fixed point is the mean (2, 0); class 1: c ← 0.75c + 0.25·(0, 2) → (0, 2); class 2 stays.
    const embeddings = tf.tensor2d(FEATURES)
    const labels = tf.tensor1d(LABELS, 'int32')
    const node = buildNode(tf, centerLoss, {
      params: { classes: 3 },
      inputs: { embeddings, labels },
    })
    for (let step = 0; step < 80; step += 1) {
      tf.dispose(Object.values(node.forward({ embeddings, labels }).outputs))
      node.runAfterStep()
    }
    closeTo(node.variables.get('centres')?.arraySync() as number[][], [
      [2, 0],
      [0, 2],
      [0, 0],
    ])
    node.dispose()
    tf.dispose([embeddings, labels])
  })

  it('does not move the centres on held-out passes or with α = 0', () => {
    for (const options of [{ split: 'heldOut' as const }, { params: { classes: 3, alpha: 0 } }]) {
      const run = runNode(tf, centerLoss, {
        params: { classes: 3 },
        ...options,
        inputs: inputs(false),
        weights: { centres: tf.tensor2d(CENTRES) },
      })
      run.runAfterStep()
      closeTo(run.variables.get('centres')?.arraySync() as number[][], CENTRES)
      run.dispose()
    }
  })

  it('keeps the tensor count flat through forward, update and backward passes', () => {
    const embeddings = tf.tensor2d(FEATURES)
    const labels = tf.tensor1d(LABELS, 'int32')
    const logits = tf.tensor2d(LOGITS)
    const source = tf.variable(embeddings.clone(), true)
    const before = tf.memory().numTensors

    const run = runNode(tf, centerLoss, {
      params: { classes: 3 },
      inputs: { embeddings, labels, logits },
    })
    run.runAfterStep()
    run.dispose()

    // Two forwards before one update: the first forward's copies are released by the second.
    const node = buildNode(tf, centerLoss, {
      params: { classes: 3 },
      inputs: { embeddings, labels },
    })
    for (let pass = 0; pass < 2; pass += 1) {
      const { outputs, metrics } = node.forward({ embeddings, labels })
      tf.dispose([...Object.values(outputs), ...Object.values(metrics)])
    }
    node.runAfterStep()
    // The backward pass, on the tape as an optimizer runs it (nodeGradients leaks its copy).
    const { value, grads } = tf.variableGrads(() => {
      const { outputs, metrics } = node.forward({ embeddings: source, labels })
      tf.dispose(Object.values(metrics))
      return outputs.loss as tf.Scalar
    }, [source])
    tf.dispose([value, ...Object.values(grads)])
    node.runAfterStep()
    node.dispose()

    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([embeddings, labels, logits, source])
  })
})

describe('loss.center gradients', () => {
  it('are λ·(x − c_y)/batch for the features and (softmax − one-hot)/batch for the logits', () => {
    const grads = nodeGradients(tf, centerLoss, {
      params: { classes: 3, lambda: 0.5 },
      inputs: inputs(true),
      weights: { centres: tf.tensor2d(CENTRES) },
      output: 'loss',
      wrt: ['embeddings', 'logits'],
    })
    // x − c_y: (0, −1), (2, −1), (0, 2); × 0.5 / 3.
    closeTo(grads.embeddings?.arraySync() as number[][], [
      [0, -0.5 / 3],
      [1 / 3, -0.5 / 3],
      [0, 1 / 3],
    ])
    // row 2: logits 0, class 0 → softmax (1/3, 1/3, 1/3) − (1, 0, 0), / 3.
    const logitGrads = grads.logits?.arraySync() as number[][]
    closeTo(logitGrads.slice(1, 2), [[-2 / 9, 1 / 9, 1 / 9]])
    expect(logitGrads.flat().every(Number.isFinite)).toBe(true)
    tf.dispose(Object.values(grads))
  })
})
