/**
 * What the app may ask of a view beyond its node id (issue #8): the latent tools' picks among
 * the held-out faces they show. Plain data crossing the worker boundary, so it is validated
 * there; the type and the check only, nothing that loads TF.js (the app imports it).
 */
import { LATENT_FACE_COUNT, type LatentPicks } from '../nodes/view/latentPicks'

export interface ViewRequestOptions {
  readonly picks?: LatentPicks
}

const PICK_KEYS = ['from', 'to', 'face'] as const

/**
 * The options as sent, checked: an object with at most `picks`, whose three fields are whole
 * numbers in [0, LATENT_FACE_COUNT). Throws a TypeError naming the first field that is wrong;
 * `undefined` means no options.
 */
export function parseViewRequestOptions(value: unknown): ViewRequestOptions {
  if (value === undefined) return {}
  if (!isRecord(value)) throw new TypeError('view options must be an object')
  for (const key of Object.keys(value)) {
    if (key !== 'picks') throw new TypeError(`unknown view option "${key}"`)
  }
  const picks = value.picks
  if (picks === undefined) return {}
  if (!isRecord(picks)) throw new TypeError('picks must be an object')
  for (const key of Object.keys(picks)) {
    if (!(PICK_KEYS as readonly string[]).includes(key))
      throw new TypeError(`unknown pick "${key}"`)
  }
  const [from, to, face] = PICK_KEYS.map((key) => {
    const index = picks[key]
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= LATENT_FACE_COUNT
    ) {
      throw new TypeError(
        `picks.${key} must be a whole number from 0 to ${LATENT_FACE_COUNT - 1}, got ${String(index)}`,
      )
    }
    return index
  })
  return { picks: { from: from ?? 0, to: to ?? 1, face: face ?? 0 } }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
