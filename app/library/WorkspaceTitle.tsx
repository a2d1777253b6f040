import { saveStateLabel } from './saveStateLabel'
import type { SaveState } from './workspace'

const STATE_STYLES: Record<SaveState, string> = {
  new: 'text-zinc-500 dark:text-zinc-400',
  saved: 'text-zinc-500 dark:text-zinc-400',
  unsaved: 'text-zinc-500 dark:text-zinc-400',
  saving: 'text-zinc-500 dark:text-zinc-400',
  failed: 'font-medium text-red-700 dark:text-red-400',
  conflict: 'font-medium text-amber-700 dark:text-amber-400',
  off: 'font-medium text-amber-700 dark:text-amber-400',
}

/** The open graph's name and whether it is saved, beside the app's title. */
export function WorkspaceTitle({ name, saveState }: { name: string; saveState: SaveState }) {
  const { label, description } = saveStateLabel(saveState)
  return (
    <div
      role="group"
      aria-label="Current graph"
      // A fixed width: the state's words change with every edit, and a toolbar that rewraps
      // would move the whole page under the pointer.
      className="flex w-56 shrink-0 items-baseline gap-2 text-xs"
      data-save-state={saveState}
    >
      <span className="min-w-0 truncate font-medium text-zinc-800 dark:text-zinc-200" title={name}>
        {name}
      </span>
      <span className={`shrink-0 ${STATE_STYLES[saveState]}`} title={description}>
        {label}
      </span>
    </div>
  )
}
