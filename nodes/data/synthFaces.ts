import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import {
  configProblem,
  FaceSource,
  type FaceBatch,
  type RenderedPhoto,
  type Sampler,
  type Split,
  type SynthFacesConfig,
} from './synthFaces/dataset'

/** The params of {@link synthFaces}, apart so helpers can be typed by them. */
export const SYNTH_FACES_PARAMS = {
  seed: param.int({
    default: 1,
    min: 0,
    max: 2 ** 31 - 1,
    help: 'Fixes every identity and photo: the same seed gives the same images, pixel for pixel.',
  }),
  size: param.int({
    default: 32,
    min: 16,
    max: 128,
    label: 'image size',
    help: 'Width and height in pixels; 32 trains fast, 64 shows more detail.',
  }),
  channels: param.choice({
    default: '1',
    options: [
      { value: '1', label: 'Grayscale (1)' },
      { value: '3', label: 'RGB (3)' },
    ],
    help: 'Grayscale is faster to learn; RGB adds skin, hair and eye colour.',
  }),
  identities: param.int({
    default: 500,
    min: 4,
    max: 100_000,
    help: 'People in the dataset, training and held-out together.',
  }),
  photos: param.int({
    default: 20,
    min: 1,
    max: 10_000,
    label: 'photos per identity',
    help: 'Photos of each person; all are drawn on demand, none are stored.',
  }),
  heldOutIdentities: param.int({
    default: 100,
    min: 2,
    max: 100_000,
    label: 'held-out identities',
    help: 'People never seen in training, for verification of new faces. Taken from the end of the id range.',
  }),
  sampler: param.choice({
    default: 'random',
    options: [
      { value: 'random', label: 'Random photos' },
      { value: 'pk', label: 'P identities × K photos' },
    ],
    help: 'P×K batches give every identity K photos, as triplet and contrastive losses need; random batches suit softmax, ArcFace and autoencoders.',
  }),
  batchSize: param.int({
    default: 64,
    min: 1,
    max: 1024,
    label: 'batch size',
    help: 'Photos per random batch (P×K batches hold P·K).',
  }),
  identitiesPerBatch: param.int({
    default: 16,
    min: 1,
    max: 1024,
    label: 'identities per batch (P)',
    help: 'Distinct people in a P×K batch; must not exceed the training or held-out identities.',
  }),
  photosPerIdentity: param.int({
    default: 4,
    min: 1,
    max: 256,
    label: 'photos per identity (K)',
    help: 'Photos of each person in a P×K batch; 2 or more for triplets.',
  }),
}

export type SynthFacesParams = ParamValues<typeof SYNTH_FACES_PARAMS>

/**
 * SynthFaces (DESIGN §5): a deterministic procedural face dataset for metric learning,
 * autoencoders and GANs, drawn on demand in pure TypeScript (`synthFaces/`).
 *
 * - An identity is a face shape, skin tone, eyes, brows, nose, mouth, ears and hair
 *   (`synthFaces/identity.ts`); about a third are "siblings" of an earlier identity, so there
 *   are look-alike hard negatives. Each photo varies pose (shift, rotation, scale, head turn),
 *   lighting (direction, strength, exposure), background, clothing, expression (`smile` in
 *   [0, 1]), glasses (some identities, some photos), noise and, in 15% of photos, an occluding
 *   rectangle (`synthFaces/render.ts`).
 * - Photo (i, j) is a pure function of (`seed`, i, j): the same seed gives byte-identical
 *   images everywhere. Batches are drawn from the pass's seed, so each run sees new batches.
 * - Splits are by identity: the last `heldOutIdentities` ids are held out and never appear in
 *   `train` batches. Labels are global ids, so training labels are 0 … classes−1 and held-out
 *   labels are ≥ classes: they never collide (`synthFaces/dataset.ts`).
 * - `sampler: 'pk'` gives P identities × K photos (exactly P distinct labels, each K times), as
 *   triplet and contrastive losses need; `random` gives `batchSize` photos of random identities.
 *
 * Calibration: cosine similarity of raw pixels verifies held-out pairs with a ROC AUC of about
 * 0.64 at the defaults, while a small trained MLP embedding reaches about 0.95
 * (`synthFaces/dataset.test.ts`): the metric-learning gap the seminar is about.
 */
