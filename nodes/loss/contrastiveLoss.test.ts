import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNode, nodeGradients, runNode } from '../../graph-core/runNode'
import { contrastiveLoss } from './contrastiveLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const degrees = (angle: number) => (angle * Math.PI) / 180
/** A point at `angle` degrees on the circle of radius `radius` (normalised away inside). */
const onCircle = (angle: number, radius = 1) => [
  radius * Math.cos(degrees(angle)),
  radius * Math.sin(degrees(angle)),
]
/** Distance between unit vectors `angle` degrees apart: the chord 2·sin(angle/2). */
const chord = (angle: number) => 2 * Math.sin(degrees(angle) / 2)

/*
 * Angles 0°, 60°, 90°, 150° with radii 2, 0.5, 3, 1 and labels 0, 0, 1, 2: one positive pair
 * (0,1) and five negative pairs. Distances: d01 = 1, d02 = √2, d03 = 2·sin 75° ≈ 1.9319,
 * d12 = 2·sin 15° ≈ 0.5176, d13 = √2, d23 = 1.
 */
const MAIN = {
  points: [onCircle(0, 2), onCircle(60, 0.5), onCircle(90, 3), onCircle(150)],
  labels: [0, 0, 1, 2],
}

function run(params: { margin?: number }, batch = MAIN) {
  const result = runNode(tf, contrastiveLoss, {
    params,
    inputs: { embeddings: tf.tensor2d(batch.points), labels: tf.tensor1d(batch.labels, 'int32') },
  })
  const values = {
    loss: result.outputs.loss?.dataSync()[0],
    lossShape: result.outputs.loss?.shape,
    positiveDistance: result.metrics.positiveDistance?.dataSync()[0],
    negativeDistance: result.metrics.negativeDistance?.dataSync()[0],
  }
  result.dispose()
  return values
}

function gradients(params: { margin?: number }, batch = MAIN) {
  const grads = nodeGradients(tf, contrastiveLoss, {
    params,
    inputs: { embeddings: tf.tensor2d(batch.points), labels: tf.tensor1d(batch.labels, 'int32') },
    output: 'loss',
    wrt: ['embeddings'],
  })
  const values = grads.embeddings?.arraySync() as number[][]
  tf.dispose(Object.values(grads))
  return values
}

describe('loss.contrastive shapes', () => {
  it('gives a scalar loss for vectors and labels', () => {
    expect(contrastiveLoss.inferShapes({ embeddings: [64], labels: [] }, { margin: 1 })).toEqual({
      outputs: { loss: [] },
    })
  })

  it.each([
    [{ embeddings: [28, 28, 1], labels: [] }, ['embeddings'], '[d]', '[28, 28, 1]'],
    [{ embeddings: [0], labels: [] }, ['embeddings'], '[d]', '[0]'],
    [{ embeddings: [8], labels: [2] }, ['labels'], '[]', '[2]'],
    [{ embeddings: [], labels: [1, 1] }, ['embeddings', 'labels'], '[d]', '[]'],
  ])('%j is refused on %j', (inputs, ports, expected, actual) => {
    const result = contrastiveLoss.inferShapes(inputs, { margin: 1 })
    if (!('issues' in result)) throw new Error('expected issues')
    expect(result.issues.map((issue) => issue.port)).toEqual(ports)
    expect(result.issues[0]).toMatchObject({ expected, actual })
  })

  it('refuses labels whose batch differs from the embeddings', () => {
    expect(() =>
      runNode(tf, contrastiveLoss, {
        inputs: { embeddings: tf.zeros([3, 2]), labels: tf.tensor1d([0, 1], 'int32') },
      }),
    ).toThrow(/batch of 3 but labels has 2/)
  })
})

