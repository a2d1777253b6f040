/**
 * Preset evaluations (DESIGN §6: each preset reaches a stated quality): the held-out
 * measurement a preset's explainer names (`explainer.ts`), run on a trained program, and the
 * verdict of its targets. Pure numerics from `nodes/view/metrics`; TF.js is passed in, so the
 * CLI and the worker can both call it.
 */
import type * as tfjs from '@tensorflow/tfjs'
import type { TrainingProgram } from '../graph-core/compiler'
import type { GraphDocument } from '../graph-core/document'
import type { ResourceMap } from '../graph-core/resources'
import { ringCentres } from '../nodes/data/toy2d'
import { verificationReport } from '../nodes/view/metrics/verification'
import type { ReconstructionViewData } from '../nodes/view/reconstructionView'
import type { Scatter2dViewData } from '../nodes/view/scatter2dView'
import { faceImages, psnr, runChain } from './evaluationData'
import {
  cycleSmile,
  digitSamples,
  superResolution,
  translation,
  vaeSmile,
} from './generativeEvaluations'
import { METRICS, type Evaluation, type MetricId, type QualityTarget } from './explainer'
import type { ProbeCache } from './probeCache'

type Tf = typeof tfjs

/**
 * What an evaluation runs on: a trained program, the (loaded) document it came from, and the
 * binary resources it was compiled with (MNIST, for the evaluations that read whole splits).
 */
export interface EvaluationContext {
  tf: Tf
  program: TrainingProgram
  document: GraphDocument
  resources?: ResourceMap
  /** Tests: small sets and briefly trained probes, to check the plumbing only. */
  isQuick?: boolean
  /** Probes kept across a run's evaluations (checkpoints); without it each trains its own. */
  probes?: ProbeCache
}

/** The metrics an evaluation measured, by id. */
export type Metrics = Partial<Record<MetricId, number>>

export { psnr }

/** Runs a preset's evaluation on held-out data. */
export async function evaluate(
  evaluation: Evaluation,
  context: EvaluationContext,
): Promise<Metrics> {
  switch (evaluation.kind) {
    case 'verification':
      return verification(evaluation, context)
    case 'reconstruction': {
      const view = await reconstruction(context.program, evaluation.view, evaluation.samples)
      return { mse: view, psnr: psnr(view) }
    }
    case 'denoising': {
      const { program, samples } = { ...context, samples: evaluation.samples }
      const denoised = await reconstruction(program, evaluation.denoised, samples)
      const noisy = await reconstruction(program, evaluation.noisy, samples)
      return {
        mse: denoised,
        psnr: psnr(denoised),
        psnrNoisy: psnr(noisy),
        psnrGain: psnr(denoised) - psnr(noisy),
      }
    }
    case 'ringModes': {
      const view = (await context.program.evaluateView(evaluation.view, {
        samples: evaluation.samples,
      })) as Scatter2dViewData
      return ringModes(view.fake ?? [], evaluation.sigma, evaluation.minShare)
    }
    case 'superResolution':
      return superResolution(evaluation, context)
    case 'translation':
      return translation(evaluation, context)
    case 'digitSamples':
      return digitSamples(evaluation, context)
    case 'vaeSmile':
      return vaeSmile(evaluation, context)
    case 'cycleSmile':
      return cycleSmile(evaluation, context)
  }
}

/** The mean squared error per pixel a `view.reconstruction` reports over `samples` rows. */
async function reconstruction(program: TrainingProgram, view: string, samples: number) {
  const data = (await program.evaluateView(view, { samples })) as ReconstructionViewData
  if (data.meanMse === null) throw new Error(`${view} gave no finite error`)
  return data.meanMse
}

/**
 * Mode coverage on the ring of 8 Gaussians (as in Metz et al. 2017, "Unrolled GANs"): a sample
 * is of high quality when it lies within 3σ of its nearest mode; a mode is covered when at
 * least `minShare` of all samples are high-quality samples of it. Points row-major [n, 2].
 */
export function ringModes(points: readonly number[], sigma: number, minShare: number): Metrics {
  const centres = ringCentres()
  const count = Math.floor(points.length / 2)
  const perMode = new Array<number>(centres.length).fill(0)
  let near = 0
  for (let row = 0; row < count; row++) {
    const [x = 0, y = 0] = [points[2 * row], points[2 * row + 1]]
    let best = 0
    let bestDistance = Infinity
    centres.forEach(([cx, cy], mode) => {
      const distance = Math.hypot(x - cx, y - cy)
      if (distance < bestDistance) [best, bestDistance] = [mode, distance]
    })
    if (bestDistance <= 3 * sigma) {
      near++
      perMode[best] = (perMode[best] ?? 0) + 1
    }
  }
  const covered = perMode.filter((hits) => count > 0 && hits / count >= minShare).length
  return { modesCovered: covered, highQualityFraction: count === 0 ? 0 : near / count }
}

