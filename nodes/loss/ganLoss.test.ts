import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ShapesOf } from '../../graph-core/nodeDefinition'
import { buildNode, nodeGradients, runNode } from '../../graph-core/runNode'
import type { Shape } from '../../graph-core/shapes'
import { ganLoss } from './ganLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

type Term = 'discriminator' | 'generator'
type Objective = 'nonSaturating' | 'minimax' | 'leastSquares'

const LN2 = Math.log(2)
const LN3 = Math.log(3)

/** Shapes with realLogits possibly unconnected (the contract types every port as present). */
const shapes = (fakeLogits: Shape, realLogits?: Shape) =>
  ({ fakeLogits, ...(realLogits === undefined ? {} : { realLogits }) }) as ShapesOf<
    typeof ganLoss.inputs
  >

interface GanRun {
  loss: number
  realScore?: number
  fakeScore?: number
}

/** One forward pass on per-sample logits [batch, 1]; realLogits omitted when undefined. */
function gan(
  params: { term: Term; objective?: Objective; weight?: number; realLabel?: number },
  fake: number[],
  real?: number[],
): GanRun {
  const inputs: Record<string, tf.Tensor> = { fakeLogits: tf.tensor2d(fake, [fake.length, 1]) }
  if (real !== undefined) inputs.realLogits = tf.tensor2d(real, [real.length, 1])
  const run = runNode(tf, ganLoss, { params, inputs })
  expect(run.outputs.loss?.shape).toEqual([])
  const read = (tensor: tf.Tensor | undefined) => tensor?.dataSync()[0]
  const result: GanRun = { loss: read(run.outputs.loss) ?? Number.NaN }
  const realScore = read(run.metrics.realScore)
  const fakeScore = read(run.metrics.fakeScore)
  if (realScore !== undefined) result.realScore = realScore
  if (fakeScore !== undefined) result.fakeScore = fakeScore
  run.dispose()
  tf.dispose(Object.values(inputs))
  return result
}

/** ∂loss/∂logit for each fake (and real) logit. */
function gradients(
  params: { term: Term; objective?: Objective; realLabel?: number },
  fake: number[],
  real?: number[],
): { fake: number[]; real: number[] } {
  const inputs: Record<string, tf.Tensor> = { fakeLogits: tf.tensor2d(fake, [fake.length, 1]) }
  if (real !== undefined) inputs.realLogits = tf.tensor2d(real, [real.length, 1])
  const grads = nodeGradients(tf, ganLoss, {
    params,
    inputs,
    output: 'loss',
    wrt: Object.keys(inputs),
  })
  const result = {
    fake: Array.from(grads.fakeLogits?.dataSync() ?? []),
    real: Array.from(grads.realLogits?.dataSync() ?? []),
  }
  tf.dispose([...Object.values(grads), ...Object.values(inputs)])
  return result
}

