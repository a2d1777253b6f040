import { seedFor } from '../../graph-core/initializers'
import { defineNode, ok, type Tensor, type Tf } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'

/** The four toy distributions, for the choice param and the tests. */
export type Toy2dDistribution = 'ring' | 'grid' | 'spiral' | 'moons'

/** Radius of the ring and half-width of the grid: every distribution spans about [−2, 2]². */
export const TOY2D_RADIUS = 2

/** Turns of the spiral arm (θ runs over [0, 3π]). */
const SPIRAL_TURNS = 1.5

/** Mode centres of the ring: 8 Gaussians at angles 2πk/8 on a circle of radius 2, row k = label k. */
export function ringCentres(): [number, number][] {
  return Array.from({ length: 8 }, (_, k) => {
    const angle = (2 * Math.PI * k) / 8
    return [TOY2D_RADIUS * Math.cos(angle), TOY2D_RADIUS * Math.sin(angle)]
  })
}

/** Mode centres of the grid: 5 × 5 at {−2, −1, 0, 1, 2}², label 5·row + column, row = y. */
export function gridCentres(): [number, number][] {
  return Array.from({ length: 25 }, (_, k) => [(k % 5) - 2, Math.floor(k / 5) - 2])
}

/** The moons are scaled by 4/3 so they span [−2, 2] horizontally like the ring and the grid. */
export const MOON_SCALE = 4 / 3

/**
 * Centres of the two moons, row = label. The moons are drawn as scikit-learn's `make_moons`
 * does (outer arc (cos θ, sin θ), inner arc (1 − cos θ, ½ − sin θ), θ ∈ [0, π]), then centred
 * on the origin and scaled by 4/3: each is a half circle of radius 4/3 around its centre here,
 * the outer (label 0) the upper half and the inner (label 1) the lower half.
 */
export const MOON_CENTRES: readonly [number, number][] = [
  [(0 - 0.5) * MOON_SCALE, (0 - 0.25) * MOON_SCALE],
  [(1 - 0.5) * MOON_SCALE, (0.5 - 0.25) * MOON_SCALE],
]

/** Number of modes (= label values) of each distribution; the spiral is one arm, one mode. */
export const TOY2D_MODES: Readonly<Record<Toy2dDistribution, number>> = {
  ring: 8,
  grid: 25,
  spiral: 1,
  moons: 2,
}

/** `count` mode indices drawn uniformly from [0, modes), int32 [count]. */
function drawModes(tf: Tf, count: number, modes: number, seed: number): Tensor {
  const uniform = tf.randomUniform([count], 0, modes, 'float32', seed)
  // randomUniform excludes its maximum, but clip anyway so a rounding never leaves the table
  return tf.cast(tf.clipByValue(tf.floor(uniform), 0, modes - 1), 'int32')
}

/** Points on the noise-free arm of the spiral, [count, 2]: r = 2t, θ = 3πt, t = √u. */
function spiralArm(tf: Tf, count: number, seed: number): Tensor {
  // t = √u with u uniform puts points about evenly along the arm (its length grows as t²)
  const t = tf.sqrt(tf.randomUniform([count], 0, 1, 'float32', seed)) // [count]
  const radius = tf.mul(t, TOY2D_RADIUS)
  const angle = tf.mul(t, 2 * Math.PI * SPIRAL_TURNS)
  return tf.stack([tf.mul(radius, tf.cos(angle)), tf.mul(radius, tf.sin(angle))], 1)
}

/** Points on the noise-free moons, [count, 2], outer arc where the label is 0. */
function moonArcs(tf: Tf, modes: Tensor, seed: number): Tensor {
  const count = modes.shape[0]
  const angle = tf.randomUniform([count], 0, Math.PI, 'float32', seed) // [count]
  const isInner = tf.equal(modes, 1) // [count]
  const x = tf.where(isInner, tf.sub(1, tf.cos(angle)), tf.cos(angle))
  const y = tf.where(isInner, tf.sub(0.5, tf.sin(angle)), tf.sin(angle))
  return tf.mul(tf.stack([tf.sub(x, 0.5), tf.sub(y, 0.25)], 1), MOON_SCALE)
}

