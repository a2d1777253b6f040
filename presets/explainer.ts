/**
 * The explainer a preset carries in its document's `meta.explainer` (DESIGN §6: each preset
 * explains itself and reaches a stated quality): what the model is, the seminar's point it
 * demonstrates, what to look at, which knobs to try, how long to train, and the quality target
 * with the machine-readable evaluation that measures it (`evaluate.ts`). Validated with zod, as
 * everything read from a document is.
 */
import { z } from 'zod'
import type { GraphDocument } from '../graph-core/document'
import type { NodeRegistry } from '../graph-core/registry'

/** The seminar's three families of models (DESIGN §1). */
export const PRESET_FAMILIES = ['metricLearning', 'autoencoder', 'gan'] as const

export type PresetFamily = (typeof PRESET_FAMILIES)[number]

/** Display names of the families, in the seminar's order. */
export const FAMILY_TITLES: Readonly<Record<PresetFamily, string>> = {
  metricLearning: 'Metric learning',
  autoencoder: 'Autoencoders',
  gan: 'GANs',
}

/**
 * The metrics preset evaluations report, with a label and the digits to print. Ids are
 * persisted in preset files and reports: never rename.
 */
export const METRICS = {
  verificationAuc: { label: 'held-out verification AUC', digits: 3 },
  tarAtFar1: { label: 'TAR @ FAR 1e-1', digits: 3 },
  tarAtFar2: { label: 'TAR @ FAR 1e-2', digits: 3 },
  identificationTop1: { label: 'identification top-1', digits: 3 },
  fewShotAccuracy: { label: 'few-shot 3 → 1 accuracy', digits: 3 },
  mse: { label: 'held-out MSE per pixel', digits: 4 },
  psnr: { label: 'held-out PSNR (dB)', digits: 2 },
  psnrNoisy: { label: 'PSNR of the noisy input (dB)', digits: 2 },
  psnrGain: { label: 'PSNR gain over the noisy input (dB)', digits: 2 },
  modesCovered: { label: 'modes covered (of 8)', digits: 0 },
  highQualityFraction: { label: 'samples within 3σ of a mode', digits: 3 },
  smileRaisedFraction: { label: 'neutral faces the smile vector makes smile more', digits: 3 },
  confidentSampleFraction: { label: 'samples classified with confidence ≥ 0.9', digits: 3 },
  digitsPresent: { label: 'digit classes among the samples', digits: 0 },
  psnrOverBicubic: { label: 'PSNR over bicubic upsampling (dB)', digits: 2 },
  translatedSmilingFraction: { label: 'translated neutral faces scored smiling', digits: 3 },
  cycleL1: { label: 'cycle reconstruction L1', digits: 4 },
} as const satisfies Record<string, { label: string; digits: number }>

export type MetricId = keyof typeof METRICS

const metricIdSchema = z.enum(Object.keys(METRICS) as [MetricId, ...MetricId[]])

/**
 * A target against a fixed threshold, "beats another preset's value of the metric", or a
 * number only reported (the issue asks for some values without a threshold).
 */
export const qualityTargetSchema = z.union([
  z.strictObject({ metric: metricIdSchema, op: z.enum(['>=', '<=']), value: z.number() }),
  z.strictObject({ metric: metricIdSchema, op: z.literal('>'), preset: z.string().min(1) }),
  z.strictObject({ metric: metricIdSchema, op: z.literal('report') }),
])

export type QualityTarget = z.infer<typeof qualityTargetSchema>

const nodeRef = z.string().min(1)
const samples = z.int().min(16).max(4096)

/** One node of the chain that turns an image into its embedding, run on evaluation inputs. */
const chainStep = z.strictObject({ node: nodeRef, input: nodeRef, output: nodeRef })

/**
 * How a preset's quality is measured after training, on held-out data (`evaluate.ts`):
 * - `verification`: every photo of every held-out identity of the SynthFaces node `data`, once,
 *   through the `embedding` chain (encoder, then a head if any) → AUC, TAR@FAR, top-1,
 *   few-shot. Not through `view.verification`, whose random batches may draw a photo twice
 *   and so count identical images as genuine pairs;
 * - `reconstruction`: `view.reconstruction` → mean squared error per pixel and PSNR;
 * - `denoising`: two `view.reconstruction`s, clean vs denoised and clean vs noisy input → the
 *   PSNR gain of the output over the input;
 * - `ringModes`: the generated points of a `view.scatter2d` against the 8 ring modes of
 *   `data.toy2d` → modes covered and the share of samples within 3σ of a mode.
 */
