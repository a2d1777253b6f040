import { useEffect } from 'react'

const SHORTCUTS: readonly [string, string][] = [
  ['Drag from the palette, or click an entry', 'Add a node'],
  ['Double-click the canvas', 'Search and add a node there'],
  ['Drag from a port to a port', 'Connect (refused wires say why)'],
  ['Drop a wire on empty canvas', 'Add a node that takes it'],
  ['Click, Shift/Ctrl+click, Shift+drag', 'Select, add to selection, box select'],
  ['Tab, then arrow keys', 'Focus nodes, move the selection'],
  ['Delete or Backspace', 'Delete the selection'],
  ['Ctrl/Cmd+C, X, V', 'Copy, cut, paste (between tabs too)'],
  ['Ctrl/Cmd+D', 'Duplicate the selection'],
  ['Ctrl/Cmd+A', 'Select every node'],
  ['Escape', 'Clear the selection'],
  ['Ctrl/Cmd+Z', 'Undo'],
  ['Ctrl/Cmd+Shift+Z or Ctrl+Y', 'Redo'],
  ['?', 'Show or hide this sheet'],
]

/** The keyboard and mouse shortcuts, opened with "?". */
export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
    }
  }, [onClose])
  return (
    <div
      className="fixed inset-0 z-30 flex items-center justify-center bg-black/30"
      onClick={onClose}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        className="max-w-lg rounded-lg bg-white p-4 text-xs shadow-xl dark:bg-zinc-900"
        onClick={(event) => {
          event.stopPropagation()
        }}
      >
        <div className="mb-2 flex items-center justify-between">
          <h2 className="text-sm font-semibold">Keyboard shortcuts</h2>
          <button
            type="button"
            onClick={onClose}
            className="rounded px-2 py-0.5 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            Close
          </button>
        </div>
        <table className="w-full">
          <tbody>
            {SHORTCUTS.map(([keys, action]) => (
              <tr key={keys} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="py-1 pr-4 font-mono">{keys}</td>
                <td className="py-1">{action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
