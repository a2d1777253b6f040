import { useEffect, useId, useRef, useState } from 'react'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { useEditorContext } from '../editor/editorContext'
import { searchNodes, type WireEnd } from '../editor/nodeSearch'

interface QuickAddProps {
  /** Where the box opens, in pixels inside the canvas. */
  at: { left: number; top: number }
  /** A dropped wire: only node types that can take it are offered. */
  wire: WireEnd | undefined
  onPick: (definition: AnyNodeDefinition) => void
  onClose: () => void
}

const MAX_RESULTS = 12

/**
 * The quick-add search at the cursor (double-click on the canvas, or a wire dropped on empty
 * canvas): type, arrow to a result, Enter adds it; Escape or a click elsewhere closes.
 */
export function QuickAdd({ at, wire, onPick, onClose }: QuickAddProps) {
  const { registry } = useEditorContext()
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const listId = useId()
  const boxRef = useRef<HTMLDivElement>(null)
  const results = searchNodes(registry.all(), query, wire).slice(0, MAX_RESULTS)
  const activeIndex = Math.min(active, Math.max(0, results.length - 1))

  useEffect(() => {
    const close = (event: PointerEvent) => {
      if (!(event.target instanceof Node) || boxRef.current?.contains(event.target) !== true)
        onClose()
    }
    window.addEventListener('pointerdown', close, true)
    return () => {
      window.removeEventListener('pointerdown', close, true)
    }
  }, [onClose])

  return (
    <div
      ref={boxRef}
      role="dialog"
      aria-label="Add node"
      className="absolute z-20 w-64 rounded-lg border border-zinc-300 bg-white p-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      style={{ left: at.left, top: at.top }}
    >
      {wire !== undefined && (
        <p className="mb-1 text-zinc-500">
          Nodes that can take this {wire.kind} {wire.from === 'output' ? 'output' : 'input'}
        </p>
      )}
      <input
        // The box exists to be typed into; it opens where the user just clicked.
        autoFocus
        type="search"
        role="combobox"
        aria-label="Search nodes to add"
        aria-controls={listId}
        aria-expanded="true"
        aria-activedescendant={results.length > 0 ? `${listId}-${activeIndex}` : undefined}
        value={query}
        placeholder="Search nodes to add"
        onChange={(event) => {
          setQuery(event.target.value)
          setActive(0)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose()
          else if (event.key === 'ArrowDown') setActive((activeIndex + 1) % (results.length || 1))
          else if (event.key === 'ArrowUp')
            setActive((activeIndex - 1 + results.length) % (results.length || 1))
          else if (event.key === 'Enter') {
            const picked = results[activeIndex]
            if (picked !== undefined) onPick(picked)
          } else return
          event.preventDefault()
        }}
        className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-950"
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Matching nodes"
        className="mt-1 max-h-64 overflow-auto"
      >
        {results.map((definition, index) => (
          <li
            key={definition.type}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === activeIndex}
            onPointerEnter={() => {
              setActive(index)
            }}
            onClick={() => {
              onPick(definition)
            }}
            className={`cursor-pointer rounded px-2 py-1 ${
              index === activeIndex ? 'bg-sky-100 dark:bg-sky-900/50' : ''
            }`}
          >
            <span className="font-medium">{definition.label}</span>{' '}
            <span className="text-zinc-400">{definition.type}</span>
          </li>
        ))}
        {results.length === 0 && <li className="px-2 py-1 text-zinc-500">No nodes match.</li>}
      </ul>
    </div>
  )
}
