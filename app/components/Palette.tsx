import { useId, useState } from 'react'

/**
 * The node palette: search across the catalogue and drag entries onto the canvas. It lists the
 * node registry, which is empty until the catalogue lands; the search box is already the one
 * automation uses ("Search nodes", DESIGN §9).
 */
export function Palette() {
  const [query, setQuery] = useState('')
  const searchId = useId()
  return (
    <aside
      aria-label="Palette"
      className="flex w-60 shrink-0 flex-col gap-2 border-r border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <label htmlFor={searchId} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Nodes
      </label>
      <input
        id={searchId}
        type="search"
        aria-label="Search nodes"
        placeholder="Search nodes"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value)
        }}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 placeholder:text-zinc-400 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
      />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {query === '' ? 'No node types are registered yet.' : `No nodes match “${query}”.`}
      </p>
    </aside>
  )
}
