import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { cosFaceLoss } from './cosFaceLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = { classes: 10, scale: 64, margin: 0.35 }

/** Three class rows at 0°, 90° and 180°, of lengths 2, 3, 1: only their directions count. */
const ROWS = [
  [2, 0],
  [0, 3],
  [-1, 0],
]
const ROW_DEGREES = [0, 90, 180]
const rad = (degrees: number) => (degrees * Math.PI) / 180
/** A 2-D embedding at an angle (length 2, which CosFace ignores). */
const at = (degrees: number) => [2 * Math.cos(rad(degrees)), 2 * Math.sin(rad(degrees))]

/** −log softmax(logits)[label] in float64, the reference the float32 node is held to. */
function crossEntropy(logits: number[], label: number): number {
  const max = Math.max(...logits)
  const logSumExp = max + Math.log(logits.reduce((sum, logit) => sum + Math.exp(logit - max), 0))
  return logSumExp - (logits[label] ?? Number.NaN)
}

/** Expected loss by hand: cosines to the rows, cos θ − m at the label, all × s, mean CE. */
function expectedLoss(
  samples: readonly { degrees: number; label: number }[],
  scale: number,
  margin: number,
): number {
  const losses = samples.map(({ degrees, label }) => {
    const cos = ROW_DEGREES.map((row) => Math.cos(rad(degrees - row)))
    cos[label] = (cos[label] ?? Number.NaN) - margin
    return crossEntropy(
      cos.map((value) => value * scale),
      label,
    )
  })
  return losses.reduce((sum, value) => sum + value, 0) / losses.length
}

const expectNear = (actual: number, expected: number, tolerance = 1e-5) => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  )
}

/** One forward pass with the rows above; frees everything it made. */
function runCosFace(params: Record<string, unknown>, degrees: number[], labels: number[]) {
  const inputs = {
    embeddings: tf.tensor2d(degrees.map(at)),
    labels: tf.tensor1d(labels, 'int32'),
  }
  const weights = { classWeights: tf.tensor2d(ROWS) }
  const run = runNode(tf, cosFaceLoss, { params: { classes: 3, ...params }, inputs, weights })
  const loss = run.outputs.loss
  const outcome = {
    loss: loss?.dataSync()[0] ?? Number.NaN,
    shape: loss?.shape,
    accuracy: run.metrics.accuracy?.dataSync()[0] ?? Number.NaN,
    meanTargetAngle: run.metrics.meanTargetAngle?.dataSync()[0] ?? Number.NaN,
  }
  run.dispose()
  tf.dispose([...Object.values(inputs), ...Object.values(weights)])
  return outcome
}

describe('loss.cosFace shapes', () => {
  it.each([
    [{ embeddings: [128], labels: [] }, { outputs: { loss: [] } }],
    [{ embeddings: [2], labels: [] }, { outputs: { loss: [] } }],
  ])('%j', (inputs, result) => {
    expect(cosFaceLoss.inferShapes(inputs, DEFAULTS)).toEqual(result)
  })

  it.each([
    [{ embeddings: [28, 28, 1], labels: [] }, 'embeddings', '[d]', '[28, 28, 1]'],
    [{ embeddings: [], labels: [] }, 'embeddings', '[d]', '[]'],
    [{ embeddings: [0], labels: [] }, 'embeddings', '[d] with d ≥ 1', '[0]'],
    [{ embeddings: [64], labels: [1] }, 'labels', '[]', '[1]'],
  ])('refuses %j at port %s', (inputs, port, expected, actual) => {
    expect(cosFaceLoss.inferShapes(inputs, DEFAULTS)).toEqual({
      issues: [expect.objectContaining({ port, expected, actual })],
    })
  })

  it('counts classes·d parameters and 2·classes·d FLOPs', () => {
    expect(cosFaceLoss.cost?.({ embeddings: [512], labels: [] }, DEFAULTS)).toEqual({
      parameters: 5120,
      flops: 10240,
    })
  })

  it('names a misshapen input in its error', () => {
    const inputs = { embeddings: tf.zeros([2, 4, 4]), labels: tf.tensor1d([0, 1], 'int32') }
    expect(() => runNode(tf, cosFaceLoss, { inputs })).toThrow(
      /input embeddings: CosFace takes one embedding vector.*expected \[d\], got \[4, 4\]/,
    )
    tf.dispose(Object.values(inputs))
  })

  it('creates classWeights [classes, d] and has the insightface defaults', () => {
    expect(cosFaceLoss.params.scale.default).toBe(64)
    expect(cosFaceLoss.params.margin.default).toBe(0.35)
    const inputs = { embeddings: tf.ones([2, 8]), labels: tf.tensor1d([0, 1], 'int32') }
    const run = runNode(tf, cosFaceLoss, { inputs })
    expect(run.variables.get('classWeights')?.shape).toEqual([10, 8])
    run.dispose()
    tf.dispose(Object.values(inputs))
  })
})

