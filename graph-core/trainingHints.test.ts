import { describe, expect, it } from 'vitest'
import { analyzeGraph } from './analysis'
import { graph } from './testing/graphBuilder'
import { testRegistry } from './testing/testNodes'
import {
  hintGraphOf,
  MIN_HINT_POINTS,
  trainingHints,
  type HintGraph,
  type MetricPoint,
} from './trainingHints'

/** A deterministic wiggle in [−1, 1], so the hand-made series look like training noise. */
const wiggle = (index: number) => Math.sin(index * 2.3) * Math.cos(index * 0.7)

/** Linear from `from` to `to` over `count` points, plus `noise` × wiggle. */
const ramp = (count: number, from: number, to: number, noise = 0) =>
  Array.from(
    { length: count },
    (_, index) => from + ((to - from) * index) / Math.max(1, count - 1) + noise * wiggle(index),
  )

/** From `from` towards `to`, most of the way within the first quarter, plus noise. */
const settle = (count: number, from: number, to: number, noise = 0) =>
  Array.from(
    { length: count },
    (_, index) => to + (from - to) * Math.exp((-index * 16) / count) + noise * wiggle(index),
  )

/** Points from parallel series: `losses.opt`, `lossTerms['kl.loss']`, `metrics['g.x']`. */
function points(
  series: Record<string, number[]>,
  { firstStep = 1 }: { firstStep?: number } = {},
): MetricPoint[] {
  const length = Math.max(...Object.values(series).map((values) => values.length))
  return Array.from({ length }, (_, index) => {
    const point: MetricPoint = {
      step: firstStep + index,
      losses: {},
      metrics: {},
      lossTerms: {},
      time: index * 10,
    }
    for (const [key, values] of Object.entries(series)) {
      const value = values[index]
      if (value === undefined) continue
      const [group, name] = key.split(':') as [string, string]
      const target =
        group === 'losses' ? point.losses : group === 'terms' ? point.lossTerms : point.metrics
      ;(target as Record<string, number>)[name] = value
    }
    return point
  })
}

const gan: HintGraph = {
  nodes: [
    { id: 'dLoss', type: 'loss.gan', params: { term: 'discriminator', weight: 1 } },
    { id: 'gLoss', type: 'loss.gan', params: { term: 'generator', weight: 1 } },
  ],
  phases: [
    { optimizer: 'optD', lossNode: 'dLoss', lossPort: 'loss' },
    { optimizer: 'optG', lossNode: 'gLoss', lossPort: 'loss' },
  ],
}

const vae: HintGraph = {
  nodes: [
    { id: 'kl', type: 'loss.kl', params: {} },
    { id: 'mse', type: 'loss.mse', params: {} },
    { id: 'total', type: 'op.weightedSum', params: {} },
  ],
  phases: [{ optimizer: 'opt', lossNode: 'total', lossPort: 'loss' }],
}

const triplet = (params: Record<string, unknown> = {}): HintGraph => ({
  nodes: [
    { id: 'triplet', type: 'loss.triplet', params: { margin: 0.5, reduction: 'mean', ...params } },
  ],
  phases: [{ optimizer: 'opt', lossNode: 'triplet', lossPort: 'loss' }],
})

const codes = (hints: ReturnType<typeof trainingHints>) =>
  hints.map((hint) => `${hint.code}@${hint.node ?? ''}`)

describe('discriminator winning', () => {
  const winning = {
    'losses:optD': settle(60, 1.3, 0.005, 0.002),
    'losses:optG': ramp(60, 0.7, 5, 0.1),
  }

  it('fires when D loss goes to 0 while G loss rises, naming the D loss', () => {
    const hints = trainingHints(points(winning), gan)
    expect(codes(hints)).toEqual(['DISCRIMINATOR_WINNING@dLoss'])
    expect(hints[0]?.message).toMatch(/discriminator is winning/)
    expect(hints[0]?.whatToTry).toMatch(/learning rate/)
  })

  it('is not put off by the spikes of a winning D (a lucky batch of fakes)', () => {
    const spiky = winning['losses:optD'].map((value, index) => (index % 5 === 0 ? 0.6 : value))
    const series = { 'losses:optD': spiky, 'losses:optG': winning['losses:optG'] }
    expect(codes(trainingHints(points(series), gan))).toEqual(['DISCRIMINATOR_WINNING@dLoss'])
  })

  it('reads the loss nodes themselves when they sit behind a weighted sum', () => {
    const behindSums: HintGraph = {
      ...gan,
      phases: [
        { optimizer: 'optD', lossNode: 'dLoss', lossPort: 'loss' },
        { optimizer: 'optG', lossNode: 'total', lossPort: 'loss' },
      ],
    }
    const series = {
      'losses:optD': winning['losses:optD'],
      'terms:gLoss.loss': winning['losses:optG'],
      'losses:optG': ramp(60, 3, 3), // the sum hides the rise (an L1 term falling)
    }
    expect(codes(trainingHints(points(series), behindSums))).toEqual([
      'DISCRIMINATOR_WINNING@dLoss',
    ])
  })

  it('stays silent on a healthy game, when G does not rise, and on a short window', () => {
    const healthy = {
      'losses:optD': ramp(60, 1.38, 1.2, 0.05),
      'losses:optG': ramp(60, 0.7, 0.9, 0.05),
    }
    expect(trainingHints(points(healthy), gan)).toEqual([])
    const bothFalling = { 'losses:optD': winning['losses:optD'], 'losses:optG': ramp(60, 2, 1) }
    expect(trainingHints(points(bothFalling), gan)).toEqual([])
    const short = {
      'losses:optD': winning['losses:optD'].slice(-(MIN_HINT_POINTS - 1)),
      'losses:optG': winning['losses:optG'].slice(-(MIN_HINT_POINTS - 1)),
    }
    expect(trainingHints(points(short), gan)).toEqual([])
  })
})

