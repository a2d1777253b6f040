import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ShapeFlowEdge } from '../editor/flowElements'

/**
 * An edge labelled with the shape that flows along it; red, with what was expected and what
 * arrived, when the target refuses it.
 */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props
  const { data, selected, markerEnd } = props
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
      {text !== undefined && (
        <EdgeLabelRenderer>
          <div
            data-edge-label={id}
            title={problem?.message}
            className={`nodrag nopan pointer-events-auto absolute rounded px-1 font-mono text-[10px] ${
              problem !== undefined
                ? 'bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300'
                : 'bg-white/80 text-zinc-500 dark:bg-zinc-900/80 dark:text-zinc-400'
            }`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  )
})