describe('loss.cosFace forward', () => {
  it('subtracts m from the target cosine before scaling (s = 64, m = 0.35, θ = 60°)', () => {
    const { loss, shape } = runCosFace({}, [60], [0])
    expect(shape).toEqual([])
    // Logits 64·[0.5 − 0.35, cos 30°, cos 120°] = [9.6, 55.43, −32].
    expectNear(loss, expectedLoss([{ degrees: 60, label: 0 }], 64, 0.35))
    expectNear(loss, 64 * (Math.sqrt(3) / 2 - 0.15), 1e-4)
  })

  it.each([
    [1, 0.35],
    [4, 0.35],
    [4, 0],
    [16, 0.8],
  ])('matches the hand-computed loss for s = %d, m = %d', (scale, margin) => {
    const samples = [
      { degrees: 60, label: 0 },
      { degrees: 100, label: 1 },
      { degrees: 170, label: 0 },
    ]
    const { loss } = runCosFace(
      { scale, margin },
      samples.map((sample) => sample.degrees),
      samples.map((sample) => sample.label),
    )
    expectNear(loss, expectedLoss(samples, scale, margin))
  })

  it('stays finite with s = 64 at both extremes', () => {
    // Opposite its row: logits 64·[−1 − 0.35, 0, 1].
    expectNear(runCosFace({}, [180], [0]).loss, 64 * 2.35, 1e-4)
    const onRow = runCosFace({}, [0], [0]).loss
    expect(Number.isFinite(onRow)).toBe(true)
    expect(onRow).toBeGreaterThanOrEqual(0)
    expect(onRow).toBeLessThan(1e-6)
  })

  it('reports accuracy on unmargined cosines and the mean target angle in degrees', () => {
    // 30° → class 0 (right); 150° → nearest row is 180° (wrong); 100° → class 1 (right).
    const { accuracy, meanTargetAngle } = runCosFace({}, [30, 150, 100], [0, 0, 1])
    expect(accuracy).toBeCloseTo(2 / 3, 6)
    expect(meanTargetAngle).toBeCloseTo((30 + 150 + 10) / 3, 3)
  })
})

describe('loss.cosFace gradients', () => {
  it('has finite, non-zero gradients for embeddings and classWeights', () => {
    const grads = nodeGradients(tf, cosFaceLoss, {
      params: { classes: 5 },
      inputs: {
        embeddings: tf.randomNormal([6, 8], 0, 1, 'float32', 3),
        labels: tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32'),
      },
      output: 'loss',
      wrt: ['embeddings', 'classWeights'],
    })
    expect(grads.embeddings?.shape).toEqual([6, 8])
    expect(grads.classWeights?.shape).toEqual([5, 8])
    for (const grad of Object.values(grads)) {
      expect(grad.dataSync().every(Number.isFinite)).toBe(true)
      expect(grad.abs().sum().dataSync()[0]).toBeGreaterThan(0)
    }
    tf.dispose(Object.values(grads))
  })

  it('has the hand-computed gradient for an embedding exactly on its row (θ = 0)', () => {
    // x = [2, 0] on row 0: the target and row 2 are clamped, only row 1 (cos 0) moves the
    // loss: dL/dcos₁ = s·p₁, p₁ = 1/(e^{s(1 − m)} + 1 + e^{−s}); d cos₁/dx = [0, ½].
    const scale = 8
    const p1 = 1 / (Math.exp(scale * (1 - 0.35)) + 1 + Math.exp(-scale))
    const grads = nodeGradients(tf, cosFaceLoss, {
      params: { classes: 3, scale },
      inputs: { embeddings: tf.tensor2d([[2, 0]]), labels: tf.tensor1d([0], 'int32') },
      weights: { classWeights: tf.tensor2d(ROWS) },
      output: 'loss',
      wrt: ['embeddings', 'classWeights'],
    })
    const embeddings = grads.embeddings?.arraySync() as number[][]
    expect(embeddings[0]?.[0]).toBeCloseTo(0, 7)
    expectNear(embeddings[0]?.[1] ?? Number.NaN, scale * p1 * 0.5, 1e-3)
    expect(grads.classWeights?.dataSync().every(Number.isFinite)).toBe(true)
    expect(grads.classWeights?.abs().sum().dataSync()[0]).toBeGreaterThan(0)
    tf.dispose(Object.values(grads))
  })
})

describe('loss.cosFace memory', () => {
  it('keeps the tensor count flat over a forward pass and a gradient', () => {
    const before = tf.memory().numTensors
    runCosFace({}, [60, 150, 100], [0, 0, 1])
    const inputs = {
      embeddings: tf.tensor2d([at(60), at(0)]),
      labels: tf.tensor1d([0, 0], 'int32'),
    }
    const weights = { classWeights: tf.tensor2d(ROWS) }
    // Only classWeights: nodeGradients itself keeps one tensor per differentiated input (the
    // float copy behind its input variable), which is graph-core's to fix, not this node's.
    const grads = nodeGradients(tf, cosFaceLoss, {
      params: { classes: 3 },
      inputs,
      weights,
      output: 'loss',
      wrt: ['classWeights'],
    })
    tf.dispose([...Object.values(grads), ...Object.values(inputs), ...Object.values(weights)])
    expect(tf.memory().numTensors).toBe(before)
  })
})
