import {
  Background,
  ConnectionLineType,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnConnectEnd,
  type OnDelete,
} from '@xyflow/react'
import {
  useCallback,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type MouseEvent as ReactMouseEvent,
} from 'react'
import { freshEdgeId, type GraphCommand, type Point } from '../../graph-core/commands'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { connectionRefusal } from '../editor/connectionRules'
import { useEditorContext, useEditorView } from '../editor/editorContext'
import type { Size } from '../editor/editorStore'
import { createFlowMapper, type LabFlowNode, type ShapeFlowEdge } from '../editor/flowElements'
import { compatiblePort, createNode, type WireEnd } from '../editor/nodeSearch'
import { COMPACT_ZOOM, CompactContext } from '../editor/zoomLevel'
import { PALETTE_DRAG_TYPE } from './Palette'
import { ConnectionLine } from './ConnectionLine'
import { LabNode } from './LabNode'
import { QuickAdd } from './QuickAdd'
import { ShapeEdge } from './ShapeEdge'

const NODE_TYPES = { lab: LabNode }
const EDGE_TYPES = { shape: ShapeEdge }
const SNAP_GRID: [number, number] = [16, 16]
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control']
const DELETE_KEYS = ['Backspace', 'Delete']
/** Never zoom in past 100% to fit: a single new node should not fill the screen. */
const FIT_VIEW_OPTIONS = { maxZoom: 1, padding: 0.2 }
const PRO_OPTIONS = { hideAttribution: true }
/** Below this canvas size the minimap would hide nodes more than it helps find them. */
const MINIMAP_ROOM = { width: 720, height: 420 }
const MINIMAP_SIZE = { width: 150, height: 100 }

interface QuickAddState {
  at: { left: number; top: number }
  position: Point
  /** The wire dropped on empty canvas, to connect to the new node. */
  pending: { node: string; port: string; end: WireEnd } | undefined
}

