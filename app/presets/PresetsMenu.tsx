import { useEffect, useState } from 'react'
import type { PresetId } from '../../presets/ids'
import { MenuButton } from '../components/MenuButton'
import { loadedPresetCatalog, loadPresetCatalog, type PresetCatalog } from './presetCatalog'
import { presetMenuEntries } from './presetMenu'

/**
 * The toolbar's Presets menu (DESIGN §6, §9): the seminar's models by family, each with a line
 * on what it shows. The catalogue loads on demand, starting as soon as the menu is on screen.
 */
export function PresetsMenu({ onChoose }: { onChoose: (id: PresetId) => void }) {
  const [catalog, setCatalog] = useState<PresetCatalog | undefined>(loadedPresetCatalog)
  const [failure, setFailure] = useState<string>()

  useEffect(() => {
    if (catalog !== undefined) return
    let isMounted = true
    loadPresetCatalog().then(
      (loaded) => {
        if (isMounted) setCatalog(loaded)
      },
      (cause: unknown) => {
        if (isMounted) setFailure(cause instanceof Error ? cause.message : String(cause))
      },
    )
    return () => {
      isMounted = false
    }
  }, [catalog, failure])

  return (
    <MenuButton
      label="Presets"
      menuClassName="w-80 max-h-[calc(100vh-5rem)] overflow-y-auto"
      emptyText={
        failure === undefined
          ? 'Loading the presets…'
          : `The presets could not be loaded (${failure}). Open the menu again to retry.`
      }
      items={() => {
        if (catalog === undefined) {
          // Opening the menu after a failure is the retry.
          if (failure !== undefined) setFailure(undefined)
          return []
        }
        return presetMenuEntries(catalog.PRESETS).map((entry) => ({
          ...entry,
          onSelect: () => {
            onChoose(entry.id)
          },
        }))
      }}
    />
  )
}
