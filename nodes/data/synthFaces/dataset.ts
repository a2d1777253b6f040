/**
 * SynthFaces as a dataset: identities 0 … identities−1, each with photos 0 … photos−1, split by
 * identity, and batches sampled from one split. Photo (i, j) is a pure function of (seed, i,
 * j), generated on demand: nothing is precomputed, so the dataset can be as large as its params
 * say at no memory cost.
 *
 * Splits: the last `heldOutIdentities` ids are held out, the rest are for training, so the two
 * never share a person. Labels are global identity ids: training labels run 0 … train−1 (the
 * class index a classifier head expects) and held-out labels train … identities−1, so a
 * held-out label can never be mistaken for a training one.
 */
import { faceIdentity, STREAM, type FaceIdentity } from './identity'
import { distinctInts, hashSeed, Rng } from './random'
import { FaceRenderer, photoConditions } from './render'

/** What fixes a SynthFaces dataset; the node's params supply it. */
export interface SynthFacesConfig {
  /** Fixes identities and photos: same seed, byte-identical images. */
  readonly seed: number
  /** Image side in pixels. */
  readonly size: number
  /** 1 grayscale, 3 RGB. */
  readonly channels: 1 | 3
  /** People in the dataset, training and held-out together. */
  readonly identities: number
  /** Photos of each person. */
  readonly photos: number
  /** People kept out of training (the last ids). */
  readonly heldOutIdentities: number
}

export type Split = 'train' | 'heldOut'

/** `random`: photos of any identities of the split; `pk`: P identities × K photos each. */
export type Sampler =
  | { readonly kind: 'random'; readonly batchSize: number }
  | { readonly kind: 'pk'; readonly identitiesPerBatch: number; readonly photosPerIdentity: number }

/** One batch, as flat typed arrays ready for upload. */
export interface FaceBatch {
  readonly count: number
  /** [count, size, size, channels] in [0, 1]. */
  readonly images: Float32Array
  /** Global identity ids (see the module comment). */
  readonly labels: Int32Array
  /** Photo index of each row within its identity. */
  readonly photos: Int32Array
  /** [count] smile in [0, 1]. */
  readonly smile: Float32Array
  /** [count] 1 with glasses, 0 without. */
  readonly glasses: Float32Array
}

/** One photo and its labelled attributes. */
export interface RenderedPhoto {
  /** [size, size, channels] in [0, 1]. */
  readonly pixels: Float32Array
  readonly smile: number
  readonly glasses: 0 | 1
}

/** The ids of a split: `count` identities from `first`. */
export function splitRange(
  config: SynthFacesConfig,
  split: Split,
): { first: number; count: number } {
  const train = config.identities - config.heldOutIdentities
  return split === 'train'
    ? { first: 0, count: train }
    : { first: train, count: config.heldOutIdentities }
}

/** Why a config cannot make batches with a sampler, or undefined when it can. */
export function configProblem(config: SynthFacesConfig, sampler?: Sampler): string | undefined {
  const train = config.identities - config.heldOutIdentities
  if (train < 2)
    return `${config.identities} identities with ${config.heldOutIdentities} held out leave ${train} for training; at least 2 are needed`
  if (config.heldOutIdentities < 2) return 'at least 2 identities must be held out'
  if (sampler?.kind === 'pk') {
    const { identitiesPerBatch: p, photosPerIdentity: k } = sampler
    if (p > Math.min(train, config.heldOutIdentities))
      return `P = ${p} identities per batch, but the ${p > train ? 'training' : 'held-out'} split has only ${Math.min(train, config.heldOutIdentities)}`
    if (k > config.photos)
      return `K = ${k} photos per identity, but each identity has only ${config.photos}`
  }
  return undefined
}

/**
 * Identities (cached) and a renderer for one config: what a node keeps between batches. Use
 * {@link renderPhoto} and {@link sampleBatch} for one-off calls.
 */
export class FaceSource {
  readonly config: SynthFacesConfig
  private readonly renderer: FaceRenderer
  private readonly identities = new Map<number, FaceIdentity>()

