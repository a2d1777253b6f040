import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { sphereFaceLoss } from './sphereFaceLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = {
  classes: 10,
  margin: 4,
  isLambdaAnnealed: true,
  lambdaStart: 1000,
  lambdaMin: 5,
  gamma: 0.12,
}
/** Pure A-Softmax (λ = 0), so the target logit is exactly ‖x‖·ψ(θ). */
const PURE = { isLambdaAnnealed: false }

/** Three class rows at 0°, 90° and 180°, of lengths 2, 3, 1: only their directions count. */
const ROWS = [
  [2, 0],
  [0, 3],
  [-1, 0],
]
const ROW_DEGREES = [0, 90, 180]
const rad = (degrees: number) => (degrees * Math.PI) / 180
/** A 2-D embedding at an angle; SphereFace keeps its length. */
const at = (degrees: number, length = 2) => [
  length * Math.cos(rad(degrees)),
  length * Math.sin(rad(degrees)),
]

/** −log softmax(logits)[label] in float64, the reference the float32 node is held to. */
function crossEntropy(logits: number[], label: number): number {
  const max = Math.max(...logits)
  const logSumExp = max + Math.log(logits.reduce((sum, logit) => sum + Math.exp(logit - max), 0))
  return logSumExp - (logits[label] ?? Number.NaN)
}

interface Sample {
  degrees: number
  label: number
  /** The target in cosine units, before × ‖x‖. */
  target: number
  length?: number
}

