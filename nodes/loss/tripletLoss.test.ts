import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNode, nodeGradients, runNode } from '../../graph-core/runNode'
import { tripletLoss } from './tripletLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DEFAULTS = {
  margin: 0.5,
  mining: 'all',
  curriculumStep: 1000,
  reduction: 'mean',
} as const

const degrees = (angle: number) => (angle * Math.PI) / 180
/** A point at `angle` degrees on the circle of radius `radius` (normalised away inside). */
const onCircle = (angle: number, radius = 1) => [
  radius * Math.cos(degrees(angle)),
  radius * Math.sin(degrees(angle)),
]
/** Distance between unit vectors `angle` degrees apart: the chord 2·sin(angle/2). */
const chord = (angle: number) => 2 * Math.sin(degrees(angle) / 2)

/*
 * The main batch: angles 0°, 60°, 90°, 150° with radii 2, 0.5, 3, 1 (normalisation removes
 * them) and labels 0, 0, 1, 2. Distances: d01 = 1, d02 = √2, d03 = 2·sin 75° ≈ 1.9319,
 * d12 = 2·sin 15° ≈ 0.5176, d13 = √2. The valid triplets (a, p, n), margin 0.5:
 *   (0,1,2): d(a,n) − d(a,p) = √2 − 1 ≈ 0.414 ∈ (0, 0.5]  semi-hard, ℓ = 1.5 − √2 ≈ 0.0858
 *   (0,1,3): 1.9319 − 1 = 0.932 > 0.5                    easy,      ℓ = 0
 *   (1,0,2): 0.5176 − 1 = −0.482 ≤ 0                     hard,      ℓ = 1.5 − 0.5176 ≈ 0.9824
 *   (1,0,3): √2 − 1 ≈ 0.414                              semi-hard, ℓ = 1.5 − √2 ≈ 0.0858
 * Samples 2 and 3 are alone in their class, so they anchor nothing.
 */
const MAIN = {
  points: [onCircle(0, 2), onCircle(60, 0.5), onCircle(90, 3), onCircle(150)],
  labels: [0, 0, 1, 2],
}
const SEMI = 1.5 - Math.SQRT2 // triplets (0,1,2) and (1,0,3)
const HARD = 1.5 - chord(30) // triplet (1,0,2)

function run(
  params: Partial<Record<keyof typeof DEFAULTS, unknown>>,
  batch: { points: number[][]; labels: number[] } = MAIN,
  step = 0,
) {
  const result = runNode(tf, tripletLoss, {
    params,
    step,
    inputs: { embeddings: tf.tensor2d(batch.points), labels: tf.tensor1d(batch.labels, 'int32') },
  })
  const metric = (name: string) => result.metrics[name]?.dataSync()[0]
  const values = {
    loss: result.outputs.loss?.dataSync()[0],
    lossShape: result.outputs.loss?.shape,
    easy: metric('easyFraction'),
    semiHard: metric('semiHardFraction'),
    hard: metric('hardFraction'),
    mined: metric('minedTriplets'),
  }
  result.dispose()
  return values
}

function gradients(
  params: Partial<Record<keyof typeof DEFAULTS, unknown>>,
  batch: { points: number[][]; labels: number[] } = MAIN,
) {
  const grads = nodeGradients(tf, tripletLoss, {
    params,
    inputs: { embeddings: tf.tensor2d(batch.points), labels: tf.tensor1d(batch.labels, 'int32') },
    output: 'loss',
    wrt: ['embeddings'],
  })
  const values = grads.embeddings?.arraySync() as number[][]
  tf.dispose(Object.values(grads))
  return values
}

