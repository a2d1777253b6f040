import { getBezierPath, type ConnectionLineComponentProps } from '@xyflow/react'
import { connectionRefusal } from '../editor/connectionRules'
import { useEditorContext } from '../editor/editorContext'
import type { LabFlowNode } from '../editor/flowElements'

/**
 * The wire being dragged. Over a port that refuses it, it turns red and says why, before the
 * user lets go.
 */
export function ConnectionLine(props: ConnectionLineComponentProps<LabFlowNode>) {
  const { fromX, fromY, toX, toY, fromPosition, toPosition, connectionStatus } = props
  const { fromHandle, toHandle } = props
  const { store } = useEditorContext()
  const [path] = getBezierPath({
    sourceX: fromX,
    sourceY: fromY,
    sourcePosition: fromPosition,
    targetX: toX,
    targetY: toY,
    targetPosition: toPosition,
  })
  const isRefused = connectionStatus === 'invalid' && toHandle !== null
  let reason: string | undefined
  if (isRefused) {
    const [source, target] =
      fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle]
    reason = connectionRefusal(store.getState().analysis, {
      source: source.nodeId,
      sourceHandle: source.id,
      target: target.nodeId,
      targetHandle: target.id,
    })
  }
  return (
    <g>
      <path
        d={path}
        fill="none"
        stroke={isRefused ? '#dc2626' : '#0284c7'}
        strokeWidth={2}
        strokeDasharray={isRefused ? '6 4' : undefined}
      />
      {reason !== undefined && (
        <foreignObject x={toX + 12} y={toY + 8} width={280} height={60} overflow="visible">
          <p
            role="tooltip"
            className="w-fit max-w-[280px] rounded bg-red-600 px-2 py-1 text-[11px] text-white shadow"
          >
            {reason}
          </p>
        </foreignObject>
      )}
    </g>
  )
}