  constructor(config: SynthFacesConfig) {
    this.config = config
    this.renderer = new FaceRenderer(config.size, config.channels)
  }

  /** Values per image: size × size × channels. */
  get imageLength(): number {
    return this.renderer.imageLength
  }

  identity(id: number): FaceIdentity {
    if (!Number.isInteger(id) || id < 0 || id >= this.config.identities)
      throw new RangeError(`identity ${id} is not in 0…${this.config.identities - 1}`)
    let identity = this.identities.get(id)
    if (identity === undefined) {
      identity = faceIdentity(this.config.seed, id)
      this.identities.set(id, identity)
    }
    return identity
  }

  /** Draws photo `photo` of identity `id` into `out` at `offset`; returns its attributes. */
  renderInto(
    id: number,
    photo: number,
    out: Float32Array,
    offset = 0,
  ): { smile: number; glasses: 0 | 1 } {
    if (!Number.isInteger(photo) || photo < 0 || photo >= this.config.photos)
      throw new RangeError(`photo ${photo} is not in 0…${this.config.photos - 1}`)
    const identity = this.identity(id)
    const conditions = photoConditions(this.config.seed, identity, photo)
    this.renderer.render(identity, conditions, out, offset)
    return { smile: conditions.smile, glasses: conditions.hasGlasses ? 1 : 0 }
  }

  render(id: number, photo: number): RenderedPhoto {
    const pixels = new Float32Array(this.imageLength)
    return { pixels, ...this.renderInto(id, photo, pixels) }
  }

  /** The (identity, photo) pairs of one batch, from `seed`. */
  batchIndex(
    split: Split,
    sampler: Sampler,
    seed: number,
  ): { identities: number[]; photos: number[] } {
    const problem = configProblem(this.config, sampler)
    if (problem !== undefined) throw new RangeError(problem)
    const { first, count } = splitRange(this.config, split)
    const rng = new Rng(hashSeed(this.config.seed, STREAM.batch, seed, split === 'train' ? 0 : 1))
    const identities: number[] = []
    const photos: number[] = []
    if (sampler.kind === 'random') {
      for (let row = 0; row < sampler.batchSize; row++) {
        identities.push(first + rng.int(count))
        photos.push(rng.int(this.config.photos))
      }
    } else {
      // P distinct identities, then K distinct photos of each: rows are grouped by identity.
      for (const offset of distinctInts(rng, sampler.identitiesPerBatch, count)) {
        for (const photo of distinctInts(rng, sampler.photosPerIdentity, this.config.photos)) {
          identities.push(first + offset)
          photos.push(photo)
        }
      }
    }
    return { identities, photos }
  }

  /** A batch of `split` drawn by `sampler`; the same seed gives the same batch. */
  sampleBatch(split: Split, sampler: Sampler, seed: number): FaceBatch {
    const { identities, photos } = this.batchIndex(split, sampler, seed)
    const count = identities.length
    const length = this.imageLength
    const batch = {
      count,
      images: new Float32Array(count * length),
      labels: Int32Array.from(identities),
      photos: Int32Array.from(photos),
      smile: new Float32Array(count),
      glasses: new Float32Array(count),
    }
    for (let row = 0; row < count; row++) {
      const attributes = this.renderInto(
        identities[row] ?? 0,
        photos[row] ?? 0,
        batch.images,
        row * length,
      )
      batch.smile[row] = attributes.smile
      batch.glasses[row] = attributes.glasses
    }
    return batch
  }
}

/** Photo `photo` of identity `identity` (a global id) with its smile and glasses labels. */
export function renderPhoto(
  config: SynthFacesConfig,
  identity: number,
  photo: number,
): RenderedPhoto {
  return new FaceSource(config).render(identity, photo)
}

/** One batch of `split` drawn by `sampler` from `seed`, without TF.js (for the CLI and tools). */
export function sampleBatch(
  config: SynthFacesConfig,
  split: Split,
  sampler: Sampler,
  seed: number,
): FaceBatch {
  return new FaceSource(config).sampleBatch(split, sampler, seed)
}