export const synthFaces = defineNode({
  type: 'data.synthFaces',
  version: 1,
  category: 'data',
  label: 'SynthFaces',
  description:
    'Procedural face photos of hundreds of identities, with held-out people, smile and glasses labels.',
  inputs: {},
  outputs: {
    images: tensor({ rank: 3, description: 'A face photo, [size, size, channels] in [0, 1].' }),
    labels: labels({
      description: 'Identity id; held-out identities have ids ≥ the training count.',
    }),
    smile: tensor({ rank: 1, description: 'How much the face smiles, [1] in [0, 1].' }),
    glasses: tensor({ rank: 1, description: 'Whether the face wears glasses, [1]: 0 or 1.' }),
  },
  params: SYNTH_FACES_PARAMS,
  dataInfo: (params) => {
    const classes = params.identities - params.heldOutIdentities
    return {
      classes,
      samplesPerClassPerBatch:
        params.sampler === 'pk' ? params.photosPerIdentity : params.batchSize / classes,
    }
  },
  inferShapes: (_inputs, params) => {
    const problem = configProblem(synthFacesConfig(params), samplerOf(params))
    if (problem !== undefined) return fail(paramIssue(problem))
    const channels = channelCount(params)
    return ok({
      images: [params.size, params.size, channels],
      labels: [],
      smile: [1],
      glasses: [1],
    })
  },
  build: ({ params }) => {
    const source = new FaceSource(synthFacesConfig(params))
    const sampler = samplerOf(params)
    const { size } = params
    const channels = channelCount(params)
    return {
      forward: (_inputs, { tf, split, seed }) => {
        const batch = source.sampleBatch(split, sampler, seed)
        const n = batch.count
        // One upload per output: the batch is built on the host first.
        return {
          images: tf.tensor(batch.images, [n, size, size, channels], 'float32'),
          labels: tf.tensor(batch.labels, [n], 'int32'),
          smile: tf.tensor(batch.smile, [n, 1], 'float32'),
          glasses: tf.tensor(batch.glasses, [n, 1], 'float32'),
        }
      },
    }
  },
})

function channelCount(params: SynthFacesParams): 1 | 3 {
  return params.channels === '3' ? 3 : 1
}

function paramIssue(message: string): ShapeIssue {
  return { message }
}

/** The dataset the node's params describe. */
export function synthFacesConfig(params: SynthFacesParams): SynthFacesConfig {
  return {
    seed: params.seed,
    size: params.size,
    channels: channelCount(params),
    identities: params.identities,
    photos: params.photos,
    heldOutIdentities: params.heldOutIdentities,
  }
}

/** The batch sampler the node's params describe. */
export function samplerOf(params: SynthFacesParams): Sampler {
  return params.sampler === 'pk'
    ? {
        kind: 'pk',
        identitiesPerBatch: params.identitiesPerBatch,
        photosPerIdentity: params.photosPerIdentity,
      }
    : { kind: 'random', batchSize: params.batchSize }
}

/**
 * Photo `photo` of identity `identity` (a global id) as the node would draw it, with its smile
 * and glasses labels. Pure, no TF.js: for the CLI, tools and the app's previews.
 */
export function renderPhoto(
  params: SynthFacesParams,
  identity: number,
  photo: number,
): RenderedPhoto {
  return new FaceSource(synthFacesConfig(params)).render(identity, photo)
}

/**
 * The batch the node's forward pass would upload for `split` and pass seed `seed`, as host
 * arrays. Throws (a RangeError naming the problem) when the params cannot make one.
 */
export function sampleBatch(params: SynthFacesParams, split: Split, seed: number): FaceBatch {
  return new FaceSource(synthFacesConfig(params)).sampleBatch(split, samplerOf(params), seed)
}
