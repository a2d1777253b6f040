/**
 * The preset catalogue (DESIGN §6): every seminar preset with its id, title and family, and the
 * one way to open it — through the same loader as a user's file, so a preset gets the same
 * migrations, defaults and diagnostics. The JSON files are written by `scripts/buildPresets.ts`.
 */
import { z } from 'zod'
import type { GraphDocument } from '../graph-core/document'
import type { Diagnostic } from '../graph-core/diagnostics'
import { loadDocument } from '../graph-core/loader'
import type { NodeRegistry } from '../graph-core/registry'
import arcface from './arcface.json'
import autoencoder from './autoencoder.json'
import centerLoss from './center-loss.json'
import cosface from './cosface.json'
import cyclegan from './cyclegan.json'
import dcgan from './dcgan.json'
import denoisingAutoencoder from './denoising-autoencoder.json'
import { explainerSchema, readExplainer, type Explainer, type PresetFamily } from './explainer'
import gan2d from './gan-2d.json'
import { PRESET_IDS, type PresetId } from './ids'
import pix2pix from './pix2pix.json'
import softmaxBaseline from './softmax-baseline.json'
import sphereface from './sphereface.json'
import superResolution from './super-resolution.json'
import triplet from './triplet.json'
import vae from './vae.json'

export { PRESET_IDS, type PresetId } from './ids'

/** The parsed JSON of each preset, as committed. */
const SOURCES: Readonly<Record<PresetId, unknown>> = {
  'softmax-baseline': softmaxBaseline,
  triplet,
  'center-loss': centerLoss,
  sphereface,
  cosface,
  arcface,
  autoencoder,
  'denoising-autoencoder': denoisingAutoencoder,
  vae,
  'gan-2d': gan2d,
  dcgan,
  pix2pix,
  'super-resolution': superResolution,
  cyclegan,
}

/** What a Presets menu lists. */
export interface PresetEntry {
  readonly id: PresetId
  readonly title: string
  readonly family: PresetFamily
}

// Loose: the rest of the explainer is checked when the preset is opened.
const entrySchema = z.looseObject({
  title: explainerSchema.shape.title,
  family: explainerSchema.shape.family,
})

/** Every preset in the seminar's order (metric learning, autoencoders, GANs). */
export const PRESETS: readonly PresetEntry[] = PRESET_IDS.map((id) => {
  const source = SOURCES[id] as { meta?: { explainer?: unknown } }
  // A malformed explainer fails here at import time, and the preset test says which.
  const { title, family } = entrySchema.parse(source.meta?.explainer)
  return { id, title, family }
})

/** A preset opened: the document as the loader gives it, and its explainer. */
export type PresetLoad =
  | { ok: true; document: GraphDocument; explainer: Explainer; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] }

/** Whether a string is a preset id (links and the CLI take ids from outside). */
export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id)
}

/**
 * Opens a preset through the loader, as a user's file would be; a fresh copy each time, so
 * editing it never changes the catalogue. An explainer that does not fit refuses the preset.
 */
export function loadPreset(id: PresetId, registry: NodeRegistry): PresetLoad {
  const loaded = loadDocument(structuredClone(SOURCES[id]), registry)
  if (!loaded.ok) return loaded
  const explained = readExplainer(loaded.document, registry)
  if (!explained.ok) {
    return {
      ok: false,
      diagnostics: explained.problems.map((message) => ({
        code: 'SCHEMA_INVALID',
        severity: 'error',
        message: `The preset ${id} explains itself wrongly: ${message}`,
      })),
    }
  }
  return {
    ok: true,
    document: loaded.document,
    explainer: explained.explainer,
    diagnostics: loaded.diagnostics,
  }
}
