import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNode, nodeGradients, runNode } from '../../graph-core/runNode'
import { softmaxCrossEntropyLoss } from './softmaxCrossEntropyLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function run(logits: number[][], labels: number[]) {
  const result = runNode(tf, softmaxCrossEntropyLoss, {
    inputs: { logits: tf.tensor2d(logits), labels: tf.tensor1d(labels, 'int32') },
  })
  const values = {
    loss: result.outputs.loss?.dataSync()[0],
    lossShape: result.outputs.loss?.shape,
    accuracy: result.metrics.accuracy?.dataSync()[0],
  }
  result.dispose()
  return values
}

describe('loss.softmaxCE shapes', () => {
  it.each([[{ logits: [10], labels: [] }], [{ logits: [2], labels: [] }]])(
    '%j gives a scalar loss',
    (inputs) => {
      expect(softmaxCrossEntropyLoss.inferShapes(inputs, {})).toEqual({ outputs: { loss: [] } })
    },
  )

  it.each([
    [{ logits: [4, 10], labels: [] }, ['logits'], '[classes]', '[4, 10]'],
    [{ logits: [], labels: [] }, ['logits'], '[classes]', '[]'],
    [{ logits: [1], labels: [] }, ['logits'], '[classes ≥ 2]', '[1]'],
    [{ logits: [10], labels: [10] }, ['labels'], '[]', '[10]'],
    [{ logits: [1], labels: [1] }, ['logits', 'labels'], '[classes ≥ 2]', '[1]'],
  ])('%j is refused on %j', (inputs, ports, expected, actual) => {
    const result = softmaxCrossEntropyLoss.inferShapes(inputs, {})
    if (!('issues' in result)) throw new Error('expected issues')
    expect(result.issues.map((issue) => issue.port)).toEqual(ports)
    expect(result.issues[0]).toMatchObject({ expected, actual })
  })

  it('names an empty class port, as a discriminator with classes 0 gives', () => {
    const result = softmaxCrossEntropyLoss.inferShapes({ logits: [0], labels: [] }, {})
    if (!('issues' in result)) throw new Error('expected issues')
    expect(result.issues[0]).toMatchObject({
      port: 'logits',
      message: expect.stringMatching(/no class scores/) as unknown,
      actual: '[0]',
    })
  })

  it('refuses labels whose batch differs from the logits', () => {
    expect(() =>
      runNode(tf, softmaxCrossEntropyLoss, {
        inputs: { logits: tf.zeros([3, 4]), labels: tf.tensor1d([0, 1], 'int32') },
      }),
    ).toThrow(/batch of 3 but labels has 2/)
  })
})

describe('loss.softmaxCE forward', () => {
  it('is the mean of −log softmax of the true class', () => {
    // row 1: [2, 0, 0], class 0 → −log(e²/(e² + 2)) = log(1 + 2e⁻²), predicted 0 (right)
    // row 2: [0, 1, 0], class 2 → −log(1/(1 + e + 1)) = log(2 + e), predicted 1 (wrong)
    const result = run(
      [
        [2, 0, 0],
        [0, 1, 0],
      ],
      [0, 2],
    )
    expect(result.lossShape).toEqual([])
    expect(result.loss).toBeCloseTo((Math.log(1 + 2 * Math.exp(-2)) + Math.log(2 + Math.E)) / 2, 5)
    expect(result.accuracy).toBe(0.5)
  })

  it('stays finite for logits of ±64', () => {
    // [64, −64]: class 0 costs log(1 + e⁻¹²⁸) ≈ 0, class 1 costs 128; both rows predict 0.
    const right = run([[64, -64]], [0])
    expect(right.loss).toBeCloseTo(0, 6)
    expect(right.accuracy).toBe(1)
    const wrong = run([[64, -64]], [1])
    expect(wrong.loss).toBeCloseTo(128, 3)
    expect(wrong.accuracy).toBe(0)
  })

  it('keeps the tensor count flat through forward and backward passes', () => {
    const logits = tf.tensor2d([
      [1, 2],
      [3, -1],
    ])
    const labels = tf.tensor1d([1, 0], 'int32')
    const source = tf.variable(logits.clone(), true)
    const before = tf.memory().numTensors
    runNode(tf, softmaxCrossEntropyLoss, { inputs: { logits, labels } }).dispose()
    // nodeGradients leaks its float copy of each input, so the tape is driven here directly.
    const node = buildNode(tf, softmaxCrossEntropyLoss, { inputs: { logits, labels } })
    const { value, grads } = tf.variableGrads(() => {
      const { outputs, metrics } = node.forward({ logits: source, labels })
      tf.dispose(Object.values(metrics))
      return outputs.loss as tf.Scalar
    }, [source])
    tf.dispose([value, ...Object.values(grads)])
    node.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([logits, labels, source])
  })
})

describe('loss.softmaxCE gradients', () => {
  it('are (softmax − one-hot) / batch', () => {
    // row 1: [0, 0], class 0: softmax [1/2, 1/2] − [1, 0] = [−1/2, 1/2]
    // row 2: [ln 3, 0], class 1: softmax [3/4, 1/4] − [0, 1] = [3/4, −3/4]; both / 2.
    const grads = nodeGradients(tf, softmaxCrossEntropyLoss, {
      inputs: {
        logits: tf.tensor2d([
          [0, 0],
          [Math.log(3), 0],
        ]),
        labels: tf.tensor1d([0, 1], 'int32'),
      },
      output: 'loss',
      wrt: ['logits'],
    })
    const expected = [-0.25, 0.25, 0.375, -0.375]
    const actual = Array.from(grads.logits?.dataSync() ?? [])
    expect(actual).toHaveLength(4)
    actual.forEach((value, index) => {
      expect(value).toBeCloseTo(expected[index] ?? Number.NaN, 6)
    })
    tf.dispose(Object.values(grads))
  })
})