/**
 * Toy 2-D point distributions for watching a GAN learn (DESIGN §5), each spanning about
 * [−2, 2]²; every point gets N(0, σ²I) noise with σ = `spread`:
 * - ring: 8 Gaussians centred at 2(cos 2πk/8, sin 2πk/8), the classic mode-collapse test;
 * - grid: 25 Gaussians centred at {−2, −1, 0, 1, 2}², label 5·row + column;
 * - spiral: one arm r = 2t, θ = 3πt (1.5 turns), t = √u, u ~ U(0, 1); a single mode, so its
 *   labels are all 0 and `dataInfo` says 1 class;
 * - moons: scikit-learn's two moons (θ ~ U(0, π)), centred and scaled by 4/3; label 0 the
 *   upper (outer) moon, 1 the lower (inner) one.
 * Modes are equally likely. `labels` holds each point's mode, for views to colour by. A batch
 * is drawn afresh for every pass from the pass's seed, so runs are reproducible.
 */
export const toy2d = defineNode({
  type: 'data.toy2d',
  version: 1,
  category: 'data',
  label: 'Toy 2-D',
  description: 'Points from a ring, grid, spiral or two moons, for watching a GAN learn.',
  inputs: {},
  outputs: {
    points: tensor({ description: 'A point (x, y) per sample.' }),
    labels: labels({ description: 'The mode (Gaussian, moon) each point came from.' }),
  },
  params: {
    distribution: param.choice<Toy2dDistribution>({
      default: 'ring',
      options: [
        { value: 'ring', label: 'Ring of 8 Gaussians' },
        { value: 'grid', label: 'Grid of 5 × 5 Gaussians' },
        { value: 'spiral', label: 'Spiral' },
        { value: 'moons', label: 'Two moons' },
      ],
      help: 'Which distribution the real points come from. The ring and the grid show mode collapse at a glance.',
    }),
    spread: param.number({
      default: 0.05,
      min: 0,
      max: 1,
      step: 0.01,
      help: 'σ of the Gaussian noise around each mode or curve. Smaller modes are harder for a GAN to cover.',
    }),
    batchSize: param.int({
      default: 128,
      min: 1,
      max: 4096,
      label: 'batch size',
      help: 'Points per step; match the noise batch in a GAN.',
    }),
  },
  dataInfo: ({ distribution, batchSize }) => ({
    classes: TOY2D_MODES[distribution],
    samplesPerClassPerBatch: batchSize / TOY2D_MODES[distribution],
  }),
  inferShapes: () => ok({ points: [2], labels: [] }),
  build: ({ tf, params }) => ({
    forward: (_inputs, { seed }) => {
      const count = params.batchSize
      const modes = TOY2D_MODES[params.distribution]
      const noise = tf.randomNormal([count, 2], 0, params.spread, 'float32', seedFor(seed, 'noise'))
      const labelIds =
        modes === 1
          ? tf.zeros([count], 'int32')
          : drawModes(tf, count, modes, seedFor(seed, 'modes')) // [count]
      let clean: Tensor // [count, 2]
      switch (params.distribution) {
        case 'ring':
          clean = tf.gather(tf.tensor2d(ringCentres()), labelIds)
          break
        case 'grid':
          clean = tf.gather(tf.tensor2d(gridCentres()), labelIds)
          break
        case 'spiral':
          clean = spiralArm(tf, count, seedFor(seed, 'position'))
          break
        case 'moons':
          clean = moonArcs(tf, labelIds, seedFor(seed, 'position'))
          break
      }
      return { points: tf.add(clean, noise), labels: labelIds }
    },
  }),
})