/** Expected loss by hand: ‖x‖·cos to every row, ‖x‖·target at the label, mean CE. */
function expectedLoss(samples: readonly Sample[]): number {
  const losses = samples.map(({ degrees, label, target, length = 2 }) => {
    const cos = ROW_DEGREES.map((row) => Math.cos(rad(degrees - row)))
    cos[label] = target
    return crossEntropy(
      cos.map((value) => value * length),
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
function runSphereFace(
  params: Record<string, unknown>,
  samples: readonly Pick<Sample, 'degrees' | 'label' | 'length'>[],
  step = 0,
) {
  const inputs = {
    embeddings: tf.tensor2d(samples.map(({ degrees, length }) => at(degrees, length))),
    labels: tf.tensor1d(
      samples.map(({ label }) => label),
      'int32',
    ),
  }
  const weights = { classWeights: tf.tensor2d(ROWS) }
  const run = runNode(tf, sphereFaceLoss, {
    params: { classes: 3, ...params },
    inputs,
    weights,
    step,
  })
  const loss = run.outputs.loss
  const outcome = {
    loss: loss?.dataSync()[0] ?? Number.NaN,
    shape: loss?.shape,
    lambda: run.metrics.lambda?.dataSync()[0] ?? Number.NaN,
    accuracy: run.metrics.accuracy?.dataSync()[0] ?? Number.NaN,
    meanTargetAngle: run.metrics.meanTargetAngle?.dataSync()[0] ?? Number.NaN,
  }
  run.dispose()
  tf.dispose([...Object.values(inputs), ...Object.values(weights)])
  return outcome
}

describe('loss.sphereFace shapes', () => {
  it.each([
    [{ embeddings: [512], labels: [] }, { outputs: { loss: [] } }],
    [{ embeddings: [2], labels: [] }, { outputs: { loss: [] } }],
  ])('%j', (inputs, result) => {
    expect(sphereFaceLoss.inferShapes(inputs, DEFAULTS)).toEqual(result)
  })

  it.each([
    [{ embeddings: [28, 28, 1], labels: [] }, 'embeddings', '[d]', '[28, 28, 1]'],
    [{ embeddings: [], labels: [] }, 'embeddings', '[d]', '[]'],
    [{ embeddings: [0], labels: [] }, 'embeddings', '[d] with d ≥ 1', '[0]'],
    [{ embeddings: [64], labels: [1] }, 'labels', '[]', '[1]'],
  ])('refuses %j at port %s', (inputs, port, expected, actual) => {
    expect(sphereFaceLoss.inferShapes(inputs, DEFAULTS)).toEqual({
      issues: [expect.objectContaining({ port, expected, actual })],
    })
  })

  it('counts classes·d parameters and 2·classes·d FLOPs', () => {
    expect(sphereFaceLoss.cost?.({ embeddings: [512], labels: [] }, DEFAULTS)).toEqual({
      parameters: 5120,
      flops: 10240,
    })
  })

  it('names a misshapen input in its error', () => {
    const inputs = { embeddings: tf.zeros([2, 4, 4]), labels: tf.tensor1d([0, 1], 'int32') }
    expect(() => runNode(tf, sphereFaceLoss, { inputs })).toThrow(
      /input embeddings: SphereFace takes one embedding vector.*expected \[d\], got \[4, 4\]/,
    )
    tf.dispose(Object.values(inputs))
  })

  it('refuses a margin outside 1..4', () => {
    const inputs = { embeddings: tf.ones([2, 8]), labels: tf.tensor1d([0, 1], 'int32') }
    expect(() => runNode(tf, sphereFaceLoss, { params: { margin: 5 }, inputs })).toThrow(
      /param margin must be at most 4/,
    )
    expect(() => runNode(tf, sphereFaceLoss, { params: { margin: 2.5 }, inputs })).toThrow(
      /param margin must be a whole number/,
    )
    tf.dispose(Object.values(inputs))
  })
})

describe('loss.sphereFace forward', () => {
  it.each([
    // θ, k = ⌊4θ/π⌋, ψ = (−1)ᵏ·cos 4θ − 2k
    [30, 0, -0.5],
    [60, 1, -1.5],
    [120, 2, -4.5],
    [150, 3, -5.5],
  ])('uses ψ at θ = %i° (k = %i, ψ = %d) for the target, m = 4', (degrees, _k, psi) => {
    const { loss, shape } = runSphereFace(PURE, [{ degrees, label: 0 }])
    expect(shape).toEqual([])
    expectNear(loss, expectedLoss([{ degrees, label: 0, target: psi }]))
  })

  it('keeps the embedding length: ‖x‖ scales every logit', () => {
    // θ = 60°, ψ = −1.5; at ‖x‖ = 0.5 and 5 the logits are 0.5·[−1.5, √3/2, −½] and 5·[…].
    for (const length of [0.5, 5]) {
      const { loss } = runSphereFace(PURE, [{ degrees: 60, label: 0, length }])
      expectNear(loss, expectedLoss([{ degrees: 60, label: 0, target: -1.5, length }]))
    }
  })

  it('is a softmax on normalised rows for m = 1, averaged over the batch', () => {
    const samples = [
      { degrees: 60, label: 0 },
      { degrees: 100, label: 1, length: 3 },
    ]
    const { loss } = runSphereFace({ ...PURE, margin: 1 }, samples)
    expectNear(
      loss,
      expectedLoss([
        { degrees: 60, label: 0, target: 0.5 },
        { degrees: 100, label: 1, target: Math.cos(rad(10)), length: 3 },
      ]),
    )
  })

  it.each([
    // step, λ = max(5, 1000/(1 + 0.12·step))
    [0, 1000],
    [100, 1000 / 13],
    [1000, 1000 / 121],
    [10_000, 5],
  ])('blends the target with λ annealed: step %i → λ = %d', (step, lambda) => {
    // θ = 60°: target = (λ·½ + ψ)/(1 + λ) with ψ = −1.5.
    const outcome = runSphereFace({}, [{ degrees: 60, label: 0 }], step)
    expect(outcome.lambda).toBeCloseTo(lambda, 3)
    const target = (lambda * 0.5 - 1.5) / (1 + lambda)
    expectNear(outcome.loss, expectedLoss([{ degrees: 60, label: 0, target }]))
  })

  it('keeps λ at λ start with γ = 0, never below λ min, and at 0 without annealing', () => {
    const params = { gamma: 0, lambdaStart: 2, lambdaMin: 0 }
    const fixed = runSphereFace(params, [{ degrees: 120, label: 0 }], 500)
    expect(fixed.lambda).toBeCloseTo(2, 6)
    // θ = 120°: (2·(−½) + (−4.5))/3.
    expectNear(fixed.loss, expectedLoss([{ degrees: 120, label: 0, target: -5.5 / 3 }]))
    expect(runSphereFace({ ...params, lambdaMin: 3 }, [{ degrees: 120, label: 0 }]).lambda).toBe(3)
    expect(runSphereFace(PURE, [{ degrees: 120, label: 0 }], 500).lambda).toBe(0)
  })

  it('stays finite for long embeddings at both extremes', () => {
    // ‖x‖ = 30 opposite its row: ψ(π − ε) ≈ −2m + 1 = −7, logits 30·[−7, 0, 1].
    expectNear(runSphereFace(PURE, [{ degrees: 180, label: 0, length: 30 }]).loss, 30 * 8, 1e-4)
    const onRow = runSphereFace(PURE, [{ degrees: 0, label: 0, length: 30 }]).loss
    expect(Number.isFinite(onRow)).toBe(true)
    expect(onRow).toBeGreaterThanOrEqual(0)
    expect(onRow).toBeLessThan(1e-6)
  })

  it('reports accuracy, the mean target angle and λ', () => {
    // 30° → class 0 (right); 150° → nearest row is 180° (wrong); 100° → class 1 (right).
    const outcome = runSphereFace(
      {},
      [
        { degrees: 30, label: 0 },
        { degrees: 150, label: 0 },
        { degrees: 100, label: 1 },
      ],
      100,
    )
    expect(outcome.accuracy).toBeCloseTo(2 / 3, 6)
    expect(outcome.meanTargetAngle).toBeCloseTo((30 + 150 + 10) / 3, 3)
    expect(outcome.lambda).toBeCloseTo(1000 / 13, 3)
  })
})

describe('loss.sphereFace gradients', () => {
  it('has finite, non-zero gradients for embeddings and classWeights', () => {
    const grads = nodeGradients(tf, sphereFaceLoss, {
      params: { classes: 5 },
      inputs: {
        embeddings: tf.randomNormal([6, 8], 0, 1, 'float32', 3),
        labels: tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32'),
      },
      step: 50,
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
    // x = [2, 0] on row 0, λ = 0: logits ‖x‖·z with z = [ψ(0) = 1, 0, −1] (cosines clamped,
    // so only ‖x‖ and row 1 carry gradient). dL/dx = ((p₀ − p₂) − 1)·x̂ + p₁·[0, 1] and
    // dL/dw₁ = ‖x‖·p₁·(x̂ − cos₁·ŵ₁)/‖w₁‖ = [2p₁/3, 0].
    const exps = [Math.exp(2), 1, Math.exp(-2)]
    const total = exps.reduce((sum, value) => sum + value, 0)
    const [p0, p1, p2] = exps.map((value) => value / total) as [number, number, number]
    const grads = nodeGradients(tf, sphereFaceLoss, {
      params: { classes: 3, ...PURE },
      inputs: { embeddings: tf.tensor2d([[2, 0]]), labels: tf.tensor1d([0], 'int32') },
      weights: { classWeights: tf.tensor2d(ROWS) },
      output: 'loss',
      wrt: ['embeddings', 'classWeights'],
    })
    const embeddings = grads.embeddings?.arraySync() as number[][]
    const classWeights = grads.classWeights?.arraySync() as number[][]
    expectNear(embeddings[0]?.[0] ?? Number.NaN, p0 - p2 - 1, 1e-4)
    expectNear(embeddings[0]?.[1] ?? Number.NaN, p1, 1e-4)
    expectNear(classWeights[1]?.[0] ?? Number.NaN, (2 * p1) / 3, 1e-4)
    expect(classWeights.flat().every(Number.isFinite)).toBe(true)
    tf.dispose(Object.values(grads))
  })

  it.each([
    ['pure ψ', PURE, 0],
    ['λ blend', {}, 100],
  ])('matches central differences in every sector (%s)', (_name, extra, step) => {
    // Targets at θ ≈ 11° (k = 0), 58° and 84° (k = 1), 101° (k = 2), 153° (k = 3).
    const points = [
      [1, 0.2],
      [0.6, 0.95],
      [0.9, 0.1],
      [-1, -0.2],
      [-1, 0.5],
    ]
    const labels = [0, 0, 1, 1, 0]
    const params = { classes: 3, ...extra }
    const lossAt = (embeddings: number[][]) => {
      const inputs = { embeddings: tf.tensor2d(embeddings), labels: tf.tensor1d(labels, 'int32') }
      const weights = { classWeights: tf.tensor2d(ROWS) }
      const run = runNode(tf, sphereFaceLoss, { params, inputs, weights, step })
      const value = run.outputs.loss?.dataSync()[0] ?? Number.NaN
      run.dispose()
      tf.dispose([...Object.values(inputs), ...Object.values(weights)])
      return value
    }
    const grads = nodeGradients(tf, sphereFaceLoss, {
      params,
      inputs: { embeddings: tf.tensor2d(points), labels: tf.tensor1d(labels, 'int32') },
      weights: { classWeights: tf.tensor2d(ROWS) },
      step,
      output: 'loss',
      wrt: ['embeddings'],
    })
    const analytic = grads.embeddings?.arraySync() as number[][]
    const delta = 1e-3
    points.forEach((point, row) => {
      point.forEach((_, column) => {
        const shifted = (by: number) =>
          points.map((p, r) => p.map((v, c) => (r === row && c === column ? v + by : v)))
        const numeric = (lossAt(shifted(delta)) - lossAt(shifted(-delta))) / (2 * delta)
        expect(Math.abs((analytic[row]?.[column] ?? Number.NaN) - numeric)).toBeLessThan(5e-3)
      })
    })
    tf.dispose(Object.values(grads))
  })
})

describe('loss.sphereFace memory', () => {
  it('keeps the tensor count flat over a forward pass and a gradient', () => {
    const before = tf.memory().numTensors
    runSphereFace({}, [
      { degrees: 60, label: 0 },
      { degrees: 150, label: 0 },
    ])
    const inputs = {
      embeddings: tf.tensor2d([at(60), at(0)]),
      labels: tf.tensor1d([0, 0], 'int32'),
    }
    const weights = { classWeights: tf.tensor2d(ROWS) }
    // Only classWeights: nodeGradients itself keeps one tensor per differentiated input (the
    // float copy behind its input variable), which is graph-core's to fix, not this node's.
    const grads = nodeGradients(tf, sphereFaceLoss, {
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
