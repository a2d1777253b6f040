import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ForwardContext } from '../../graph-core/nodeDefinition'
import {
  angularLossCost,
  clampedAcos,
  COSINE_LIMIT,
  cosineToClassRows,
  cosOfMultipleAngle,
  inferAngularLossShapes,
  reportAngularMetrics,
  sphereFacePsi,
  targetValues,
  withTargets,
} from './angularMath'
import { oneHotFloat } from './tensorMath'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const close = (actual: number[] | number[][], expected: number[] | number[][], digits = 5) => {
  expect(actual.flat()).toHaveLength(expected.flat().length)
  actual.flat().forEach((value, index) => {
    expect(value).toBeCloseTo(expected.flat()[index] ?? Number.NaN, digits)
  })
}

const rad = (degrees: number) => (degrees * Math.PI) / 180
const SQRT3 = Math.sqrt(3)
/** The float32 value of the clamp limit, as tensors hold it. */
const LIMIT32 = Math.fround(COSINE_LIMIT)

describe('cosineToClassRows', () => {
  it('normalises both sides: rows at 0°, 90°, 180° and an embedding at 60°', () => {
    // Row lengths 2, 3, 1 and embedding length 2 must not matter.
    const cos = cosineToClassRows(
      tf,
      tf.tensor2d([
        [1, SQRT3],
        [0, 0],
      ]),
      tf.tensor2d([
        [2, 0],
        [0, 3],
        [-1, 0],
      ]),
    )
    close(cos.arraySync() as number[][], [
      [0.5, SQRT3 / 2, -0.5],
      [0, 0, 0],
    ])
  })

  it('clamps to ±(1 − 1e-7) on and opposite a row', () => {
    const cos = cosineToClassRows(
      tf,
      tf.tensor2d([[3, 4]]),
      tf.tensor2d([
        [0.6, 0.8],
        [-6, -8],
      ]),
    )
    expect(cos.arraySync()).toEqual([[LIMIT32, -LIMIT32]])
    expect(LIMIT32).toBeLessThan(1)
  })

  it('has finite gradients for an embedding exactly on a row', () => {
    const rows = tf.tensor2d([
      [1, 0],
      [0, 1],
    ])
    const grad = tf.grad((x: tf.Tensor) => tf.sum(cosineToClassRows(tf, x, rows)))(
      tf.tensor2d([[2, 0]]),
    )
    // Row 0 is clamped (no gradient); row 1 pulls along y: d cos/dx = (ŵ − cos·x̂)/‖x‖ = [0, ½].
    close(grad.arraySync() as number[][], [[0, 0.5]])
  })
})

describe('clampedAcos', () => {
  it('is acos inside the range and finite at and beyond ±1', () => {
    const theta = clampedAcos(tf, tf.tensor1d([0.5, 0, 1, -1, 1.5])).arraySync() as number[]
    close(theta.slice(0, 2), [Math.PI / 3, Math.PI / 2])
    // acos(1 − 1e-7) ≈ √(2e-7) ≈ 4.9e-4 rad: not exactly 0, never NaN.
    expect(theta[2]).toBeCloseTo(Math.acos(LIMIT32), 4)
    expect(theta[3]).toBeCloseTo(Math.PI - Math.acos(LIMIT32), 4)
    expect(theta[4]).toBeCloseTo(theta[2] ?? Number.NaN, 6)
  })

  it('has the slope −1/√(1 − c²) inside and 0 outside the clamp', () => {
    const grad = tf.grad((c: tf.Tensor) => tf.sum(clampedAcos(tf, c)))(tf.tensor1d([0.5, 1, -1, 2]))
    close(grad.arraySync() as number[], [-1 / Math.sqrt(0.75), 0, 0, 0])
  })
})

