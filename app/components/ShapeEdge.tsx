import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ShapeFlowEdge } from '../editor/flowElements'
import { useIsCompact } from '../editor/zoomLevel'

/**
 * An edge labelled with the shape that flows along it; red, with what was expected and what
 * arrived, when the target refuses it. The label is SVG text with a halo, not an HTML overlay:
 * hundreds of positioned overlays made every frame of a drag re-layer the whole canvas.
 */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props
  const { data, selected, markerEnd } = props
  // Zoomed out the labels would be unreadable; they are left out, and so is their cost.
  const isZoomedIn = !useIsCompact()
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  })
  const problem = data?.problem
  const text =
    problem === undefined
      ? data?.shape
      : problem.expected !== undefined && problem.actual !== undefined
        ? `expected ${problem.expected}, got ${problem.actual}`
        : problem.message
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        style={{
          stroke: problem !== undefined ? '#dc2626' : selected === true ? '#0284c7' : undefined,
          strokeWidth: selected === true || problem !== undefined ? 2.5 : 1.5,
        }}
      />
      {text !== undefined && (isZoomedIn || problem !== undefined) && (
        <text
          data-edge-label={id}
          x={labelX}
          y={labelY}
          textAnchor="middle"
          dominantBaseline="central"
          className={`pointer-events-none font-mono text-[10px] ${
            problem !== undefined
              ? 'fill-red-700 stroke-red-50 dark:fill-red-300 dark:stroke-red-950'
              : 'fill-zinc-500 stroke-white dark:fill-zinc-400 dark:stroke-zinc-900'
          }`}
          style={{ paintOrder: 'stroke', strokeWidth: 4, strokeLinejoin: 'round' }}
        >
          {problem !== undefined && <title>{problem.message}</title>}
          {text}
        </text>
      )}
    </>
  )
})
