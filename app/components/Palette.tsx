import { useReactFlow } from '@xyflow/react'
import { useId, useState } from 'react'
import type { AnyNodeDefinition, NodeCategory } from '../../graph-core/nodeDefinition'
import { DatasetsButton } from '../datasets/DatasetsPanel'
import { useEditorContext } from '../editor/editorContext'
import { CATEGORY_LABELS, CATEGORY_STYLES } from '../editor/formatting'
import { createNode, searchNodes } from '../editor/nodeSearch'
import { useStoredFlag } from './storedFlag'

/** The drag payload type of a palette entry: the node type id. */
export const PALETTE_DRAG_TYPE = 'application/x-latent-lab-node'

const CATEGORIES = Object.keys(CATEGORY_LABELS) as NodeCategory[]

/** Kept between visits: a preset's explainer and the inspector leave the canvas room enough. */
const COLLAPSED_KEY = 'latent-lab.paletteCollapsed'

const TOGGLE =
  'rounded-md px-1.5 py-0.5 text-sm leading-none text-zinc-500 hover:bg-zinc-200/70 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100'

/**
 * The node palette: the catalogue by category, a search across label, description and type id
 * ("Search nodes", DESIGN §9). Entries are dragged onto the canvas, or clicked (Enter) to add
 * them in the middle of the view. It folds into a narrow rail, and stays folded between visits.
 */
export function Palette() {
  const [isCollapsed, setCollapsed] = useStoredFlag(COLLAPSED_KEY)
  if (isCollapsed) {
    return (
      <aside
        aria-label="Palette"
        className="flex w-9 shrink-0 flex-col items-center border-r border-zinc-200 bg-zinc-50 py-3 dark:border-zinc-800 dark:bg-zinc-900/60"
      >
        <button
          type="button"
          aria-label="Show the node palette"
          aria-expanded={false}
          title="Show the node palette"
          onClick={() => {
            setCollapsed(false)
          }}
          className={TOGGLE}
        >
          »
        </button>
        <span className="mt-3 text-[11px] font-medium tracking-wide text-zinc-500 [writing-mode:vertical-rl] dark:text-zinc-400">
          Nodes
        </span>
      </aside>
    )
  }
  return (
    <ExpandedPalette
      onCollapse={() => {
        setCollapsed(true)
      }}
    />
  )
}

function ExpandedPalette({ onCollapse }: { onCollapse: () => void }) {
  const { store, registry } = useEditorContext()
  const flow = useReactFlow()
  const [query, setQuery] = useState('')
  const searchId = useId()
  const results = searchNodes(registry.all(), query)

  const addAtCenter = (definition: AnyNodeDefinition) => {
    const canvas = document.querySelector('[aria-label="Canvas"]')?.getBoundingClientRect()
    const center =
      canvas === undefined
        ? { x: 0, y: 0 }
        : flow.screenToFlowPosition({
            x: canvas.left + canvas.width / 2,
            y: canvas.top + canvas.height / 2,
          })
    const { document: graph } = store.getState()
    // Offset repeated adds so they do not stack exactly on top of each other.
    const shift = (graph.nodes.length % 8) * 24
    const node = createNode(
      definition,
      { x: center.x - 100 + shift, y: center.y - 60 + shift },
      new Set(graph.nodes.map((entry) => entry.id)),
    )
    if (store.dispatch({ type: 'addNodes', nodes: [node] })) store.select({ nodes: [node.id] })
  }

  return (
    <aside
      aria-label="Palette"
      className="flex w-60 shrink-0 flex-col gap-2 border-r border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <div className="flex items-center justify-between">
        <label htmlFor={searchId} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Nodes
        </label>
        <span className="flex items-center gap-1">
          <DatasetsButton />
          <button
            type="button"
            aria-label="Hide the node palette"
            aria-expanded={true}
            title="Hide the node palette"
            onClick={onCollapse}
            className={TOGGLE}
          >
            «
          </button>
        </span>
      </div>
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
      <div className="-mx-1 min-h-0 flex-1 overflow-y-auto px-1">
        {results.length === 0 && (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">No nodes match “{query}”.</p>
        )}
        {CATEGORIES.map((category) => {
          const entries = results.filter((definition) => definition.category === category)
          if (entries.length === 0) return null
          return (
            <section key={category} aria-label={CATEGORY_LABELS[category]} className="mb-2">
              <h3 className="mb-1 flex items-center gap-1.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                <span className={`h-2 w-2 rounded-full ${CATEGORY_STYLES[category]}`} />
                {CATEGORY_LABELS[category]}
              </h3>
              <ul className="flex flex-col gap-0.5">
                {entries.map((definition) => (
                  <li key={definition.type}>
                    <button
                      type="button"
                      draggable
                      aria-label={definition.label}
                      title={`${definition.description}\n${definition.type}`}
                      onDragStart={(event) => {
                        event.dataTransfer.setData(PALETTE_DRAG_TYPE, definition.type)
                        event.dataTransfer.effectAllowed = 'copy'
                      }}
                      onClick={() => {
                        addAtCenter(definition)
                      }}
                      className="w-full cursor-grab rounded-md px-2 py-1 text-left text-xs text-zinc-800 hover:bg-zinc-200/70 focus-visible:outline-2 focus-visible:outline-sky-500 active:cursor-grabbing dark:text-zinc-200 dark:hover:bg-zinc-800"
                    >
                      {definition.label}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )
        })}
      </div>
    </aside>
  )
}