describe('loss.gan shapes', () => {
  it.each([
    ['discriminator', [1], [1]],
    ['discriminator', [], []],
    ['discriminator', [30, 30, 1], [30, 30, 1]],
    ['generator', [1], undefined],
    ['generator', [1], [1]],
  ] as const)('%s term with D(fake) %j and D(real) %j', (term, fake, real) => {
    expect(
      ganLoss.inferShapes(shapes(fake, real), {
        term,
        objective: 'nonSaturating',
        weight: 1,
        realLabel: 1,
      }),
    ).toEqual({ outputs: { loss: [] } })
  })

  it.each([
    [
      'discriminator',
      [1],
      undefined,
      {
        port: 'realLogits',
        message:
          'The discriminator term needs D(real): connect the discriminator applied to real data',
        expected: '[1]',
        actual: 'nothing',
      },
    ],
    [
      'generator',
      [784],
      undefined,
      {
        port: 'fakeLogits',
        message:
          "fakeLogits takes the discriminator's output: one logit per sample ([] or [1]) or per patch ([h, w, 1])",
        expected: '[1]',
        actual: '[784]',
      },
    ],
    [
      'discriminator',
      [1],
      [2],
      {
        port: 'realLogits',
        message:
          "realLogits takes the discriminator's output: one logit per sample ([] or [1]) or per patch ([h, w, 1])",
        expected: '[1]',
        actual: '[2]',
      },
    ],
    [
      'discriminator',
      [1],
      [30, 30, 1],
      {
        port: 'fakeLogits',
        message: 'D(real) and D(fake) must come from the same discriminator and have one shape',
        expected: '[30, 30, 1]',
        actual: '[1]',
      },
    ],
  ] as const)('%s term with D(fake) %j and D(real) %j is refused', (term, fake, real, issue) => {
    expect(
      ganLoss.inferShapes(shapes(fake, real), {
        term,
        objective: 'leastSquares',
        weight: 1,
        realLabel: 1,
      }),
    ).toEqual({ issues: [issue] })
  })

  it('defaults to the non-saturating discriminator term with weight 1', () => {
    expect(ganLoss.params.term.default).toBe('discriminator')
    expect(ganLoss.params.objective.default).toBe('nonSaturating')
    expect(ganLoss.params.weight.default).toBe(1)
  })

  it('refuses to run the discriminator term without D(real)', () => {
    const fakeLogits = tf.zeros([2, 1])
    expect(() => runNode(tf, ganLoss, { inputs: { fakeLogits } })).toThrow(
      /^input realLogits: The discriminator term needs D\(real\).*\(expected \[1\], got nothing\)$/,
    )
    fakeLogits.dispose()
  })
})

// Logits chosen so that σ is simple: σ(0) = ½, σ(ln 3) = ¾, σ(−ln 3) = ¼.
const REAL = [0, LN3] // σ = ½, ¾
const FAKE = [0, -LN3] // σ = ½, ¼

describe('loss.gan forward on logits', () => {
  it('discriminator: −mean log σ(real) − mean log(1 − σ(fake)), for both objectives', () => {
    // −(ln ½ + ln ¾)/2 − (ln ½ + ln ¾)/2 = −ln(3/8) = ln(8/3) = 0.980829253
    for (const objective of ['nonSaturating', 'minimax'] as const) {
      const run = gan({ term: 'discriminator', objective }, FAKE, REAL)
      expect(run.loss).toBeCloseTo(Math.log(8 / 3), 6)
      expect(run.loss).toBeCloseTo(0.980829253, 6)
    }
  })

  it('generator, non-saturating: −mean log σ(fake)', () => {
    // −(ln ½ + ln ¼)/2 = (ln 2 + ln 4)/2 = 1.5 ln 2 = 1.039720771
    expect(gan({ term: 'generator' }, FAKE).loss).toBeCloseTo(1.5 * LN2, 6)
  })

  it('generator, minimax: mean log(1 − σ(fake))', () => {
    // (ln ½ + ln ¾)/2 = −ln(8/3)/2 = −0.490414627
    expect(gan({ term: 'generator', objective: 'minimax' }, FAKE).loss).toBeCloseTo(
      -Math.log(8 / 3) / 2,
      6,
    )
  })

  it('multiplies the whole term by its weight (pix2pix: 0.5 on D)', () => {
    // 0.5 × ln(8/3) = 0.490414627
    expect(gan({ term: 'discriminator', weight: 0.5 }, FAKE, REAL).loss).toBeCloseTo(
      0.5 * Math.log(8 / 3),
      6,
    )
  })

  it('one-sided label smoothing: real logits against the label t, fakes still against 0', () => {
    // Real: mean[0.9·softplus(−x) + 0.1·softplus(x)] over x = 0, ln 3:
    //   (ln 2 + 0.9·ln(4/3) + 0.1·ln 4)/2 = 0.545345;  fake as before: (ln 2 + ln(4/3))/2 = 0.490415
    const smoothed = gan({ term: 'discriminator', realLabel: 0.9 }, FAKE, REAL).loss
    expect(smoothed).toBeCloseTo(1.03576, 5)
    // The G term has no real label.
    expect(gan({ term: 'generator', realLabel: 0.9 }, FAKE).loss).toBeCloseTo(1.5 * LN2, 6)
  })

  it('reports mean σ(real) and mean σ(fake)', () => {
    // realScore = (½ + ¾)/2 = 0.625; fakeScore = (½ + ¼)/2 = 0.375
    const run = gan({ term: 'discriminator' }, FAKE, REAL)
    expect(run.realScore).toBeCloseTo(0.625, 6)
    expect(run.fakeScore).toBeCloseTo(0.375, 6)
    // The generator term reports what it has: D(fake) always, D(real) only when connected.
    const generator = gan({ term: 'generator' }, FAKE)
    expect(generator.fakeScore).toBeCloseTo(0.375, 6)
    expect(generator.realScore).toBeUndefined()
  })

  it('stays finite and exact at logits of ±100', () => {
    // D sure and right: softplus(−100) + softplus(−100) ≈ 2 × 3.7e−44 ≈ 0
    expect(gan({ term: 'discriminator' }, [-100], [100]).loss).toBeCloseTo(0, 10)
    // D sure and wrong: softplus(100) + softplus(100) = 200
    expect(gan({ term: 'discriminator' }, [100], [-100]).loss).toBeCloseTo(200, 4)
    // G rejected: −log σ(−100) = softplus(100) = 100; minimax: log(1 − σ(−100)) ≈ −3.7e−44
    expect(gan({ term: 'generator' }, [-100]).loss).toBeCloseTo(100, 4)
    expect(gan({ term: 'generator', objective: 'minimax' }, [-100]).loss).toBeCloseTo(0, 10)
  })
})

