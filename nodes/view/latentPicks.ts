/**
 * The user's picks among the held-out faces the latent tools show (issue #8): which two faces
 * the interpolation joins and which face the attribute vector is added to. The app sends them
 * with a view request; the worker decodes with them. Pure.
 */

/** Held-out faces the latent tools encode, decode and offer to pick from. */
export const LATENT_FACE_COUNT = 12

/** Indices into the first {@link LATENT_FACE_COUNT} held-out faces. */
export interface LatentPicks {
  /** The interpolation starts at this face… */
  readonly from: number
  /** …and ends at this one. */
  readonly to: number
  /** The face the attribute (smile) vector is added to. */
  readonly face: number
}

/** The first two faces, and the first as the attribute's face. */
export const DEFAULT_PICKS: LatentPicks = { from: 0, to: 1, face: 0 }

/**
 * The picks among `count` faces: each index kept when there is such a face, else its default
 * (the last face when the default is past the end). Undefined picks are the defaults.
 */
export function resolvePicks(picks: LatentPicks | undefined, count: number): LatentPicks {
  const last = Math.max(0, count - 1)
  const pick = (key: keyof LatentPicks) => {
    const index = picks?.[key]
    return index !== undefined && index < count ? index : Math.min(DEFAULT_PICKS[key], last)
  }
  return { from: pick('from'), to: pick('to'), face: pick('face') }
}
