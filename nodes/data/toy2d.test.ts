import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runNode } from '../../graph-core/runNode'
import {
  gridCentres,
  MOON_CENTRES,
  MOON_SCALE,
  ringCentres,
  TOY2D_MODES,
  toy2d,
  type Toy2dDistribution,
} from './toy2d'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const DISTRIBUTIONS: Toy2dDistribution[] = ['ring', 'grid', 'spiral', 'moons']

/** One batch as plain arrays: points [n, 2] and labels [n]. */
function draw(params: Record<string, unknown>, seed = 1): { points: number[][]; labels: number[] } {
  const run = runNode(tf, toy2d, { params, inputs: {}, seed })
  expect(run.outputs.labels?.dtype).toBe('int32')
  const points = run.outputs.points?.arraySync() as number[][]
  const labels = run.outputs.labels?.arraySync() as number[]
  run.dispose()
  return { points, labels }
}

/** A point's coordinates; NaN for a missing one, so a short row fails the checks. */
const xy = (point: readonly number[] | undefined): [number, number] => [
  point?.[0] ?? Number.NaN,
  point?.[1] ?? Number.NaN,
]

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length

/** Population standard deviation. */
function std(values: readonly number[]): number {
  const centre = mean(values)
  return Math.sqrt(mean(values.map((value) => (value - centre) ** 2)))
}

/** Index of the centre nearest to a point. */
function nearest(point: readonly number[], centres: readonly (readonly number[])[]): number {
  const [x, y] = xy(point)
  const distances = centres.map((centre) => Math.hypot(x - xy(centre)[0], y - xy(centre)[1]))
  return distances.indexOf(Math.min(...distances))
}

describe('data.toy2d shapes and data info', () => {
  it.each(DISTRIBUTIONS)('%s gives a point [2] and a label [] per sample', (distribution) => {
    expect(toy2d.inferShapes({}, { distribution, spread: 0.05, batchSize: 128 })).toEqual({
      outputs: { points: [2], labels: [] },
    })
  })

  it.each([
    ['ring', 8],
    ['grid', 25],
    ['spiral', 1],
    ['moons', 2],
  ] as const)('%s has %d classes, equally likely', (distribution, classes) => {
    expect(toy2d.dataInfo?.({ distribution, spread: 0.05, batchSize: 100 })).toEqual({
      classes,
      samplesPerClassPerBatch: 100 / classes,
    })
  })
})