describe('one-hot helpers', () => {
  const values = () =>
    tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ])
  const labels = () => tf.tensor1d([2, 0], 'int32')

  it('picks and replaces each row’s label entry', () => {
    const oneHot = oneHotFloat(tf, labels(), 3)
    expect(oneHot.dtype).toBe('float32')
    expect(oneHot.arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ])
    expect(targetValues(tf, values(), oneHot).arraySync()).toEqual([3, 4])
    expect(withTargets(tf, values(), oneHot, tf.tensor1d([9, 8])).arraySync()).toEqual([
      [1, 2, 9],
      [8, 5, 6],
    ])
  })

  it('accepts float labels', () => {
    expect(oneHotFloat(tf, tf.tensor1d([1]), 2).arraySync()).toEqual([[0, 1]])
  })

  it('routes gradients: replaced entries to the targets, the rest to the values', () => {
    const oneHot = oneHotFloat(tf, labels(), 3)
    const [dValues, dTargets] = tf.grads((v: tf.Tensor, t: tf.Tensor) =>
      tf.sum(
        tf.mul(
          withTargets(tf, v, oneHot, t),
          tf.tensor2d([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ),
      ),
    )([values(), tf.tensor1d([0, 0])])
    expect(dValues?.arraySync()).toEqual([
      [1, 2, 0],
      [0, 5, 6],
    ])
    expect(dTargets?.arraySync()).toEqual([3, 4])
  })
})

describe('cosOfMultipleAngle', () => {
  const angles = [0, 0.3, 1, rad(60), 2, 3, Math.PI]

  it.each([0, 1, 2, 3, 4, 5])('equals cos(%iθ) on a grid of θ', (m) => {
    const c = tf.tensor1d(angles.map(Math.cos))
    close(
      cosOfMultipleAngle(tf, c, m).arraySync() as number[],
      angles.map((theta) => Math.cos(m * theta)),
    )
  })

  it('is the polynomial 8c⁴ − 8c² + 1 for m = 4, with a finite slope at c = ±1', () => {
    // c = ½: 8/16 − 8/4 + 1 = −½ = cos 240°. Slope 32c³ − 16c: ±16 at ±1, −4 at ½.
    const c = tf.tensor1d([0.5, 1, -1])
    close(cosOfMultipleAngle(tf, c, 4).arraySync() as number[], [-0.5, 1, 1])
    const slope = tf.grad((v: tf.Tensor) => tf.sum(cosOfMultipleAngle(tf, v, 4)))(c)
    close(slope.arraySync() as number[], [-4, 16, -16])
  })

  it('refuses a fractional m', () => {
    expect(() => cosOfMultipleAngle(tf, tf.tensor1d([0.5]), 1.5)).toThrow(/whole number/)
  })
})

