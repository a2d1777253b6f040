/** The inspector: the selected node's parameters, diagnostics and cost, and the graph totals. */
export function Inspector() {
  return (
    <aside
      aria-label="Inspector"
      className="flex w-72 shrink-0 flex-col gap-2 border-l border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <h2 className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Inspector</h2>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Select a node to see and edit its parameters.
      </p>
    </aside>
  )
}