describe('mode collapse', () => {
  it('fires when a reported sample diversity falls far below its best', () => {
    const hints = trainingHints(points({ 'metrics:gen.sampleDiversity': ramp(40, 1, 0.05) }), gan)
    expect(codes(hints)).toEqual(['MODE_COLLAPSE@gen'])
  })

  it('stays silent on a steady diversity and when no node reports one', () => {
    const steady = { 'metrics:gen.sampleDiversity': ramp(40, 1, 0.9, 0.05) }
    expect(trainingHints(points(steady), gan)).toEqual([])
    expect(trainingHints(points({ 'metrics:dLoss.fakeScore': ramp(40, 0.5, 0.01) }), gan)).toEqual(
      [],
    )
  })
})

describe('posterior collapse', () => {
  it('fires when the KL term goes to about 0, read from the loss terms', () => {
    const series = { 'terms:kl.loss': settle(80, 8, 0.001), 'losses:opt': ramp(80, 2, 0.5) }
    const hints = trainingHints(points(series, { firstStep: 20 }), vae)
    expect(codes(hints)).toEqual(['POSTERIOR_COLLAPSE@kl'])
    expect(hints[0]?.whatToTry).toMatch(/KL weight/)
  })

  it('stays silent while the KL term stays up, and during the warm-up', () => {
    const healthy = { 'terms:kl.loss': ramp(80, 8, 4, 0.3), 'losses:opt': ramp(80, 2, 0.5) }
    expect(trainingHints(points(healthy, { firstStep: 20 }), vae)).toEqual([])
    const early = { 'terms:kl.loss': settle(30, 8, 0.001) }
    expect(trainingHints(points(early), vae)).toEqual([])
  })
})

describe('embedding collapse', () => {
  it('fires when the triplet loss sits at its margin with little spread', () => {
    const stuck = { 'losses:opt': [...ramp(20, 0.45, 0.5, 0.02), ...ramp(30, 0.5, 0.5, 0.004)] }
    const hints = trainingHints(points(stuck), triplet())
    expect(codes(hints)).toEqual(['EMBEDDING_COLLAPSE@triplet'])
    expect(hints[0]?.message).toMatch(/margin/)
  })

  it('uses the node margin', () => {
    const stuck = { 'losses:opt': ramp(40, 0.2, 0.2, 0.002) }
    expect(codes(trainingHints(points(stuck), triplet({ margin: 0.2 })))).toEqual([
      'EMBEDDING_COLLAPSE@triplet',
    ])
    expect(trainingHints(points(stuck), triplet())).toEqual([])
  })

  it('stays silent on a falling loss, a noisy one near the margin and a summed loss', () => {
    expect(trainingHints(points({ 'losses:opt': ramp(50, 0.45, 0.1, 0.02) }), triplet())).toEqual(
      [],
    )
    const noisy = { 'losses:opt': ramp(50, 0.5, 0.5, 0.15) }
    expect(trainingHints(points(noisy), triplet())).toEqual([])
    const summed = { 'losses:opt': ramp(50, 0.5, 0.5, 0.001) }
    expect(trainingHints(points(summed), triplet({ reduction: 'sum' }))).toEqual([])
  })
})

describe('hintGraphOf', () => {
  it('takes node types, filled-in params and the phases from a compiled graph', () => {
    const document = graph()
      .node('src', 'test.source')
      .node('scale', 'test.scale')
      .node('dist', 'test.distance')
      .node('opt', 'test.sgd')
      .edge('src.x', 'scale.x')
      .edge('scale.y', 'dist.a')
      .edge('src.x', 'dist.b')
      .edge('dist.loss', 'opt.loss')
      .build()
    const phases = [
      { optimizer: 'opt', lossNode: 'dist', lossPort: 'loss', repeats: 1, trains: ['scale'] },
    ]
    const hintGraph = hintGraphOf(analyzeGraph(document, testRegistry), phases)
    expect(hintGraph.nodes.find((node) => node.id === 'scale')).toEqual({
      id: 'scale',
      type: 'test.scale',
      params: { factor: 1 },
    })
    expect(hintGraph.phases).toBe(phases)
  })
})
