/**
 * Hints for known ways training goes wrong (issue #6): pure functions over a window of recent
 * metric points. A hint is advice, never an error — the run goes on — and each says what to
 * try. The rules look at the loss nodes' own values (`lossTerms`), so a KL term hidden inside
 * a weighted sum is still seen.
 */
import type { GraphAnalysis } from './analysis'
import type { Phase } from './compiler'

/** One iteration's numbers as the worker streams them (DESIGN §7). */
export interface MetricPoint {
  /** Completed iterations after this one (an optimizer stepped alone does not advance it). */
  step: number
  /** The loss each optimizer minimised, by optimizer id; only the phases that ran. */
  losses: Readonly<Record<string, number>>
  /** Metrics nodes reported, `node.metric` → value (`disc.realScore`, `triplet.hardFraction`). */
  metrics: Readonly<Record<string, number>>
  /** Every loss node's value, `node.port` → value (`kl.loss`), see `IterationResult`. */
  lossTerms: Readonly<Record<string, number>>
  /** When it was measured: milliseconds on the worker's clock. */
  time: number
}

/** Stable hint codes (persisted with runs; never rename). */
export type TrainingHintCode =
  'DISCRIMINATOR_WINNING' | 'MODE_COLLAPSE' | 'POSTERIOR_COLLAPSE' | 'EMBEDDING_COLLAPSE'

/** A known failure mode seen in the metrics, with what to try. */
export interface TrainingHint {
  code: TrainingHintCode
  /** The node the hint is about (the D loss, the KL loss, the triplet loss). */
  node?: string
  /** What the metrics show, with the numbers. */
  message: string
  whatToTry: string
}

/** What the hints need to know of the graph: loss nodes' types and params, and the phases. */
export interface HintGraph {
  nodes: readonly { id: string; type: string; params: Readonly<Record<string, unknown>> }[]
  phases: readonly Pick<Phase, 'optimizer' | 'lossNode' | 'lossPort'>[]
}

/** The {@link HintGraph} of a compiled graph (params with their defaults filled in). */
export function hintGraphOf(analysis: GraphAnalysis, phases: readonly Phase[]): HintGraph {
  const nodes = [...analysis.nodes].flatMap(([id, entry]) =>
    entry.definition === undefined
      ? []
      : [{ id, type: entry.definition.type, params: entry.params }],
  )
  return { nodes, phases }
}

/** Fewer values than this in the window say nothing: early training is noisy by nature. */
export const MIN_HINT_POINTS = 20

/**
 * A D loss below this (× the term's weight) means D tells real from fake almost perfectly: 0.1
 * is σ ≈ 0.95 on both sides, against 2 ln 2 ≈ 1.39 at the game's equilibrium.
 */
const WINNING_D_LOSS = 0.1
/** KL below this (nats per sample, summed over the latent) means the posterior is the prior. */
const COLLAPSED_KL = 0.05
/** Steps before posterior collapse is judged: the KL term often dips while the decoder starts. */
const KL_WARMUP_STEPS = 50
/** Sample diversity below this fraction of its best in the window counts as collapse. */
const COLLAPSED_DIVERSITY = 0.25

/**
 * The hints the window of points supports, in a stable order. Silent on a healthy run, on
 * graphs without the nodes a rule needs, and while the window is shorter than
 * {@link MIN_HINT_POINTS}.
 */
export function trainingHints(points: readonly MetricPoint[], graph: HintGraph): TrainingHint[] {
  return [
    ...discriminatorWinning(points, graph),
    ...modeCollapse(points),
    ...posteriorCollapse(points, graph),
    ...embeddingCollapse(points, graph),
  ]
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)