describe('sphereFacePsi', () => {
  const psiAt = (degrees: number[], m: number) =>
    sphereFacePsi(tf, tf.tensor1d(degrees.map((d) => Math.cos(rad(d)))), m).arraySync() as number[]

  it('matches hand-computed values for m = 4 in every sector', () => {
    // 30°: k=0, cos 120° = −½. 60°: k=1, −cos 240° − 2 = −1.5. 120°: k=2, cos 480° − 4 = −4.5.
    // 150°: k=3, −cos 600° − 6 = −5.5. 0°: k=0, cos 0 = 1 (up to the clamp).
    close(psiAt([30, 60, 120, 150, 0], 4), [-0.5, -1.5, -4.5, -5.5, 1], 4)
  })

  it('is cos θ for m = 1 and matches the definition for m = 2, 3', () => {
    const degrees = [10, 50, 89, 91, 130, 179]
    close(
      psiAt(degrees, 1),
      degrees.map((d) => Math.cos(rad(d))),
    )
    for (const m of [2, 3]) {
      const expected = degrees.map((d) => {
        const k = Math.floor((m * rad(d)) / Math.PI)
        return (-1) ** k * Math.cos(m * rad(d)) - 2 * k
      })
      close(psiAt(degrees, m), expected, 4)
    }
  })

  it.each([1, 2, 3, 4])(
    'decreases over [0, π] and is continuous at the sector edges (m = %i)',
    (m) => {
      const degrees = Array.from({ length: 179 }, (_, i) => i + 0.5)
      const psi = psiAt(degrees, m)
      psi.slice(1).forEach((value, i) => {
        expect(value).toBeLessThan(psi[i] ?? Number.NaN)
      })
      for (let j = 1; j < m; j++) {
        const edge = 180 * (j / m)
        const [before, after] = psiAt([edge - 0.01, edge + 0.01], m)
        expect(Math.abs((before ?? Number.NaN) - (after ?? Number.NaN))).toBeLessThan(1e-3)
      }
    },
  )

  it('differentiates with k held constant', () => {
    // ψ = −cos 4θ − 2 on [45°, 90°]: dψ/dc = (4 sin 4θ)/(−sin θ) = 4 at 60°;
    // ψ = cos 4θ on [0°, 45°]: dψ/dc = 4 sin 4θ / sin θ = 4√3 at 30°.
    const slope = tf.grad((c: tf.Tensor) => tf.sum(sphereFacePsi(tf, c, 4)))(
      tf.tensor1d([0.5, SQRT3 / 2]),
    )
    close(slope.arraySync() as number[], [4, 4 * SQRT3], 3)
  })

  it('keeps the tensor count flat', () => {
    const c = tf.tensor1d([0.5, -0.3])
    const before = tf.memory().numTensors
    // No tidy: tf.grad must release the forward pass and the custom gradient's tensors itself.
    tf.grad((v: tf.Tensor) => tf.sum(sphereFacePsi(tf, v, 4)))(c).dispose()
    expect(tf.memory().numTensors).toBe(before)
    c.dispose()
  })
})

describe('reportAngularMetrics', () => {
  it('reports argmax accuracy and the mean angle to the own class in degrees', () => {
    const reported: Record<string, number> = {}
    const context: ForwardContext = {
      tf,
      split: 'train',
      step: 0,
      seed: 1,
      report: (name, value) => {
        reported[name] = value.dataSync()[0] ?? Number.NaN
      },
      afterStep: () => undefined,
    }
    // argmax per row: 0, 0, 1 against labels 0, 1, 0 → one right of three.
    const cos = tf.tensor2d([
      [0.5, 0.2],
      [0.3, 0],
      [-0.5, 0.1],
    ])
    const labels = tf.tensor1d([0, 1, 0], 'int32')
    reportAngularMetrics(context, cos, labels, tf.tensor1d([0.5, 0, -0.5]))
    expect(reported.accuracy).toBeCloseTo(1 / 3, 6)
    // acos ½, 0, −½ = 60°, 90°, 120°.
    expect(reported.meanTargetAngle).toBeCloseTo(90, 4)
  })
})

describe('shared shape rule and cost', () => {
  it.each([
    [{ embeddings: [128], labels: [] }, { outputs: { loss: [] } }],
    [{ embeddings: [1], labels: [] }, { outputs: { loss: [] } }],
  ])('%j', (inputs, result) => {
    expect(inferAngularLossShapes('ArcFace', inputs)).toEqual(result)
  })

  it('returns every problem, each naming its port', () => {
    expect(inferAngularLossShapes('CosFace', { embeddings: [7, 7], labels: [3] })).toEqual({
      issues: [
        expect.objectContaining({
          port: 'embeddings',
          message: expect.stringMatching(/^CosFace takes one embedding vector/) as unknown,
          expected: '[d]',
          actual: '[7, 7]',
        }),
        expect.objectContaining({ port: 'labels', expected: '[]', actual: '[3]' }),
      ],
    })
    expect(inferAngularLossShapes('ArcFace', { embeddings: [0], labels: [] })).toEqual({
      issues: [expect.objectContaining({ port: 'embeddings', actual: '[0]' })],
    })
  })

  it('counts classes·d parameters and 2·classes·d FLOPs', () => {
    expect(angularLossCost({ embeddings: [128], labels: [] }, { classes: 10 })).toEqual({
      parameters: 1280,
      flops: 2560,
    })
  })
})