describe('loss.triplet shapes', () => {
  it.each([[{ embeddings: [128], labels: [] }], [{ embeddings: [2], labels: [] }]])(
    '%j gives a scalar loss',
    (inputs) => {
      expect(tripletLoss.inferShapes(inputs, DEFAULTS)).toEqual({ outputs: { loss: [] } })
    },
  )

  it.each([
    [{ embeddings: [28, 28, 1], labels: [] }, ['embeddings'], '[d]', '[28, 28, 1]'],
    [{ embeddings: [], labels: [] }, ['embeddings'], '[d]', '[]'],
    [{ embeddings: [0], labels: [] }, ['embeddings'], '[d]', '[0]'],
    [{ embeddings: [16], labels: [1] }, ['labels'], '[]', '[1]'],
    [{ embeddings: [4, 4], labels: [3] }, ['embeddings', 'labels'], '[d]', '[4, 4]'],
  ])('%j is refused on %j', (inputs, ports, expected, actual) => {
    const result = tripletLoss.inferShapes(inputs, DEFAULTS)
    if (!('issues' in result)) throw new Error('expected issues')
    expect(result.issues.map((issue) => issue.port)).toEqual(ports)
    expect(result.issues[0]).toMatchObject({ expected, actual })
  })

  it('names the port and the fix when run on images', () => {
    expect(() =>
      runNode(tf, tripletLoss, {
        inputs: { embeddings: tf.zeros([2, 4, 4]), labels: tf.tensor1d([0, 1], 'int32') },
      }),
    ).toThrow(/input embeddings: .*embedding head.*expected \[d\], got \[4, 4\]/)
  })

  it('refuses labels whose batch differs from the embeddings', () => {
    expect(() =>
      runNode(tf, tripletLoss, {
        inputs: { embeddings: tf.zeros([3, 2]), labels: tf.tensor1d([0, 1], 'int32') },
      }),
    ).toThrow(/batch of 3 but labels has 2/)
  })
})

