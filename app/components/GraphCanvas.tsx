import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react'

/** The canvas: React Flow in controlled mode, its nodes and edges derived from the document. */
export function GraphCanvas() {
  return (
    <main aria-label="Canvas" className="relative min-w-0 flex-1">
      <ReactFlow
        nodes={[]}
        edges={[]}
        colorMode="system"
        fitView
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable ariaLabel="Minimap" />
        <Controls />
      </ReactFlow>
      <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-zinc-400 dark:text-zinc-500">
        An empty graph. Nodes from the palette go here.
      </p>
    </main>
  )
}
