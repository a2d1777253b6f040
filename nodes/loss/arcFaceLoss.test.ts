import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { arcFaceLoss } from './arcFaceLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = { classes: 10, scale: 64, margin: 0.5, isEasyMargin: false }

/** Three class rows at 0°, 90° and 180°, of lengths 2, 3, 1: only their directions count. */
const ROWS = [
  [2, 0],
  [0, 3],
  [-1, 0],
]
const ROW_DEGREES = [0, 90, 180]
const rad = (degrees: number) => (degrees * Math.PI) / 180
/** A 2-D embedding at an angle (length 2, which ArcFace ignores). */
const at = (degrees: number) => [2 * Math.cos(rad(degrees)), 2 * Math.sin(rad(degrees))]

/** −log softmax(logits)[label] in float64, the reference the float32 node is held to. */
function crossEntropy(logits: number[], label: number): number {
  const max = Math.max(...logits)
  const logSumExp = max + Math.log(logits.reduce((sum, logit) => sum + Math.exp(logit - max), 0))
  return logSumExp - (logits[label] ?? Number.NaN)
}

/**
 * The expected loss by hand: cosines of each embedding (at `degrees`) to the three rows, the
 * label's replaced by `target`, all × s, mean cross-entropy.
 */
function expectedLoss(
  samples: readonly { degrees: number; label: number; target: number }[],
  scale: number,
): number {
  const losses = samples.map(({ degrees, label, target }) => {
    const cos = ROW_DEGREES.map((row) => Math.cos(rad(degrees - row)))
    cos[label] = target
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
function runArcFace(params: Record<string, unknown>, degrees: number[], labels: number[]) {
  const inputs = {
    embeddings: tf.tensor2d(degrees.map(at)),
    labels: tf.tensor1d(labels, 'int32'),
  }
  const weights = { classWeights: tf.tensor2d(ROWS) }
  const run = runNode(tf, arcFaceLoss, { params: { classes: 3, ...params }, inputs, weights })
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

describe('loss.arcFace shapes', () => {
  it.each([
    [{ embeddings: [128], labels: [] }, { outputs: { loss: [] } }],
    [{ embeddings: [2], labels: [] }, { outputs: { loss: [] } }],
  ])('%j', (inputs, result) => {
    expect(arcFaceLoss.inferShapes(inputs, DEFAULTS)).toEqual(result)
  })

  it.each([
    [{ embeddings: [28, 28, 1], labels: [] }, 'embeddings', '[d]', '[28, 28, 1]'],
    [{ embeddings: [], labels: [] }, 'embeddings', '[d]', '[]'],
    [{ embeddings: [0], labels: [] }, 'embeddings', '[d] with d ≥ 1', '[0]'],
    [{ embeddings: [64], labels: [1] }, 'labels', '[]', '[1]'],
  ])('refuses %j at port %s', (inputs, port, expected, actual) => {
    expect(arcFaceLoss.inferShapes(inputs, DEFAULTS)).toEqual({
      issues: [expect.objectContaining({ port, expected, actual })],
    })
  })

  it('reports both ports when both are wrong', () => {
    const result = arcFaceLoss.inferShapes({ embeddings: [4, 4], labels: [2] }, DEFAULTS)
    expect('issues' in result && result.issues.map((issue) => issue.port)).toEqual([
      'embeddings',
      'labels',
    ])
  })

  it('counts classes·d parameters and 2·classes·d FLOPs', () => {
    expect(arcFaceLoss.cost?.({ embeddings: [128], labels: [] }, DEFAULTS)).toEqual({
      parameters: 1280,
      flops: 2560,
    })
  })

  it('names a misshapen input in its error', () => {
    const inputs = { embeddings: tf.zeros([2, 4, 4]), labels: tf.tensor1d([0, 1], 'int32') }
    expect(() => runNode(tf, arcFaceLoss, { inputs })).toThrow(
      /input embeddings: ArcFace takes one embedding vector.*expected \[d\], got \[4, 4\]/,
    )
    tf.dispose(Object.values(inputs))
  })

  it('creates classWeights [classes, d] and checks the defaults', () => {
    expect(arcFaceLoss.params.scale.default).toBe(64)
    expect(arcFaceLoss.params.margin.default).toBe(0.5)
    const inputs = { embeddings: tf.ones([2, 8]), labels: tf.tensor1d([0, 1], 'int32') }
    const run = runNode(tf, arcFaceLoss, { inputs })
    expect(run.variables.get('classWeights')?.shape).toEqual([10, 8])
    run.dispose()
    tf.dispose(Object.values(inputs))
  })
})

describe('loss.arcFace forward', () => {
  it('uses cos(θ + m) for the target, s = 64, m = 0.5 (θ = 60°)', () => {
    const { loss, shape } = runArcFace({}, [60], [0])
    expect(shape).toEqual([])
    // cos(60° + 0.5 rad) ≈ 0.0236 against cos 30° ≈ 0.866 and cos 120° = −0.5, all × 64.
    expectNear(loss, expectedLoss([{ degrees: 60, label: 0, target: Math.cos(rad(60) + 0.5) }], 64))
    expectNear(loss, 64 * (Math.sqrt(3) / 2 - Math.cos(rad(60) + 0.5)), 1e-4)
  })

  it.each([1, 2, 16])('scales every logit by s = %i', (scale) => {
    const { loss } = runArcFace({ scale }, [60], [0])
    expectNear(
      loss,
      expectedLoss([{ degrees: 60, label: 0, target: Math.cos(rad(60) + 0.5) }], scale),
    )
  })

  it('is a plain normalised softmax for m = 0', () => {
    const { loss } = runArcFace({ scale: 1, margin: 0 }, [60], [0])
    expectNear(loss, expectedLoss([{ degrees: 60, label: 0, target: 0.5 }], 1))
  })

  it('averages over the batch', () => {
    // Sample 2 sits 10° from its row (90°).
    const { loss } = runArcFace({ scale: 4 }, [60, 100], [0, 1])
    expectNear(
      loss,
      expectedLoss(
        [
          { degrees: 60, label: 0, target: Math.cos(rad(60) + 0.5) },
          { degrees: 100, label: 1, target: Math.cos(rad(10) + 0.5) },
        ],
        4,
      ),
    )
  })

  it('falls back to cos θ − m·sin m when θ > π − m', () => {
    // m = 0.6: π − m ≈ 145.6° < 150°, so −√3/2 − 0.6·sin 0.6 ≈ −1.2048, not cos(150° + 0.6) ≈ −0.997.
    const fallback = Math.cos(rad(150)) - 0.6 * Math.sin(0.6)
    const { loss } = runArcFace({ scale: 1, margin: 0.6 }, [150], [0])
    expectNear(loss, expectedLoss([{ degrees: 150, label: 0, target: fallback }], 1))
    expect(
      Math.abs(
        loss - expectedLoss([{ degrees: 150, label: 0, target: Math.cos(rad(150) + 0.6) }], 1),
      ),
    ).toBeGreaterThan(0.05)
  })

  it('keeps cos(θ + m) just inside the limit', () => {
    // m = 0.5: π − m ≈ 151.4° > 150°, so the target is cos(150° + 0.5 rad) ≈ −0.9997.
    const { loss } = runArcFace({ scale: 1 }, [150], [0])
    expectNear(
      loss,
      expectedLoss([{ degrees: 150, label: 0, target: Math.cos(rad(150) + 0.5) }], 1),
    )
  })

  it('applies the easy margin only where cos θ > 0', () => {
    const easy = { scale: 1, isEasyMargin: true }
    // θ = 120°: cos θ < 0, so the target stays cos 120° = −½.
    expectNear(
      runArcFace(easy, [120], [0]).loss,
      expectedLoss([{ degrees: 120, label: 0, target: -0.5 }], 1),
    )
    // θ = 60°: cos θ > 0, the margin applies.
    expectNear(
      runArcFace(easy, [60], [0]).loss,
      expectedLoss([{ degrees: 60, label: 0, target: Math.cos(rad(60) + 0.5) }], 1),
    )
    // θ = 150° with m = 0.6: no fallback subtraction either.
    expectNear(
      runArcFace({ ...easy, margin: 0.6 }, [150], [0]).loss,
      expectedLoss([{ degrees: 150, label: 0, target: Math.cos(rad(150)) }], 1),
    )
    // Without the easy margin, θ = 120° takes cos(120° + 0.5 rad).
    expectNear(
      runArcFace({ scale: 1 }, [120], [0]).loss,
      expectedLoss([{ degrees: 120, label: 0, target: Math.cos(rad(120) + 0.5) }], 1),
    )
  })

  it('stays finite with s = 64 at both extremes', () => {
    // Opposite its row: cos θ is clamped to −1 + 1e-7, fallback −1 − 0.5·sin 0.5; logits ±64.
    const opposite = runArcFace({}, [180], [0]).loss
    expectNear(opposite, 64 * (1 + 1 + 0.5 * Math.sin(0.5)), 1e-4)
    // On its row: the loss underflows towards 0 but stays a finite, non-negative number.
    const onRow = runArcFace({}, [0], [0]).loss
    expect(Number.isFinite(onRow)).toBe(true)
    expect(onRow).toBeGreaterThanOrEqual(0)
    expect(onRow).toBeLessThan(1e-6)
  })

  it('reports accuracy on unmargined cosines and the mean target angle in degrees', () => {
    // 30° → class 0 (right); 150° → nearest row is 180° (wrong); 100° → class 1 (right).
    const { accuracy, meanTargetAngle } = runArcFace({}, [30, 150, 100], [0, 0, 1])
    expect(accuracy).toBeCloseTo(2 / 3, 6)
    expect(meanTargetAngle).toBeCloseTo((30 + 150 + 10) / 3, 3)
  })
})

describe('loss.arcFace gradients', () => {
  it('has finite, non-zero gradients for embeddings and classWeights', () => {
    const grads = nodeGradients(tf, arcFaceLoss, {
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
    // x = [2, 0] on row 0. The target and row 2 (θ = 180°) are clamped, so only row 1 (cos 0)
    // moves the loss: dL/dcos₁ = s·p₁ with p₁ = 1/(e^{s·cos m} + 1 + e^{−s}), and
    // d cos₁/dx = (ŵ₁ − cos₁·x̂)/‖x‖ = [0, ½], d cos₁/dw₁ = (x̂ − cos₁·ŵ₁)/‖w₁‖ = [⅓, 0].
    const scale = 8
    const p1 = 1 / (Math.exp(scale * Math.cos(0.5)) + 1 + Math.exp(-scale))
    const grads = nodeGradients(tf, arcFaceLoss, {
      params: { classes: 3, scale },
      inputs: { embeddings: tf.tensor2d([[2, 0]]), labels: tf.tensor1d([0], 'int32') },
      weights: { classWeights: tf.tensor2d(ROWS) },
      output: 'loss',
      wrt: ['embeddings', 'classWeights'],
    })
    const embeddings = grads.embeddings?.arraySync() as number[][]
    const classWeights = grads.classWeights?.arraySync() as number[][]
    expect(embeddings[0]?.[0]).toBeCloseTo(0, 7)
    expectNear(embeddings[0]?.[1] ?? Number.NaN, scale * p1 * 0.5, 1e-3)
    expect(embeddings[0]?.[1]).toBeGreaterThan(0)
    expectNear(classWeights[1]?.[0] ?? Number.NaN, (scale * p1) / 3, 1e-3)
    expect(classWeights.flat().every(Number.isFinite)).toBe(true)
    tf.dispose(Object.values(grads))
  })

  it('stays finite just off the row and in the fallback region', () => {
    const grads = nodeGradients(tf, arcFaceLoss, {
      params: { classes: 3 },
      inputs: {
        embeddings: tf.tensor2d([
          [1, 1e-4],
          [-1, 1e-4],
          [-1, -0.3],
        ]),
        labels: tf.tensor1d([0, 0, 0], 'int32'),
      },
      weights: { classWeights: tf.tensor2d(ROWS) },
      output: 'loss',
      wrt: ['embeddings', 'classWeights'],
    })
    for (const grad of Object.values(grads)) {
      expect(grad.dataSync().every(Number.isFinite)).toBe(true)
      expect(grad.abs().sum().dataSync()[0]).toBeGreaterThan(0)
    }
    tf.dispose(Object.values(grads))
  })

  it('matches central differences in every branch', () => {
    // θ ≈ 30° (margin), θ ≈ 70° to row 2 (margin), θ ≈ 169° (fallback).
    const points = [
      [1.2, 0.7],
      [-0.4, 1.1],
      [-1, -0.2],
    ]
    const labels = [0, 2, 0]
    const params = { classes: 3, scale: 4 }
    const lossAt = (embeddings: number[][]) => {
      const inputs = { embeddings: tf.tensor2d(embeddings), labels: tf.tensor1d(labels, 'int32') }
      const weights = { classWeights: tf.tensor2d(ROWS) }
      const run = runNode(tf, arcFaceLoss, { params, inputs, weights })
      const value = run.outputs.loss?.dataSync()[0] ?? Number.NaN
      run.dispose()
      tf.dispose([...Object.values(inputs), ...Object.values(weights)])
      return value
    }
    const grads = nodeGradients(tf, arcFaceLoss, {
      params,
      inputs: { embeddings: tf.tensor2d(points), labels: tf.tensor1d(labels, 'int32') },
      weights: { classWeights: tf.tensor2d(ROWS) },
      output: 'loss',
      wrt: ['embeddings'],
    })
    const analytic = grads.embeddings?.arraySync() as number[][]
    const step = 1e-3
    points.forEach((point, row) => {
      point.forEach((_, column) => {
        const shifted = (delta: number) =>
          points.map((p, r) => p.map((v, c) => (r === row && c === column ? v + delta : v)))
        const numeric = (lossAt(shifted(step)) - lossAt(shifted(-step))) / (2 * step)
        expect(Math.abs((analytic[row]?.[column] ?? Number.NaN) - numeric)).toBeLessThan(5e-3)
      })
    })
    tf.dispose(Object.values(grads))
  })
})

describe('loss.arcFace memory', () => {
  it('keeps the tensor count flat over a forward pass and a gradient', () => {
    const before = tf.memory().numTensors
    runArcFace({}, [60, 150, 100], [0, 0, 1])
    const inputs = {
      embeddings: tf.tensor2d([at(60), at(0)]),
      labels: tf.tensor1d([0, 0], 'int32'),
    }
    const weights = { classWeights: tf.tensor2d(ROWS) }
    // Only classWeights: nodeGradients itself keeps one tensor per differentiated input (the
    // float copy behind its input variable), which is graph-core's to fix, not this node's.
    const grads = nodeGradients(tf, arcFaceLoss, {
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
