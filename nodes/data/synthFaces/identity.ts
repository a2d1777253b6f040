/**
 * SynthFaces identities: what stays the same across every photo of one person. An identity is
 * a pure function of (dataset seed, identity id) — nothing is precomputed or stored.
 *
 * Face units: the face is an ellipse centred at (0, 0) with vertical half-axis about 1; u
 * points right, v points down. The renderer maps face units to pixels per photo (pose).
 *
 * Hard negatives ("siblings"): about {@link SIBLING_RATE} of identities are not drawn afresh.
 * Such an identity links to an earlier one within {@link SIBLING_WINDOW} ids and joins its
 * family; every family member is derived from the family's *founder* (the first identity of the
 * chain, drawn afresh): it keeps the founder's hair style and glasses shape and moves every
 * continuous trait by a Gaussian of {@link SIBLING_SPREAD} × the trait's range (clamped).
 * Siblings therefore look alike — same hair style, nearly the same geometry and colouring — yet
 * are different people. The short window keeps families mostly within one split, so training
 * batches and held-out pairs both contain look-alikes; a family may straddle the split
 * boundary, which only means a held-out person can resemble a training person, as in life.
 */
import { hashSeed, Rng } from './random'

/** Stream tags for {@link hashSeed}: each purpose draws from its own stream. */
export const STREAM = { identity: 1, family: 2, photo: 3, batch: 4, noise: 5 } as const

/** Share of identities derived from an earlier founder (look-alikes). */
export const SIBLING_RATE = 0.35
/** A sibling links to an identity at most this many ids before it (its founder, via a chain, may be further). */
export const SIBLING_WINDOW = 12
/** Standard deviation of a sibling's traits around its founder's, as a share of each range. */
export const SIBLING_SPREAD = 0.1

/** Hair styles; long and volume hair also grow behind the face. */
export const HAIR_STYLES = ['short', 'long', 'fringe', 'sidePart', 'receding', 'volume'] as const
export type HairStyle = (typeof HAIR_STYLES)[number]

/** Continuous traits and their ranges, in face units unless noted. */
export const TRAIT_RANGES = {
  /** Half-width of the face ellipse (the half-height is `faceHeight`). */
  faceWidth: [0.64, 0.86],
  faceHeight: [0.92, 1.08],
  /** How much narrower the jaw is than the cheeks (0: a plain ellipse). */
  jaw: [0, 0.35],
  /** 0 light … 1 dark. */
  skinTone: [0, 1],
  earSize: [0.7, 1.3],
  /** Half-width of an eye (sclera); its half-height is 0.55×. */
  eyeSize: [0.1, 0.16],
  /** Horizontal distance of each eye from the midline. */
  eyeSpacing: [0.26, 0.4],
  /** Vertical position of the eyes (negative is up). */
  eyeHeight: [-0.2, -0.04],
  /** 0 light (blue/grey) … 1 dark (brown) irises. */
  irisDarkness: [0.3, 1],
  /** Inner end of each brow lower (−) or higher (+), radians. */
  browAngle: [-0.4, 0.4],
  browThickness: [0.035, 0.075],
  browLength: [0.1, 0.17],
  /** Gap between eye centre and brow. */
  browGap: [0.14, 0.22],
  /** Distance from the eyes to the nose tip. */
  noseLength: [0.22, 0.38],
  noseWidth: [0.08, 0.15],
  /** Gap between the nose tip and the mouth. */
  mouthGap: [0.13, 0.22],
  /** Half-width of the mouth at a neutral expression. */
  mouthWidth: [0.15, 0.28],
  lipThickness: [0.03, 0.06],
  /** 0 pale … 1 red lips (RGB only; a slight darkening in grey). */
  lipColour: [0, 1],
  /** 0 a high (receding) hairline … 1 a low one. */
  hairCoverage: [0, 1],
  /** 0 fair … 1 black. */
  hairDarkness: [0, 1],
  /** Hue of the hair: 0 brown, 0.5 blond/ginger, 1 grey-ish (mixed with darkness). */
  hairHue: [0, 1],
  /** Per photo: chance of wearing glasses (0 for most identities, see {@link faceIdentity}). */
  glassesRate: [0, 1],
  /** Per photo smile is u^smileExponent for u uniform: above 1 a mostly serious person. */
  smileExponent: [0.5, 2],
} as const satisfies Record<string, readonly [number, number]>