const standardDeviation = (values: readonly number[]) => {
  const centre = mean(values)
  return Math.sqrt(mean(values.map((value) => (value - centre) ** 2)))
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

/** The first and last quarter of a series: trends without one noisy step deciding them. */
function quarters(values: readonly number[]): { first: number; last: number } {
  const size = Math.max(1, Math.floor(values.length / 4))
  return { first: mean(values.slice(0, size)), last: mean(values.slice(-size)) }
}

/** The median of the last quarter: where a series sits now, whatever a few spikes do. */
const recentMedian = (values: readonly number[]) =>
  median(values.slice(-Math.max(1, Math.floor(values.length / 4))))

const numberParam = (params: Readonly<Record<string, unknown>>, name: string, fallback: number) => {
  const value = params[name]
  return typeof value === 'number' ? value : fallback
}

const format = (value: number) =>
  Math.abs(value) >= 0.01 ? value.toFixed(3) : value.toExponential(1)

/**
 * A loss node's values over the points: its own value when the point has it, else the loss of
 * the optimizer it feeds directly. Points where it did not run are skipped.
 */
function lossSeries(points: readonly MetricPoint[], graph: HintGraph, node: string): number[] {
  const phase = graph.phases.find((entry) => entry.lossNode === node && entry.lossPort === 'loss')
  return points.flatMap((point) => {
    const value = point.lossTerms[`${node}.loss`] ?? (phase && point.losses[phase.optimizer])
    return value !== undefined && Number.isFinite(value) ? [value] : []
  })
}

const nodesOfType = (graph: HintGraph, type: string) =>
  graph.nodes.filter((node) => node.type === type)

/** GAN: D's loss has gone to about 0 while G's keeps rising — G learns nothing from D. */
function discriminatorWinning(points: readonly MetricPoint[], graph: HintGraph): TrainingHint[] {
  const gans = nodesOfType(graph, 'loss.gan')
  const generatorTrends = gans
    .filter((node) => node.params.term === 'generator')
    .map((node) => lossSeries(points, graph, node.id))
    .filter((values) => values.length >= MIN_HINT_POINTS)
    .map(quarters)
  const rising = generatorTrends.find(
    ({ first, last }) => last > first + Math.max(0.1, 0.25 * Math.abs(first)),
  )
  if (rising === undefined) return []
  return gans
    .filter((node) => node.params.term !== 'generator')
    .flatMap((node) => {
      const values = lossSeries(points, graph, node.id)
      if (values.length < MIN_HINT_POINTS) return []
      // D's loss spikes now and then even while it wins (a lucky batch of fakes): the median.
      const last = recentMedian(values)
      if (last >= WINNING_D_LOSS * numberParam(node.params, 'weight', 1)) return []
      return [
        {
          code: 'DISCRIMINATOR_WINNING' as const,
          node: node.id,
          message: `The discriminator is winning: its loss is down to ${format(last)} while the generator's rose from ${format(rising.first)} to ${format(rising.last)}. D rejects every fake with confidence, so G gets almost no useful gradient.`,
          whatToTry:
            "Slow D down (a lower learning rate, fewer k steps, a smaller network) or speed G up; keep G's non-saturating objective; try the least-squares objective; add noise to D's inputs.",
        },
      ]
    })
}

/** GAN: a reported sample-diversity metric has fallen far below its best. */
function modeCollapse(points: readonly MetricPoint[]): TrainingHint[] {
  // No node reports diversity yet; a metric named `*.sampleDiversity` switches this rule on.
  const names = new Set(
    points.flatMap((point) =>
      Object.keys(point.metrics).filter((name) => name.endsWith('.sampleDiversity')),
    ),
  )
  return [...names].flatMap((name) => {
    const values = points.flatMap((point) => {
      const value = point.metrics[name]
      return value !== undefined && Number.isFinite(value) ? [value] : []
    })
    if (values.length < MIN_HINT_POINTS) return []
    const best = Math.max(...values)
    const { last } = quarters(values)
    if (!(best > 0) || last >= COLLAPSED_DIVERSITY * best) return []
    return [
      {
        code: 'MODE_COLLAPSE' as const,
        node: name.slice(0, name.lastIndexOf('.')),
        message: `Sample diversity fell to ${Math.round((100 * last) / best)} % of its best: the generator covers only a few modes of the data.`,
        whatToTry:
          "Lower G's learning rate or give D more k steps; try the least-squares objective; a lower Adam β₁ (0.5) and a larger noise dimension often help.",
      },
    ]
  })
}

/** VAE: the KL term is about 0, so the latent code says nothing about the input. */
function posteriorCollapse(points: readonly MetricPoint[], graph: HintGraph): TrainingHint[] {
  const lastStep = points.at(-1)?.step ?? 0
  if (lastStep < KL_WARMUP_STEPS) return []
  return nodesOfType(graph, 'loss.kl').flatMap((node) => {
    const values = lossSeries(points, graph, node.id)
    if (values.length < MIN_HINT_POINTS) return []
    const { last } = quarters(values)
    if (last >= COLLAPSED_KL) return []
    return [
      {
        code: 'POSTERIOR_COLLAPSE' as const,
        node: node.id,
        message: `Posterior collapse: the KL term is ${format(last)} nats, so every input maps to the prior and the decoder has learned to ignore the latent code.`,
        whatToTry:
          'Lower the KL weight (β) in the weighted sum, or raise it from 0 over the first steps (KL annealing); a smaller or less expressive decoder also makes the latent worth using.',
      },
    ]
  })
}

/** Metric learning: the triplet loss sits at its margin — every embedding looks alike. */
function embeddingCollapse(points: readonly MetricPoint[], graph: HintGraph): TrainingHint[] {
  return nodesOfType(graph, 'loss.triplet').flatMap((node) => {
    // A summed loss grows with the batch and is never "at the margin".
    if (node.params.reduction === 'sum') return []
    const margin = numberParam(node.params, 'margin', 0.5)
    if (margin <= 0) return []
    const values = lossSeries(points, graph, node.id)
    if (values.length < MIN_HINT_POINTS) return []
    const recent = values.slice(-Math.floor(values.length / 2))
    const centre = mean(recent)
    const isAtMargin = Math.abs(centre - margin) <= Math.max(0.05 * margin, 0.01)
    if (!isAtMargin || standardDeviation(recent) > 0.05 * margin) return []
    return [
      {
        code: 'EMBEDDING_COLLAPSE' as const,
        node: node.id,
        message: `Embedding collapse: the triplet loss has stayed at ${format(centre)}, its margin, for the last ${recent.length} points. Every distance gap is about 0, which happens when all embeddings become alike.`,
        whatToTry:
          'Lower the learning rate; mine semi-hard triplets (or use the curriculum) instead of hard ones from the start; check that batches hold several images per identity (P×K); a smaller margin can help.',
      },
    ]
  })
}
