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
  psnrBicubic: { label: 'PSNR of bicubic upsampling (dB)', digits: 2 },
  l1: { label: 'held-out L1 per pixel', digits: 4 },
  classifierAccuracy: { label: 'probe classifier held-out accuracy', digits: 3 },
  realConfidentFraction: {
    label: 'real held-out digits classified with confidence ≥ 0.9',
    digits: 3,
  },
  negElbo: { label: 'held-out negative ELBO per face', digits: 1 },
  smileProbeError: { label: 'smile regressor held-out mean error', digits: 3 },
  realSmilingFraction: { label: 'real held-out smiling faces scored smiling', digits: 3 },
  neutralSmilingFraction: {
    label: 'held-out neutral faces scored smiling before translation',
    digits: 3,
  },
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
 *   `data.toy2d` → modes covered and the share of samples within 3σ of a mode;
 * - `superResolution`, `translation`: every held-out digit through the graph's transform and
 *   generator → PSNR (and against bicubic upsampling), L1;
 * - `digitSamples`: generator samples scored by a digit classifier the evaluation trains;
 * - `vaeSmile`, `cycleSmile`: held-out faces through the VAE or the CycleGAN generators, scored
 *   by a smile regressor the evaluation trains (`generativeEvaluations.ts`).
 */
export const evaluationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('verification'),
    data: nodeRef,
    embedding: z.array(chainStep).min(1),
    /** Photos 0 … n−1 of each held-out identity; all of them when absent. */
    photosPerIdentity: z.int().min(2).optional(),
  }),
  z.strictObject({ kind: z.literal('reconstruction'), view: nodeRef, samples }),
  z.strictObject({ kind: z.literal('denoising'), denoised: nodeRef, noisy: nodeRef, samples }),
  z.strictObject({
    kind: z.literal('superResolution'),
    data: nodeRef,
    downsample: nodeRef,
    generator: nodeRef,
  }),
  z.strictObject({
    kind: z.literal('translation'),
    data: nodeRef,
    transform: chainStep,
    generator: nodeRef,
  }),
  z.strictObject({
    kind: z.literal('digitSamples'),
    data: nodeRef,
    noise: nodeRef,
    generator: nodeRef,
    samples,
  }),
  z.strictObject({
    kind: z.literal('vaeSmile'),
    data: nodeRef,
    encoder: nodeRef,
    decoder: nodeRef,
    photosPerIdentity: z.int().min(1).optional(),
    /** Smile score from which a training face counts as smiling for the smile vector. */
    threshold: z.number().min(0).max(1),
    /** Held-out faces below this smile score are the neutral ones the vector is added to. */
    neutralBelow: z.number().min(0).max(1),
  }),
  z.strictObject({
    kind: z.literal('cycleSmile'),
    data: nodeRef,
    filter: nodeRef,
    forward: nodeRef,
    backward: nodeRef,
    photosPerIdentity: z.int().min(1).optional(),
  }),
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
    /**
     * Variants the quality bench also trains and evaluates, for a comparison the seminar makes
     * (the triplet curriculum against hard mining from step 0): the same graph with these
     * params changed. Their metrics are reported beside the preset's, without targets.
     */
    variants: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9-]+$/),
          title: text,
          edits: z.array(z.strictObject({ node: text, param: text, value: z.unknown() })).min(1),
        }),
      )
      .optional(),
  }),
})

export type Explainer = z.infer<typeof explainerSchema>

export type QualityVariant = NonNullable<Explainer['quality']['variants']>[number]

/** The document of a variant: a copy with the variant's params changed. */
export function applyVariant(document: GraphDocument, variant: QualityVariant): GraphDocument {
  const copy = structuredClone(document)
  for (const edit of variant.edits) {
    const node = copy.nodes.find((candidate) => candidate.id === edit.node)
    if (node !== undefined) node.params = { ...node.params, [edit.param]: edit.value }
  }
  return copy
}

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
  for (const variant of explainer.quality.variants ?? []) {
    for (const edit of variant.edits) {
      const node = nodes.get(edit.node)
      if (node === undefined || !Object.hasOwn(registry.get(node.type)?.params ?? {}, edit.param))
        problems.push(`variant ${variant.id}: no param ${edit.node}.${edit.param}`)
    }
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
    case 'superResolution':
      return [
        { id: evaluation.data, type: 'data.mnist' },
        { id: evaluation.downsample, type: 'data.downsample' },
        { id: evaluation.generator, type: 'model.generator' },
      ]
    case 'translation':
      return [
        { id: evaluation.data, type: 'data.mnist' },
        { id: evaluation.transform.node },
        { id: evaluation.generator, type: 'model.generator' },
      ]
    case 'digitSamples':
      return [
        { id: evaluation.data, type: 'data.mnist' },
        { id: evaluation.noise, type: 'data.noise' },
        { id: evaluation.generator, type: 'model.generator' },
      ]
    case 'vaeSmile':
      return [
        { id: evaluation.data, type: 'data.synthFaces' },
        { id: evaluation.encoder, type: 'model.encoder' },
        { id: evaluation.decoder, type: 'model.decoder' },
      ]
    case 'cycleSmile':
      return [
        { id: evaluation.data, type: 'data.synthFaces' },
        { id: evaluation.filter, type: 'data.attributeFilter' },
        { id: evaluation.forward, type: 'model.generator' },
        { id: evaluation.backward, type: 'model.generator' },
      ]
  }
}