describe('loss.gan forward, least squares (LSGAN)', () => {
  const real = [1, 3]
  const fake = [0.5, -1]

  it('discriminator: ½ mean (D(x) − 1)² + ½ mean D(G(z))² on raw outputs', () => {
    // ½ · (0² + 2²)/2 = 1;  ½ · (0.5² + (−1)²)/2 = ½ · 1.25/2 = 0.3125;  total 1.3125
    expect(gan({ term: 'discriminator', objective: 'leastSquares' }, fake, real).loss).toBeCloseTo(
      1.3125,
      6,
    )
  })

  it('generator: ½ mean (D(G(z)) − 1)²', () => {
    // ½ · ((−0.5)² + (−2)²)/2 = ½ · 4.25/2 = 1.0625
    expect(gan({ term: 'generator', objective: 'leastSquares' }, fake).loss).toBeCloseTo(1.0625, 6)
  })

  it('one-sided label smoothing: ½ mean (D(x) − t)² for real outputs', () => {
    // ½ · (0.1² + 2.1²)/2 = 1.105;  fake 0.3125;  total 1.4175
    const run = gan(
      { term: 'discriminator', objective: 'leastSquares', realLabel: 0.9 },
      fake,
      real,
    )
    expect(run.loss).toBeCloseTo(1.4175, 6)
  })

  it('reports the mean raw outputs as scores, since they are not logits', () => {
    // realScore = (1 + 3)/2 = 2; fakeScore = (0.5 − 1)/2 = −0.25
    const run = gan({ term: 'discriminator', objective: 'leastSquares' }, fake, real)
    expect(run.realScore).toBeCloseTo(2, 6)
    expect(run.fakeScore).toBeCloseTo(-0.25, 6)
  })
})

