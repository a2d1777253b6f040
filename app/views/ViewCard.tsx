import { useState } from 'react'
import { Filmstrip } from './Filmstrip'
import { useViewEntry, useViewFrames } from './viewContext'
import { ViewFigure } from './ViewFigure'
import { isImageView, knownView } from './viewKinds'
import type { ViewNode } from './viewNodes'
import { latentViewRaster } from './latentRasters'
import { downloadRasterPng } from './pngExport'
import { imageViewRaster } from './viewRaster'

const BUTTON =
  'rounded-md border border-zinc-300 px-1.5 py-0.5 text-[11px] hover:bg-zinc-100 disabled:opacity-45 dark:border-zinc-700 dark:hover:bg-zinc-800'

/**
 * One view node, large, in the dock's Views tab: a figure named after the node, the step its
 * data is from, the drawing, and "Download PNG" for image views; beside a sample grid, its
 * filmstrip over the run. `data-step` says which step is drawn (tests read it).
 */
export function ViewCard({ node, onSelect }: { node: ViewNode; onSelect: (id: string) => void }) {
  const entry = useViewEntry(node.id)
  const frames = useViewFrames(node.id)
  const data = entry === undefined ? undefined : knownView(entry.data)
  const [problem, setProblem] = useState<string>()
  const canDownload = data !== undefined && isImageView(data)
  return (
    <figure
      aria-label={node.name}
      data-view-node={node.id}
      data-step={entry?.step ?? ''}
      className="flex shrink-0 flex-col gap-1.5 rounded-lg border border-zinc-200 bg-zinc-50/60 p-2 dark:border-zinc-800 dark:bg-zinc-950/40"
    >
      <figcaption className="flex items-center gap-2">
        <button
          type="button"
          title="Show the node on the canvas"
          onClick={() => {
            onSelect(node.id)
          }}
          className="truncate font-semibold text-zinc-800 hover:underline dark:text-zinc-100"
        >
          {node.name}
        </button>
        <span className="text-[10px] text-zinc-400">
          {entry === undefined ? '' : `step ${entry.step.toLocaleString('en')}`}
        </span>
        <span className="flex-1" />
        {canDownload && (
          <button
            type="button"
            className={BUTTON}
            onClick={() => {
              const raster =
                data.kind === 'latent'
                  ? latentViewRaster(data)
                  : data.kind === 'images' || data.kind === 'reconstruction'
                    ? imageViewRaster(data)
                    : undefined
              if (raster === undefined) return
              setProblem(undefined)
              downloadRasterPng(raster, node.name, entry?.step ?? 0).catch((cause: unknown) => {
                setProblem(cause instanceof Error ? cause.message : String(cause))
              })
            }}
          >
            Download PNG
          </button>
        )}
      </figcaption>
      {entry === undefined ? (
        <p className="w-48 text-zinc-500 dark:text-zinc-400">Waiting for the first evaluation…</p>
      ) : data === undefined ? (
        <p className="w-48 text-zinc-500">This app cannot draw “{entry.data.kind}” views.</p>
      ) : data.kind === 'images' && frames.length > 0 ? (
        // Beside the grid, wrapping under it only when the dock is narrow: the dock is too short
        // for a grid and a filmstrip one above the other.
        <div className="flex flex-wrap items-start gap-3">
          <ViewFigure data={data} size="large" nodeId={node.id} />
          <Filmstrip frames={frames} name={node.name} />
        </div>
      ) : (
        <ViewFigure data={data} size="large" nodeId={node.id} />
      )}
      {problem !== undefined && <p className="text-red-700 dark:text-red-400">{problem}</p>}
    </figure>
  )
}