export type Trait = keyof typeof TRAIT_RANGES
export const TRAITS = Object.keys(TRAIT_RANGES) as readonly Trait[]

/** Everything that is fixed for one person. */
export type FaceIdentity = Readonly<Record<Trait, number>> & {
  readonly id: number
  /** The founder this identity is a sibling of, or undefined for a founder. */
  readonly founder: number | undefined
  readonly hairStyle: HairStyle
  readonly isSquareGlasses: boolean
}

/** Whether identity `id` is a sibling, and of which founder (before following chains). */
function familyOf(seed: number, id: number): number | undefined {
  if (id === 0) return undefined
  const rng = new Rng(hashSeed(seed, STREAM.family, id))
  if (!rng.chance(SIBLING_RATE)) return undefined
  return id - 1 - rng.int(Math.min(SIBLING_WINDOW, id))
}

/** The founder of `id`'s family: follows sibling links down to an identity drawn afresh. */
export function founderOf(seed: number, id: number): number {
  let current = id
  // Each link goes to a smaller id, so this ends.
  for (let parent = familyOf(seed, current); parent !== undefined;) {
    current = parent
    parent = familyOf(seed, current)
  }
  return current
}

function freshIdentity(seed: number, id: number): FaceIdentity {
  const rng = new Rng(hashSeed(seed, STREAM.identity, id))
  const traits = {} as Record<Trait, number>
  for (const trait of TRAITS) {
    const [low, high] = TRAIT_RANGES[trait]
    traits[trait] = rng.range(low, high)
  }
  // Most people never wear glasses; a third do, in some of their photos.
  traits.glassesRate = rng.chance(0.32) ? rng.range(0.35, 0.95) : 0
  const hairStyle = HAIR_STYLES[rng.int(HAIR_STYLES.length)] ?? 'short'
  return { ...traits, id, founder: undefined, hairStyle, isSquareGlasses: rng.chance(0.5) }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value
}

/**
 * The identity `id` of the dataset with seed `seed`. Founders draw every trait uniformly from
 * {@link TRAIT_RANGES}; siblings perturb their founder's (see the module comment). Pure and
 * cheap (a few hundred operations), so callers may cache it or not.
 */
export function faceIdentity(seed: number, id: number): FaceIdentity {
  const founderId = founderOf(seed, id)
  const founder = freshIdentity(seed, founderId)
  if (founderId === id) return founder
  const rng = new Rng(hashSeed(seed, STREAM.identity, id))
  const traits = {} as Record<Trait, number>
  for (const trait of TRAITS) {
    const [low, high] = TRAIT_RANGES[trait]
    traits[trait] = clamp(founder[trait] + rng.normal() * SIBLING_SPREAD * (high - low), low, high)
  }
  // Glasses habits run in the family only loosely: keep the founder's or drop them.
  traits.glassesRate = rng.chance(0.5) ? founder.glassesRate : 0
  return {
    ...traits,
    id,
    founder: founderId,
    hairStyle: founder.hairStyle,
    isSquareGlasses: founder.isSquareGlasses,
  }
}

/**
 * How different two identities are, as the root-mean-square over traits of the difference in
 * units of each trait's range (0 the same, about 0.41 for two unrelated identities), plus 1 for
 * a different hair style. For tests and for picking hard negatives.
 */
export function identityDistance(a: FaceIdentity, b: FaceIdentity): number {
  let sum = 0
  for (const trait of TRAITS) {
    const [low, high] = TRAIT_RANGES[trait]
    sum += ((a[trait] - b[trait]) / (high - low)) ** 2
  }
  return Math.sqrt(sum / TRAITS.length) + (a.hairStyle === b.hairStyle ? 0 : 1)
}
