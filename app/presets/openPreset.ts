/**
 * Opening a preset (DESIGN §6) the way a share link opens (§8): the catalogue loads it through
 * the graph loader, and the workspace opens it as a new graph in the library. The graph that was
 * open is saved first and stays in the library; nothing is overwritten, and the editor starts a
 * fresh undo history on the preset.
 */
import type { NodeRegistry } from '../../graph-core/registry'
import type { Explainer } from '../../presets/explainer'
import type { PresetId } from '../../presets/ids'
import type { EditorStore } from '../editor/editorStore'
import type { Workspace } from '../library/workspace'
import type { PresetCatalog } from './presetCatalog'

export interface OpenPresetOptions {
  catalog: Pick<PresetCatalog, 'PRESETS' | 'loadPreset'>
  registry: NodeRegistry
  workspace: Pick<Workspace, 'openLoaded'>
  store: Pick<EditorStore, 'getState'>
}

/**
 * Opens a preset. Resolves to its explainer once the editor shows it; undefined when it was
 * refused (a notice says why) or is waiting for the user to decide about unsaved edits.
 */
export async function openPreset(
  id: PresetId,
  { catalog, registry, workspace, store }: OpenPresetOptions,
): Promise<Explainer | undefined> {
  const title = catalog.PRESETS.find((preset) => preset.id === id)?.title ?? id
  const loaded = catalog.loadPreset(id, registry)
  const source = { label: `The preset “${title}”`, note: `Opened from the preset “${title}”` }
  if (!loaded.ok) {
    await workspace.openLoaded(loaded, source)
    return undefined
  }
  const { document, diagnostics, explainer } = loaded
  await workspace.openLoaded({ ok: true, document, diagnostics }, source)
  // The workspace shows this very document when it opened it, saved or not.
  return store.getState().document === document ? explainer : undefined
}
