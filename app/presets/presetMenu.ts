/**
 * The Presets menu's entries: every preset of the catalogue under its family, the families in
 * the seminar's order (metric learning, autoencoders, GANs), each preset with its title and
 * one-line hint.
 */
import type { PresetEntry } from '../../presets/catalog'
import { FAMILY_TITLES, PRESET_FAMILIES } from '../../presets/explainer'
import type { PresetId } from '../../presets/ids'
import { PRESET_HINTS } from './presetHints'

/** One entry of the menu (a `MenuItem` once it has its handler). */
export interface PresetMenuEntry {
  id: PresetId
  label: string
  description: string
  group: string
}

/** The entries grouped by family in the seminar's order; within a family, catalogue order. */
export function presetMenuEntries(presets: readonly PresetEntry[]): PresetMenuEntry[] {
  return PRESET_FAMILIES.flatMap((family) =>
    presets
      .filter((preset) => preset.family === family)
      .map((preset) => ({
        id: preset.id,
        label: preset.title,
        description: PRESET_HINTS[preset.id],
        group: FAMILY_TITLES[family],
      })),
  )
}