describe('loss.gan gradients', () => {
  it('discriminator: (σ(real) − 1)/N for real logits, σ(fake)/N for fake ones', () => {
    // N = 2, logits 0: (½ − 1)/2 = −0.25 and ½/2 = 0.25; at ±100: (0 − 1)/2 = −0.5, 1/2 = 0.5
    const grads = gradients({ term: 'discriminator' }, [0, 100], [0, -100])
    expect(grads.real[0]).toBeCloseTo(-0.25, 6)
    expect(grads.real[1]).toBeCloseTo(-0.5, 6)
    expect(grads.fake[0]).toBeCloseTo(0.25, 6)
    expect(grads.fake[1]).toBeCloseTo(0.5, 6)
  })

  it('discriminator with a real label t: (σ(real) − t)/N, zero where D(real) = t', () => {
    // N = 2: logit 0 → (½ − 0.9)/2 = −0.2; logit ln 9 (σ = 0.9) → 0; fakes unchanged.
    const grads = gradients({ term: 'discriminator', realLabel: 0.9 }, [0, 0], [0, Math.log(9)])
    expect(grads.real[0]).toBeCloseTo(-0.2, 6)
    expect(grads.real[1]).toBeCloseTo(0, 6)
    expect(grads.fake[0]).toBeCloseTo(0.25, 6)
  })

  it('generator: non-saturating keeps a strong gradient where minimax vanishes', () => {
    // D rejects the fake (logit −5). Non-saturating: ∂/∂x[−log σ(x)] = σ(x) − 1 = −0.993307;
    // minimax: ∂/∂x log(1 − σ(x)) = −σ(x) = −0.006693.
    const sigma = 1 / (1 + Math.exp(5))
    expect(gradients({ term: 'generator' }, [-5]).fake[0]).toBeCloseTo(sigma - 1, 6)
    expect(gradients({ term: 'generator', objective: 'minimax' }, [-5]).fake[0]).toBeCloseTo(
      -sigma,
      6,
    )
    // At logit 0 both are −½, the gradient of −log σ at 0 (not 0 from |x|'s subgradient).
    expect(gradients({ term: 'generator' }, [0]).fake[0]).toBeCloseTo(-0.5, 6)
  })

  it('least squares: (D − 1)/N for G, (D(x) − 1)/N and D(G(z))/N for D', () => {
    // G at −5, N = 1: −6.  D, N = 1: real 3 → 2, fake 0.5 → 0.5
    expect(gradients({ term: 'generator', objective: 'leastSquares' }, [-5]).fake[0]).toBeCloseTo(
      -6,
      6,
    )
    const grads = gradients({ term: 'discriminator', objective: 'leastSquares' }, [0.5], [3])
    expect(grads.real[0]).toBeCloseTo(2, 6)
    expect(grads.fake[0]).toBeCloseTo(0.5, 6)
  })

  it('stays finite on random logits for every term and objective', () => {
    const fake = tf.tidy(() => Array.from(tf.randomNormal([6], 0, 20, 'float32', 3).dataSync()))
    const real = tf.tidy(() => Array.from(tf.randomNormal([6], 0, 20, 'float32', 4).dataSync()))
    for (const term of ['discriminator', 'generator'] as const) {
      for (const objective of ['nonSaturating', 'minimax', 'leastSquares'] as const) {
        const grads = gradients({ term, objective }, fake, real)
        expect([...grads.fake, ...grads.real].every(Number.isFinite)).toBe(true)
        expect(grads.fake.some((value) => value !== 0)).toBe(true)
      }
    }
  })
})

describe('loss.gan memory', () => {
  it('leaves no tensors behind, forward and backward', () => {
    const fakeLogits = tf.randomNormal([4, 1], 0, 1, 'float32', 1)
    const realLogits = tf.randomNormal([4, 1], 0, 1, 'float32', 2)
    const before = tf.memory().numTensors
    runNode(tf, ganLoss, { inputs: { fakeLogits, realLogits } }).dispose()
    expect(tf.memory().numTensors).toBe(before)
    // The stable softplus keeps its input for the backward pass; it must free it.
    const node = buildNode(tf, ganLoss, { inputs: { fakeLogits, realLogits } })
    const { value, grads } = tf.valueAndGrads((fake: tf.Tensor, real: tf.Tensor) => {
      const { outputs, metrics } = node.forward({ fakeLogits: fake, realLogits: real })
      tf.dispose(Object.values(metrics))
      if (outputs.loss === undefined) throw new Error('no loss')
      return outputs.loss
    })([fakeLogits, realLogits])
    tf.dispose([value, ...grads])
    node.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([fakeLogits, realLogits])
  })
})
