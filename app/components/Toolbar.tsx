import { Fragment, type ReactNode } from 'react'

/** The toolbar's controls (DESIGN §9), named by their visible text. */
export type ToolbarAction =
  | 'Train'
  | 'Pause'
  | 'Resume'
  | 'Step'
  | 'Stop'
  | 'Undo'
  | 'Redo'
  | 'Auto layout'
  | 'Save'
  | 'Share link'
  | 'Export JSON'
  | 'Import JSON'
  | 'Presets'
  | 'Library'

const GROUPS: readonly (readonly ToolbarAction[])[] = [
  ['Train', 'Pause', 'Resume', 'Step', 'Stop'],
  ['Undo', 'Redo', 'Auto layout'],
  ['Save', 'Share link', 'Export JSON', 'Import JSON'],
  ['Presets', 'Library'],
]

const SHORTCUT_HINTS: Partial<Record<ToolbarAction, string>> = {
  Undo: 'Ctrl+Z',
  Redo: 'Ctrl+Shift+Z',
}

/**
 * The toolbar of DESIGN §9. Every control is present; one without a handler, or one whose
 * handler cannot act now (Undo with nothing to undo), is disabled.
 */
export function Toolbar({
  title,
  status,
  runExtras,
  actions,
  controls = {},
}: {
  /** The open graph's name and save state, beside the app's name. */
  title?: ReactNode
  status: ReactNode
  /** Shown after the run controls (the "Step only…" menu). */
  runExtras?: ReactNode
  actions: Partial<Record<ToolbarAction, (() => void) | undefined>>
  /** Controls shown in place of a plain button (the Presets menu), under the same name. */
  controls?: Partial<Record<ToolbarAction, ReactNode>>
}) {
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="text-sm font-semibold tracking-tight text-zinc-900 dark:text-zinc-100">
        Latent Lab
      </h1>
      {title}
      <div role="toolbar" aria-label="Graph and run controls" className="flex flex-wrap gap-3">
        {GROUPS.map((group) => (
          <div key={group[0]} className="flex gap-1">
            {group.map((label) => {
              if (controls[label] !== undefined)
                return <Fragment key={label}>{controls[label]}</Fragment>
              const action = actions[label]
              const hint = SHORTCUT_HINTS[label]
              return (
                <button
                  key={label}
                  type="button"
                  disabled={action === undefined}
                  title={hint === undefined ? undefined : `${label} (${hint})`}
                  onClick={action}
                  className="rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-45 disabled:hover:bg-transparent dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
                >
                  {label}
                </button>
              )
            })}
            {group[0] === 'Train' && runExtras}
          </div>
        ))}
      </div>
      {/* A zero basis: whether the status wraps to a line of its own depends on the width of
          the window, not on the length of its text, so the page never jumps as it changes. */}
      <div className="min-w-64 flex-1 basis-0 text-right">{status}</div>
    </header>
  )
}
