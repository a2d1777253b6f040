import { useMemo } from 'react'
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'
import { PREVIEW_NODE, previewLayout } from './previewLayout'

/** A picture of a graph (boxes and wires) for the revision history. Labels are SVG text. */
export function GraphPreview({
  document,
  registry,
}: {
  document: GraphDocument
  registry: NodeRegistry
}) {
  const layout = useMemo(() => previewLayout(document, registry), [document, registry])
  const nodes = document.nodes.length
  const edges = document.edges.length
  return (
    <svg
      role="img"
      aria-label={`Preview: ${nodes} ${nodes === 1 ? 'node' : 'nodes'}, ${edges} ${edges === 1 ? 'edge' : 'edges'}`}
      viewBox={layout.viewBox}
      preserveAspectRatio="xMidYMid meet"
      className="h-40 w-full rounded-md border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
    >
      {layout.wires.map((wire) => (
        <path
          key={wire.id}
          d={`M ${wire.x1} ${wire.y1} C ${wire.x1 + 60} ${wire.y1}, ${wire.x2 - 60} ${wire.y2}, ${wire.x2} ${wire.y2}`}
          className="fill-none stroke-zinc-400 dark:stroke-zinc-500"
          strokeWidth={4}
        />
      ))}
      {layout.boxes.map((box) => (
        <g key={box.id}>
          <rect
            x={box.x}
            y={box.y}
            width={PREVIEW_NODE.width}
            height={PREVIEW_NODE.height}
            rx={12}
            className={
              box.isUnknown
                ? 'fill-zinc-200 stroke-zinc-500 dark:fill-zinc-800'
                : 'fill-white stroke-sky-600 dark:fill-zinc-900 dark:stroke-sky-400'
            }
            strokeWidth={4}
            strokeDasharray={box.isUnknown ? '12 8' : undefined}
          />
          <text
            x={box.x + 16}
            y={box.y + PREVIEW_NODE.height / 2 + 10}
            className="fill-zinc-800 dark:fill-zinc-200"
            fontSize={28}
          >
            {box.label.length > 13 ? `${box.label.slice(0, 12)}…` : box.label}
          </text>
        </g>
      ))}
    </svg>
  )
}