/** The canvas: React Flow in controlled mode, its nodes and edges derived from the document. */
export function GraphCanvas({
  onDropFiles,
}: {
  /** Receives graph files dropped on the canvas (Import JSON by drag-and-drop). */
  onDropFiles?: (files: readonly File[]) => void
}) {
  const { store, registry } = useEditorContext()
  const state = useEditorView()
  const flow = useReactFlow<LabFlowNode, ShapeFlowEdge>()
  const mapper = useMemo(() => createFlowMapper(registry), [registry])
  const nodes = useMemo(() => mapper.nodes(state), [mapper, state])
  const edges = useMemo(() => mapper.edges(state), [mapper, state])
  const wrapperRef = useRef<HTMLElement>(null)
  const dragId = useRef(0)
  const [quickAdd, setQuickAdd] = useState<QuickAddState>()
  const isCompact = useStore((flowState) => flowState.transform[2] < COMPACT_ZOOM)
  // The minimap covers a corner of the canvas: shown only where the canvas has room to spare.
  const hasRoomForMinimap = useStore(
    (flowState) => flowState.width >= MINIMAP_ROOM.width && flowState.height >= MINIMAP_ROOM.height,
  )
  // Fitting an empty canvas would zoom onto the first node dropped; fit only what is there.
  const [shouldFitOnMount] = useState(() => store.getState().document.nodes.length > 0)

  const onNodesChange = useCallback(
    (changes: NodeChange<LabFlowNode>[]) => {
      const current = store.getState()
      const positions: Record<string, Point> = {}
      let selection: Set<string> | undefined
      let sizes: Map<string, Size> | undefined
      let isDragging = false
      for (const change of changes) {
        if (change.type === 'position' && change.position !== undefined) {
          positions[change.id] = change.position
          isDragging ||= change.dragging === true
        } else if (change.type === 'select') {
          selection ??= new Set(current.selection.nodes)
          if (change.selected) selection.add(change.id)
          else selection.delete(change.id)
        } else if (change.type === 'dimensions' && change.dimensions !== undefined) {
          sizes ??= new Map(current.measured)
          sizes.set(change.id, change.dimensions)
        }
      }
      if (Object.keys(positions).length > 0) {
        store.dispatch(
          { type: 'moveNodes', positions },
          { coalesceKey: isDragging ? `drag:${String(dragId.current)}` : 'nudge' },
        )
      }
      if (selection !== undefined) {
        store.select({ nodes: selection, edges: store.getState().selection.edges })
      }
      if (sizes !== undefined) store.setMeasured(sizes)
    },
    [store],
  )

  const onEdgesChange = useCallback(
    (changes: EdgeChange<ShapeFlowEdge>[]) => {
      const current = store.getState().selection
      let edgesSelected: Set<string> | undefined
      for (const change of changes) {
        if (change.type !== 'select') continue
        edgesSelected ??= new Set(current.edges)
        if (change.selected) edgesSelected.add(change.id)
        else edgesSelected.delete(change.id)
      }
      if (edgesSelected !== undefined)
        store.select({ nodes: store.getState().selection.nodes, edges: edgesSelected })
    },
    [store],
  )

  const connect = useCallback(
    (connection: Connection) => {
      const { document } = store.getState()
      const command: GraphCommand = {
        type: 'connect',
        id: freshEdgeId(new Set(document.edges.map((edge) => edge.id))),
        from: { node: connection.source, port: connection.sourceHandle ?? '' },
        to: { node: connection.target, port: connection.targetHandle ?? '' },
      }
      store.dispatch(command)
    },
    [store],
  )

  const isValidConnection = useCallback(
    (wire: Connection | ShapeFlowEdge) =>
      connectionRefusal(store.getState().analysis, wire) === undefined,
    [store],
  )

  const onConnectEnd: OnConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      const { fromHandle, toHandle, isValid } = connection
      if (fromHandle?.id == null) return
      if (toHandle !== null) {
        if (isValid !== true) {
          const [source, target] =
            fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle]
          store.setNotice(
            connectionRefusal(store.getState().analysis, {
              source: source.nodeId,
              sourceHandle: source.id,
              target: target.nodeId,
              targetHandle: target.id,
            }),
          )
        }
        return
      }
      // Dropped on empty canvas: offer the nodes that can take this wire, right there.
      const point = 'changedTouches' in event ? event.changedTouches[0] : event
      const bounds = wrapperRef.current?.getBoundingClientRect()
      if (point === undefined || bounds === undefined) return
      const definition = store.getState().analysis.nodes.get(fromHandle.nodeId)?.definition
      const side = fromHandle.type === 'source' ? definition?.outputs : definition?.inputs
      const port = fromHandle.id.replace(/@\d+$/, '')
      const spec = side !== undefined && Object.hasOwn(side, port) ? side[port] : undefined
      if (spec === undefined) return
      setQuickAdd({
        at: { left: point.clientX - bounds.left, top: point.clientY - bounds.top },
        position: flow.screenToFlowPosition({ x: point.clientX, y: point.clientY }),
        pending: {
          node: fromHandle.nodeId,
          port: fromHandle.id,
          end: { kind: spec.kind, from: fromHandle.type === 'source' ? 'output' : 'input' },
        },
      })
    },
    [store, flow],
  )

  const addNode = useCallback(
    (definition: AnyNodeDefinition, position: Point, pending?: QuickAddState['pending']) => {
      const { document } = store.getState()
      const node = createNode(definition, position, new Set(document.nodes.map((n) => n.id)))
      const commands: GraphCommand[] = [{ type: 'addNodes', nodes: [node] }]
      const port = pending === undefined ? undefined : compatiblePort(definition, pending.end)
      if (pending !== undefined && port !== undefined) {
        const pendingEnd = { node: pending.node, port: pending.port }
        const newEnd = { node: node.id, port }
        const isFromOutput = pending.end.from === 'output'
        commands.push({
          type: 'connect',
          id: freshEdgeId(new Set(document.edges.map((edge) => edge.id))),
          from: isFromOutput ? pendingEnd : newEnd,
          to: isFromOutput ? newEnd : pendingEnd,
        })
      }
      if (store.dispatch(commands)) store.select({ nodes: [node.id] })
    },
    [store],
  )

  const onDrop = useCallback(
    (event: DragEvent) => {
      const files = Array.from(event.dataTransfer.files)
      if (files.length > 0 && onDropFiles !== undefined) {
        event.preventDefault()
        onDropFiles(files)
        return
      }
      const type = event.dataTransfer.getData(PALETTE_DRAG_TYPE)
      const definition = registry.get(type)
      if (definition === undefined) return
      event.preventDefault()
      addNode(definition, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }))
    },
    [registry, addNode, flow, onDropFiles],
  )

  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (
        !(event.target instanceof Element) ||
        !event.target.classList.contains('react-flow__pane')
      )
        return
      const bounds = wrapperRef.current?.getBoundingClientRect()
      if (bounds === undefined) return
      setQuickAdd({
        at: { left: event.clientX - bounds.left, top: event.clientY - bounds.top },
        position: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }),
        pending: undefined,
      })
    },
    [flow],
  )

  const startDrag = useCallback(() => {
    dragId.current++
  }, [])

  const onDelete: OnDelete<LabFlowNode, ShapeFlowEdge> = useCallback(
    ({ nodes: removedNodes, edges: removedEdges }) => {
      store.dispatch({
        type: 'removeElements',
        nodes: removedNodes.map((node) => node.id),
        edges: removedEdges.map((edge) => edge.id),
      })
    },
    [store],
  )

  const closeQuickAdd = useCallback(() => {
    setQuickAdd(undefined)
  }, [])

  return (
    <main
      ref={wrapperRef}
      aria-label="Canvas"
      className="relative min-w-0 flex-1"
      onDragOver={(event) => {
        if (
          event.dataTransfer.types.includes(PALETTE_DRAG_TYPE) ||
          event.dataTransfer.types.includes('Files')
        ) {
          event.preventDefault()
          event.dataTransfer.dropEffect = 'copy'
        }
      }}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
    >
      <CompactContext value={isCompact}>
        <ReactFlow<LabFlowNode, ShapeFlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={connect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          connectionLineComponent={ConnectionLine}
          connectionLineType={ConnectionLineType.Bezier}
          onNodeDragStart={startDrag}
          onSelectionDragStart={startDrag}
          onDelete={onDelete}
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          deleteKeyCode={DELETE_KEYS}
          snapToGrid
          snapGrid={SNAP_GRID}
          zoomOnDoubleClick={false}
          minZoom={0.1}
          colorMode="system"
          fitView={shouldFitOnMount}
          fitViewOptions={FIT_VIEW_OPTIONS}
          proOptions={PRO_OPTIONS}
        >
          <Background gap={16} />
          {hasRoomForMinimap && (
            <MiniMap pannable zoomable ariaLabel="Minimap" style={MINIMAP_SIZE} />
          )}
          <Controls showInteractive={false} />
        </ReactFlow>
      </CompactContext>
      {state.document.nodes.length === 0 && (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-zinc-400 dark:text-zinc-500">
          An empty graph. Drag nodes from the palette, or double-click to search.
        </p>
      )}
      {state.notice !== undefined && (
        <p
          role="alert"
          className="absolute top-2 left-1/2 z-10 max-w-xl -translate-x-1/2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 shadow dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
        >
          {state.notice}
        </p>
      )}
      {quickAdd !== undefined && (
        <QuickAdd
          at={quickAdd.at}
          wire={quickAdd.pending?.end}
          onClose={closeQuickAdd}
          onPick={(definition) => {
            addNode(definition, quickAdd.position, quickAdd.pending)
            setQuickAdd(undefined)
          }}
        />
      )}
    </main>
  )
}
