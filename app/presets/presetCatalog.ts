/**
 * The preset catalogue (`presets/catalog.ts`), loaded on demand: its fourteen graphs stay out of
 * the bundle the page needs before it is usable. One import per page; a failed one (a chunk
 * missing after a deploy) is tried again on the next call.
 */
import type * as Catalog from '../../presets/catalog'

export type PresetCatalog = typeof Catalog

let pending: Promise<PresetCatalog> | undefined
let loaded: PresetCatalog | undefined

/** The catalogue module; the same promise for every caller until it settles. */
export function loadPresetCatalog(): Promise<PresetCatalog> {
  pending ??= import('../../presets/catalog').then(
    (catalog) => {
      loaded = catalog
      return catalog
    },
    (cause: unknown) => {
      pending = undefined
      throw cause
    },
  )
  return pending
}

/** The catalogue if it has loaded already (the menu lists it without waiting). */
export function loadedPresetCatalog(): PresetCatalog | undefined {
  return loaded
}