describe('loss.contrastive forward', () => {
  it.each([
    // margin 1 (default): only d12 = 0.5176 < 1 pushes; d23 = 1 sits on the margin.
    [undefined, (1 + (1 - chord(30)) ** 2) / 6],
    // margin 0.5: no negative is closer than 0.5; the positive pair alone: 1² / 6.
    [0.5, 1 / 6],
    // margin 1.5: d02, d13 = √2 → (1.5 − √2)²; d12 → (1.5 − 0.5176)²; d23 = 1 → 0.5²;
    // d03 = 1.9319 > 1.5 → 0.
    [1.5, (1 + 2 * (1.5 - Math.SQRT2) ** 2 + (1.5 - chord(30)) ** 2 + 0.25) / 6],
  ])('margin %s → %f, the mean over the 6 pairs', (margin, expected) => {
    const result = run(margin === undefined ? {} : { margin })
    expect(result.lossShape).toEqual([])
    expect(result.loss).toBeCloseTo(expected, 5)
  })

  it('reports the mean positive and negative distances', () => {
    const result = run({})
    expect(result.positiveDistance).toBeCloseTo(1, 5)
    expect(result.negativeDistance).toBeCloseTo(
      (Math.SQRT2 + chord(150) + chord(30) + Math.SQRT2 + 1) / 5,
      5,
    )
  })

  it('gives 0 for a batch of one and pushes only when every label differs', () => {
    expect(run({}, { points: [[1, 2]], labels: [3] })).toMatchObject({
      loss: 0,
      positiveDistance: 0,
      negativeDistance: 0,
    })
    // Angles 0°, 30°, 180°: only d01 = 2·sin 15° is inside the margin 1; 3 pairs.
    const spread = { points: [onCircle(0), onCircle(30), onCircle(180)], labels: [0, 1, 2] }
    expect(run({}, spread).loss).toBeCloseTo((1 - chord(30)) ** 2 / 3, 5)
  })

  it('keeps the tensor count flat through forward and backward passes', () => {
    const embeddings = tf.tensor2d(MAIN.points)
    const labels = tf.tensor1d(MAIN.labels, 'int32')
    const source = tf.variable(embeddings.clone(), true)
    const before = tf.memory().numTensors
    runNode(tf, contrastiveLoss, { inputs: { embeddings, labels } }).dispose()
    // nodeGradients leaks its float copy of each input, so the tape is driven here directly.
    const node = buildNode(tf, contrastiveLoss, { inputs: { embeddings, labels } })
    const { value, grads } = tf.variableGrads(() => {
      const { outputs, metrics } = node.forward({ embeddings: source, labels })
      tf.dispose(Object.values(metrics))
      return outputs.loss as tf.Scalar
    }, [source])
    tf.dispose([value, ...Object.values(grads)])
    node.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([embeddings, labels, source])
  })
})

describe('loss.contrastive gradients', () => {
  it('are finite, non-zero and match finite differences', () => {
    const grad = gradients({ margin: 1.5 })
    expect(grad.flat().every(Number.isFinite)).toBe(true)
    expect(grad.flat().some((value) => Math.abs(value) > 1e-3)).toBe(true)
    const step = 1e-3
    MAIN.points.forEach((point, row) => {
      point.forEach((_, column) => {
        const shifted = (delta: number) => ({
          points: MAIN.points.map((other, index) =>
            index === row
              ? other.map((value, axis) => (axis === column ? value + delta : value))
              : other,
          ),
          labels: MAIN.labels,
        })
        const plus = run({ margin: 1.5 }, shifted(step)).loss ?? Number.NaN
        const minus = run({ margin: 1.5 }, shifted(-step)).loss ?? Number.NaN
        expect(grad[row]?.[column]).toBeCloseTo((plus - minus) / (2 * step), 2)
      })
    })
  })

  it('are finite at duplicate embeddings and zero for a batch of one', () => {
    const duplicates = { points: [onCircle(0), onCircle(0), onCircle(20)], labels: [0, 0, 1] }
    expect(gradients({}, duplicates).flat().every(Number.isFinite)).toBe(true)
    expect(gradients({}, { points: [[1, 2]], labels: [3] }).flat()).toEqual([0, 0])
  })
})