/**
 * Verification of held-out identities: the first `photosPerIdentity` photos (all by default) of
 * every held-out SynthFaces identity, each rendered once (no photo twice, so no identical
 * images pose as a genuine pair), through the embedding chain, then `verificationReport`
 * (cosine similarity, all pairs).
 */
async function verification(
  evaluation: Extract<Evaluation, { kind: 'verification' }>,
  { tf, program, document }: EvaluationContext,
): Promise<Metrics> {
  const faces = faceImages(document, evaluation.data, 'heldOut', evaluation.photosPerIdentity)
  const { values, shape } = await runChain(tf, program, evaluation.embedding, {
    values: faces.pixels,
    shape: faces.shape,
    count: faces.count,
  })
  const report = verificationReport({
    embeddings: values,
    dim: shape[0] ?? 0,
    labels: faces.labels,
  })
  const metrics: Metrics = {}
  if (report.roc !== undefined) metrics.verificationAuc = report.roc.auc
  const [far1, far2] = report.tarAtFar
  if (far1 !== undefined) metrics.tarAtFar1 = far1.tar
  if (far2?.isResolved === true) metrics.tarAtFar2 = far2.tar
  if (report.identification.accuracy !== undefined)
    metrics.identificationTop1 = report.identification.accuracy
  if (report.fewShot.accuracy !== undefined) metrics.fewShotAccuracy = report.fewShot.accuracy
  return metrics
}

/** A target's outcome: the measured value, the reference for relative targets, and whether met. */
export interface Verdict {
  readonly target: QualityTarget
  readonly value: number | undefined
  /** The other preset's value, for "beats preset X" targets. */
  readonly reference?: number
  /**
   * Undefined when it cannot be judged (not measured, the other preset not run) or is only
   * reported.
   */
  readonly isMet: boolean | undefined
}

/**
 * Judges targets against measured metrics; `others(preset)` gives another preset's metrics
 * for relative targets (undefined when that preset was not evaluated in this run).
 */
export function judge(
  targets: readonly QualityTarget[],
  metrics: Metrics,
  others: (preset: string) => Metrics | undefined = () => undefined,
): Verdict[] {
  return targets.map((target) => {
    const value = metrics[target.metric]
    if (target.op === 'report') return { target, value, isMet: undefined }
    if (target.op === '>') {
      const reference = others(target.preset)?.[target.metric]
      const isMet = value === undefined || reference === undefined ? undefined : value > reference
      return reference === undefined
        ? { target, value, isMet }
        : { target, value, reference, isMet }
    }
    const isMet =
      value === undefined
        ? undefined
        : target.op === '>='
          ? value >= target.value
          : value <= target.value
    return { target, value, isMet }
  })
}

/** A metric value as its table prints it. */
export function formatMetric(metric: MetricId, value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(METRICS[metric].digits)
}

/** A target in words: `≥ 0.95`, `> softmax-baseline (0.912)`. */
export function formatTarget(target: QualityTarget, reference?: number): string {
  if (target.op === 'report') return 'reported'
  if (target.op === '>') {
    const known = reference === undefined ? '' : ` (${formatMetric(target.metric, reference)})`
    return `> ${target.preset}${known}`
  }
  return `${target.op === '>=' ? '≥' : '≤'} ${formatMetric(target.metric, target.value)}`
}

/** met, NOT met, reported, or not judged (not measured, or its reference preset not run). */
export function verdictWord({ target, value, isMet }: Verdict): string {
  if (isMet !== undefined) return isMet ? 'met' : 'NOT met'
  return target.op === 'report' && value !== undefined ? 'reported' : 'not judged'
}

/** One line per verdict: `held-out verification AUC 0.962 (target ≥ 0.950): met`. */
export function formatVerdicts(verdicts: readonly Verdict[]): string[] {
  return verdicts.map(({ target, value, reference, isMet }) => {
    const outcome = verdictWord({ target, value, isMet })
    const { label } = METRICS[target.metric]
    return `${label} ${formatMetric(target.metric, value)} (target ${formatTarget(target, reference)}): ${outcome}`
  })
}