describe('loss.triplet forward', () => {
  it('gives a scalar', () => {
    expect(run({}).lossShape).toEqual([])
  })

  it.each([
    // all: the four valid triplets; their losses are SEMI, 0, HARD, SEMI.
    ['all', 'mean', (2 * SEMI + HARD) / 4, 4],
    ['all', 'meanNonZero', (2 * SEMI + HARD) / 3, 4],
    ['all', 'sum', 2 * SEMI + HARD, 4],
    // semiHard: (0,1,2) and (1,0,3).
    ['semiHard', 'mean', SEMI, 2],
    ['semiHard', 'meanNonZero', SEMI, 2],
    ['semiHard', 'sum', 2 * SEMI, 2],
    // hard: (1,0,2) only.
    ['hard', 'mean', HARD, 1],
    ['hard', 'meanNonZero', HARD, 1],
    ['hard', 'sum', HARD, 1],
    // batchHard: anchor 0 → positive 1, nearest negative 2 (√2 < 1.93): (0,1,2);
    // anchor 1 → positive 0, nearest negative 2 (0.5176 < √2): (1,0,2).
    ['batchHard', 'mean', (SEMI + HARD) / 2, 2],
    ['batchHard', 'meanNonZero', (SEMI + HARD) / 2, 2],
    ['batchHard', 'sum', SEMI + HARD, 2],
  ])('mining %s, reduction %s → %f from %i triplets', (mining, reduction, expected, mined) => {
    const result = run({ mining, reduction })
    expect(result.loss).toBeCloseTo(expected, 4)
    expect(result.mined).toBe(mined)
  })

  it('reports the kinds among all valid triplets, whatever the mining', () => {
    // 1 easy, 2 semi-hard, 1 hard among 4 (see MAIN).
    for (const mining of ['all', 'hard', 'batchHard']) {
      expect(run({ mining })).toMatchObject({ easy: 0.25, semiHard: 0.5, hard: 0.25 })
    }
  })

  it('takes the farthest positive and the nearest negative per anchor in batchHard', () => {
    /*
     * Angles 0°, 60°, 90° (label 0) and 120° (label 1), margin 0.5:
     *   anchor 0: positives d01 = 1, d02 = √2 → p = 2; negative d03 = √3:   ℓ = √2 − √3 + 0.5
     *   anchor 1: positives d10 = 1, d12 = 2·sin 15° → p = 0; d13 = 1:      ℓ = 0.5
     *   anchor 2: positives d20 = √2, d21 = 2·sin 15° → p = 0; d23 = 2·sin 15°:
     *             ℓ = √2 − 2·sin 15° + 0.5
     * The nearest positives instead would give 0, 2·sin 15° − 0.5, 0.5 (mean ≈ 0.17).
     */
    const batch = {
      points: [onCircle(0), onCircle(60), onCircle(90), onCircle(120)],
      labels: [0, 0, 0, 1],
    }
    const losses = [Math.SQRT2 - Math.sqrt(3) + 0.5, 0.5, Math.SQRT2 - chord(30) + 0.5]
    const sum = losses.reduce((total, value) => total + value, 0)
    const result = run({ mining: 'batchHard', reduction: 'mean' }, batch)
    expect(result.loss).toBeCloseTo(sum / 3, 4)
    expect(result.mined).toBe(3)
    expect(run({ mining: 'batchHard', reduction: 'sum' }, batch).loss).toBeCloseTo(sum, 4)
  })

  it('mines semi-hard triplets before curriculumStep and hard ones from it', () => {
    expect(run({ mining: 'curriculum' }, MAIN, 0).loss).toBeCloseTo(SEMI, 4)
    expect(run({ mining: 'curriculum' }, MAIN, 999).loss).toBeCloseTo(SEMI, 4)
    expect(run({ mining: 'curriculum' }, MAIN, 1000).loss).toBeCloseTo(HARD, 4)
    expect(run({ mining: 'curriculum', curriculumStep: 10 }, MAIN, 10).mined).toBe(1)
  })

  it('scales with the margin', () => {
    // margin 1: (0,1,2) → 2 − √2, (0,1,3) → 2 − 1.9319, (1,0,2) → 2 − 0.5176, (1,0,3) → 2 − √2
    const expected = (2 - Math.SQRT2 + 2 - chord(150) + 2 - chord(30) + 2 - Math.SQRT2) / 4
    const result = run({ mining: 'all', margin: 1 })
    expect(result.loss).toBeCloseTo(expected, 4)
    // The kinds move with the margin: the gaps 0.414 and 0.932 are now both semi-hard.
    expect(result).toMatchObject({ easy: 0, semiHard: 0.75, hard: 0.25 })
  })

  it('counts collapsed embeddings as hard triplets with loss = margin', () => {
    // Every distance is 0, so d(a,n) = d(a,p): hard (d(a,n) ≤ d(a,p)), loss 0 − 0 + 0.5.
    const collapsed = { points: [onCircle(0), onCircle(0), onCircle(0)], labels: [0, 0, 1] }
    expect(run({ mining: 'hard' }, collapsed)).toMatchObject({ loss: 0.5, hard: 1, mined: 2 })
    expect(run({ mining: 'semiHard' }, collapsed)).toMatchObject({ loss: 0, mined: 0 })
  })

  it('leaves mined triplets with a loss of exactly 0 out of meanNonZero', () => {
    /*
     * (1, 0), (0, 1) with label 0 and the same two points with label 1, margin 0. Each anchor
     * has d(a,p) = √2 and one negative at 0 (gap −√2, ℓ = √2) and one at √2 (gap 0, ℓ = 0).
     * All 8 triplets are hard (d(a,n) ≤ d(a,p)); 4 of them have a positive loss.
     */
    const ties = {
      points: [onCircle(0), onCircle(90), onCircle(0), onCircle(90)],
      labels: [0, 0, 1, 1],
    }
    const params = { mining: 'hard', margin: 0 }
    expect(run({ ...params, reduction: 'mean' }, ties).loss).toBeCloseTo(Math.SQRT2 / 2, 5)
    expect(run({ ...params, reduction: 'meanNonZero' }, ties).loss).toBeCloseTo(Math.SQRT2, 5)
    expect(run({ ...params, reduction: 'meanNonZero' }, ties).mined).toBe(8)
  })

  it.each([
    ['every label distinct', [0, 1, 2, 3]],
    ['one label only', [5, 5, 5, 5]],
  ])('returns 0, not NaN, when no triplet exists (%s)', (_, labels) => {
    for (const mining of ['all', 'semiHard', 'hard', 'batchHard']) {
      for (const reduction of ['mean', 'meanNonZero', 'sum']) {
        const result = run({ mining, reduction }, { points: MAIN.points, labels })
        expect(result).toMatchObject({ loss: 0, mined: 0, easy: 0, semiHard: 0, hard: 0 })
      }
    }
  })

  it('returns 0 when triplets exist but none is mined', () => {
    // Angles 0°, 10° (label 0) and 180° (label 1): every triplet is easy.
    const easy = { points: [onCircle(0), onCircle(10), onCircle(180)], labels: [0, 0, 1] }
    expect(run({ mining: 'semiHard' }, easy)).toMatchObject({ loss: 0, mined: 0, easy: 1 })
    expect(gradients({ mining: 'semiHard' }, easy).flat()).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('keeps the tensor count flat through forward and backward passes', () => {
    const embeddings = tf.tensor2d(MAIN.points)
    const labels = tf.tensor1d(MAIN.labels, 'int32')
    const source = tf.variable(embeddings.clone(), true)
    const before = tf.memory().numTensors
    for (const mining of ['all', 'semiHard', 'batchHard', 'curriculum']) {
      runNode(tf, tripletLoss, {
        params: { mining, reduction: 'meanNonZero' },
        inputs: { embeddings, labels },
      }).dispose()
      // buildNode + variableGrads rather than nodeGradients, which itself leaks one tensor per
      // call (its float copy of each differentiated input).
      const node = buildNode(tf, tripletLoss, {
        params: { mining },
        inputs: { embeddings, labels },
      })
      const { value, grads } = tf.variableGrads(() => {
        const { outputs, metrics } = node.forward({ embeddings: source, labels })
        tf.dispose(Object.values(metrics))
        return outputs.loss as tf.Scalar
      }, [source])
      tf.dispose([value, ...Object.values(grads)])
      node.dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([embeddings, labels, source])
  })
})

describe('loss.triplet gradients', () => {
  it.each(['all', 'semiHard', 'hard', 'batchHard', 'curriculum'])(
    'are finite and non-zero with %s mining',
    (mining) => {
      for (const reduction of ['mean', 'meanNonZero', 'sum']) {
        const grad = gradients({ mining, reduction }).flat()
        expect(grad).toHaveLength(8)
        expect(grad.every(Number.isFinite)).toBe(true)
        expect(grad.some((value) => Math.abs(value) > 1e-3)).toBe(true)
      }
    },
  )

  it('match finite differences of the loss', () => {
    const step = 1e-3
    for (const mining of ['all', 'batchHard']) {
      const grad = gradients({ mining })
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
          const plus = run({ mining }, shifted(step)).loss ?? Number.NaN
          const minus = run({ mining }, shifted(-step)).loss ?? Number.NaN
          expect(grad[row]?.[column]).toBeCloseTo((plus - minus) / (2 * step), 2)
        })
      })
    }
  })

  it('is exactly zero when nothing is mined, and finite at duplicate embeddings', () => {
    expect(gradients({}, { points: MAIN.points, labels: [0, 1, 2, 3] }).flat()).toEqual(
      Array<number>(8).fill(0),
    )
    const duplicates = { points: [onCircle(0), onCircle(0), onCircle(30)], labels: [0, 0, 1] }
    expect(gradients({ mining: 'all' }, duplicates).flat().every(Number.isFinite)).toBe(true)
  })
})