describe('data.toy2d samples', () => {
  it('lays the ring on a circle of radius 2 and the grid on {−2, …, 2}²', () => {
    expect(ringCentres()).toHaveLength(8)
    expect(xy(ringCentres()[0])[0]).toBeCloseTo(2, 6) // angle 0
    expect(xy(ringCentres()[2])[1]).toBeCloseTo(2, 6) // angle π/2
    for (const [x, y] of ringCentres()) expect(Math.hypot(x, y)).toBeCloseTo(2, 6)
    expect(gridCentres()).toHaveLength(25)
    expect(gridCentres()[0]).toEqual([-2, -2])
    expect(gridCentres()[7]).toEqual([0, -1]) // label 5·row + column: row 1 (y = −1), column 2
    expect(gridCentres()[24]).toEqual([2, 2])
  })

  it.each([
    ['ring', ringCentres()],
    ['grid', gridCentres()],
  ] as const)(
    '%s: points cluster around their mode with σ = spread, labels name the nearest mode',
    (distribution, centres) => {
      const spread = 0.1
      const { points, labels } = draw({ distribution, spread, batchSize: 4096 })
      const residuals: number[][] = [[], []]
      const counts = new Array<number>(centres.length).fill(0)
      labels.forEach((label, row) => {
        const [x, y] = xy(points[row])
        const [cx, cy] = xy(centres[label])
        residuals[0]?.push(x - cx)
        residuals[1]?.push(y - cy)
        counts[label] = (counts[label] ?? 0) + 1
        // modes are ≥ 1 apart: at σ = 0.1 a point is nearest its own mode
        expect(nearest([x, y], centres)).toBe(label)
      })
      for (const axis of residuals) {
        expect(Math.abs(mean(axis))).toBeLessThan(0.01)
        expect(std(axis)).toBeGreaterThan(spread * 0.95)
        expect(std(axis)).toBeLessThan(spread * 1.05)
      }
      // every mode is drawn about equally often
      const expected = 4096 / centres.length
      for (const count of counts) {
        expect(count).toBeGreaterThan(expected * 0.6)
        expect(count).toBeLessThan(expected * 1.4)
      }
    },
  )

  it('draws the spiral on r = 2t, θ = 3πt, all labelled 0', () => {
    const { points, labels } = draw({ distribution: 'spiral', spread: 0, batchSize: 512 })
    expect(new Set(labels)).toEqual(new Set([0]))
    let maxRadius = 0
    for (const point of points) {
      const [x, y] = xy(point)
      const radius = Math.hypot(x, y)
      const angle = 1.5 * Math.PI * radius // θ = 3πt with t = r / 2
      expect(x).toBeCloseTo(radius * Math.cos(angle), 4)
      expect(y).toBeCloseTo(radius * Math.sin(angle), 4)
      maxRadius = Math.max(maxRadius, radius)
    }
    expect(maxRadius).toBeGreaterThan(1.9)
    expect(maxRadius).toBeLessThanOrEqual(2 + 1e-5)
  })

  it('draws two moons: half circles of radius 4/3, outer one up (label 0), inner down', () => {
    const clean = draw({ distribution: 'moons', spread: 0, batchSize: 1024 })
    expect(new Set(clean.labels)).toEqual(new Set([0, 1]))
    clean.labels.forEach((label, row) => {
      const [x, y] = xy(clean.points[row])
      const [cx, cy] = xy(MOON_CENTRES[label])
      const dx = x - cx
      const dy = y - cy
      expect(Math.hypot(dx, dy)).toBeCloseTo(MOON_SCALE, 4)
      if (label === 0) expect(dy).toBeGreaterThanOrEqual(-1e-5)
      else expect(dy).toBeLessThanOrEqual(1e-5)
    })
    const xs = clean.points.map((point) => xy(point)[0])
    expect(Math.min(...xs)).toBeGreaterThan(-2 - 1e-5)
    expect(Math.max(...xs)).toBeLessThan(2 + 1e-5)

    const spread = 0.05
    const noisy = draw({ distribution: 'moons', spread, batchSize: 4096 })
    const radial = noisy.labels.map((label, row) => {
      const [x, y] = xy(noisy.points[row])
      const [cx, cy] = xy(MOON_CENTRES[label])
      return Math.hypot(x - cx, y - cy) - MOON_SCALE
    })
    // the radial part of isotropic noise has σ = spread (curvature adds a little)
    expect(std(radial)).toBeGreaterThan(spread * 0.9)
    expect(std(radial)).toBeLessThan(spread * 1.1)
  })

  it.each(DISTRIBUTIONS)('%s: labels lie in [0, modes) and batches have batchSize rows', (d) => {
    const { points, labels } = draw({ distribution: d, batchSize: 37 })
    expect(points).toHaveLength(37)
    expect(labels).toHaveLength(37)
    for (const label of labels) {
      expect(label).toBeGreaterThanOrEqual(0)
      expect(label).toBeLessThan(TOY2D_MODES[d])
    }
  })

  it.each(DISTRIBUTIONS)('%s is reproducible for a seed and new for another', (distribution) => {
    const params = { distribution, batchSize: 16 }
    expect(draw(params, 3)).toEqual(draw(params, 3))
    expect(draw(params, 3).points).not.toEqual(draw(params, 4).points)
  })

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors
    for (const distribution of DISTRIBUTIONS) {
      runNode(tf, toy2d, { params: { distribution }, inputs: {} }).dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
  })
})