export const evaluationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('verification'),
    data: nodeRef,
    embedding: z.array(chainStep).min(1),
  }),
  z.strictObject({ kind: z.literal('reconstruction'), view: nodeRef, samples }),
  z.strictObject({ kind: z.literal('denoising'), denoised: nodeRef, noisy: nodeRef, samples }),
  z.strictObject({
    kind: z.literal('ringModes'),
    view: nodeRef,
    samples,
    /** σ of each mode (the data node's `spread`). */
    sigma: z.number().positive(),
    /**
     * A mode counts as covered when at least this share of the samples lies within 3σ of it
     * (an eighth of the samples is its fair share).
     */
    minShare: z.number().min(0).max(1),
  }),
])

export type Evaluation = z.infer<typeof evaluationSchema>

const text = z.string().min(1)

export const explainerSchema = z.strictObject({
  title: text,
  family: z.enum(PRESET_FAMILIES),
  /** What the model is, in two or three sentences. */
  model: text,
  /** The seminar's point this preset demonstrates. */
  point: text,
  /** What to look at while and after it trains, view by view. */
  lookAt: z.array(text).min(1),
  /** Params worth changing, each with what to expect. */
  knobs: z.array(z.strictObject({ node: text, param: text, hint: text })).min(1),
  /** The defaults `npm run cli -- train <preset>` uses. */
  training: z.strictObject({
    steps: z.int().min(1),
    backend: z.enum(['wasm', 'cpu']),
  }),
  quality: z.strictObject({
    /** The target in words, for the explainer panel. */
    summary: text,
    /** How it is measured: data, sample counts, definitions. */
    measured: text,
    targets: z.array(qualityTargetSchema).min(1),
    /** Absent while the evaluation for this preset is not written yet. */
    evaluation: evaluationSchema.optional(),
  }),
})

export type Explainer = z.infer<typeof explainerSchema>

export type ExplainerResult = { ok: true; explainer: Explainer } | { ok: false; problems: string[] }

/**
 * The explainer of a document, or why it has none that fits: the schema, and that every node
 * it names exists in the graph and every param on that node's type (a knob on a renamed node
 * would point nowhere).
 */
export function readExplainer(document: GraphDocument, registry: NodeRegistry): ExplainerResult {
  const parsed = explainerSchema.safeParse(document.meta.explainer)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (issue) => `meta.explainer.${issue.path.join('.')}: ${issue.message}`,
      ),
    }
  }
  const explainer = parsed.data
  const nodes = new Map(document.nodes.map((node) => [node.id, node]))
  const problems: string[] = []
  for (const knob of explainer.knobs) {
    const node = nodes.get(knob.node)
    if (node === undefined) problems.push(`knob ${knob.node}.${knob.param}: no node ${knob.node}`)
    else if (!Object.hasOwn(registry.get(node.type)?.params ?? {}, knob.param))
      problems.push(`knob ${knob.node}.${knob.param}: ${node.type} has no param ${knob.param}`)
  }
  const { evaluation } = explainer.quality
  const needed = evaluation === undefined ? [] : evaluationNodes(evaluation)
  for (const { id, type } of needed) {
    const node = nodes.get(id)
    if (node === undefined || (type !== undefined && node.type !== type))
      problems.push(`evaluation: no ${type ?? ''} node "${id}"`.replace('  ', ' '))
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, explainer }
}

/** The nodes an evaluation reads, with the type each must have when it matters. */
export function evaluationNodes(evaluation: Evaluation): { id: string; type?: string }[] {
  switch (evaluation.kind) {
    case 'verification':
      return [
        { id: evaluation.data, type: 'data.synthFaces' },
        ...evaluation.embedding.map((step) => ({ id: step.node })),
      ]
    case 'reconstruction':
      return [{ id: evaluation.view, type: 'view.reconstruction' }]
    case 'denoising':
      return [
        { id: evaluation.denoised, type: 'view.reconstruction' },
        { id: evaluation.noisy, type: 'view.reconstruction' },
      ]
    case 'ringModes':
      return [{ id: evaluation.view, type: 'view.scatter2d' }]
  }
}
