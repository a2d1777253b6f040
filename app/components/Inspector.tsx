import { useId, useState } from 'react'
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { DocumentNode } from '../../graph-core/document'
import type { GraphAnalysis } from '../../graph-core/analysis'
import { useEditorContext, useEditorSelector } from '../editor/editorContext'
import type { EditorState } from '../editor/editorStore'
import { formatCount } from '../editor/formatting'
import { ParamField } from './ParamField'

const PANEL =
  'flex w-72 shrink-0 flex-col gap-3 overflow-y-auto border-l border-zinc-200 bg-zinc-50 p-3 text-xs dark:border-zinc-800 dark:bg-zinc-900/60'

/** The inspector: the selected node's parameters, diagnostics and cost, and the graph totals. */
export function Inspector() {
  const view = useEditorSelector(inspectorView, isSameView)
  return (
    <aside aria-label="Inspector" className={PANEL}>
      {view.node === undefined ? (
        <GraphOverview view={view} />
      ) : (
        <NodeInspector node={view.node} analysis={view.analysis} />
      )}
      <Totals view={view} />
    </aside>
  )
}

/** What the inspector shows; positions are left out, so dragging does not re-render it. */
interface InspectorView {
  node: DocumentNode | undefined
  selectedCount: number
  analysis: GraphAnalysis
  name: string
  nodeCount: number
  edgeCount: number
  /** Node ids and titles, for the lists of nodes an optimizer can train. */
  names: string
}

function inspectorView(state: EditorState): InspectorView {
  const [selected] = state.selection.nodes
  return {
    node:
      state.selection.nodes.size === 1
        ? state.document.nodes.find((entry) => entry.id === selected)
        : undefined,
    selectedCount: state.selection.nodes.size,
    analysis: state.analysis,
    name: state.document.name,
    nodeCount: state.document.nodes.length,
    edgeCount: state.document.edges.length,
    names: state.document.nodes.map((node) => `${node.id}\u0000${node.title ?? ''}`).join('\u0001'),
  }
}

function isSameView(a: InspectorView, b: InspectorView): boolean {
  const isSameNode =
    a.node === b.node ||
    (a.node !== undefined &&
      b.node !== undefined &&
      a.node.id === b.node.id &&
      a.node.type === b.node.type &&
      a.node.params === b.node.params &&
      a.node.title === b.node.title &&
      a.node.applications === b.node.applications)
  return (
    isSameNode &&
    a.selectedCount === b.selectedCount &&
    a.analysis === b.analysis &&
    a.name === b.name &&
    a.nodeCount === b.nodeCount &&
    a.edgeCount === b.edgeCount &&
    a.names === b.names
  )
}

function NodeInspector({ node, analysis: graph }: { node: DocumentNode; analysis: GraphAnalysis }) {
  const { store, registry } = useEditorContext()
  const { document } = store.getState()
  const definition = registry.get(node.type)
  const analysis = graph.nodes.get(node.id)
  const diagnostics = graph.diagnostics.filter((entry) => entry.node === node.id)
  const focus = useEditorSelector((state) => state.paramFocus)
  const trainable = document.nodes.filter(
    (entry) => (graph.nodes.get(entry.id)?.cost?.parameters ?? 0) > 0,
  )
  return (
    <>
      <div className="flex flex-col gap-1">
        <h2 className="text-sm font-semibold">{definition?.label ?? node.type}</h2>
        <p className="font-mono text-[10px] text-zinc-500">
          {node.type} · id {node.id}
        </p>
        {definition !== undefined && (
          <p className="text-zinc-600 dark:text-zinc-300">{definition.description}</p>
        )}
      </div>
      <RenameField
        key={node.id}
        value={node.title ?? ''}
        placeholder={definition?.label ?? node.type}
        onChange={(title) => {
          store.dispatch(
            { type: 'renameNode', node: node.id, title },
            { coalesceKey: `rename:${node.id}` },
          )
        }}
      />
      <DiagnosticList diagnostics={diagnostics} />
      {analysis?.cost !== undefined && (
        <p className="text-zinc-600 dark:text-zinc-300">
          {formatCount(analysis.cost.parameters)} parameters ·{' '}
          {formatCount(analysis.cost.flops * analysis.applications)} FLOPs per sample
        </p>
      )}
      {analysis !== undefined && analysis.applications > 1 && (
        <section aria-label="Applications" className="flex flex-col gap-1">
          <h3 className="font-medium">Applications (shared weights)</h3>
          {Array.from({ length: analysis.applications }, (_, application) => (
            <div key={application} className="flex items-center justify-between">
              <span>Application {application + 1}</span>
              <button
                type="button"
                onClick={() => {
                  store.dispatch({ type: 'removeApplication', node: node.id, application })
                }}
                className="rounded border border-zinc-300 px-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
              >
                Remove application {application + 1}
              </button>
            </div>
          ))}
        </section>
      )}
      {definition !== undefined && Object.keys(definition.params).length > 0 && (
        <section aria-label="Parameters" className="flex flex-col gap-3">
          <h3 className="font-medium">Parameters</h3>
          {Object.entries(definition.params).map(([param, spec]) => (
            <ParamField
              key={`${node.id}:${param}`}
              id={param}
              spec={spec}
              value={Object.hasOwn(node.params, param) ? node.params[param] : spec.default}
              trainable={trainable.filter((entry) => entry.id !== node.id)}
              focusSerial={
                focus?.node === node.id && focus.param === param ? focus.serial : undefined
              }
              onChange={(value, isScrub) => {
                store.dispatch(
                  { type: 'setParam', node: node.id, param, value },
                  { coalesceKey: `param:${node.id}:${param}${isScrub === true ? ':scrub' : ''}` },
                )
              }}
            />
          ))}
        </section>
      )}
    </>
  )
}

function RenameField(props: {
  value: string
  placeholder: string
  onChange: (value: string) => void
}) {
  const id = useId()
  const [draft, setDraft] = useState(props.value)
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-medium">
        Name
      </label>
      <input
        id={id}
        value={draft}
        placeholder={props.placeholder}
        onChange={(event) => {
          setDraft(event.target.value)
          props.onChange(event.target.value)
        }}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-950"
      />
    </div>
  )
}

function GraphOverview({ view }: { view: InspectorView }) {
  const { store } = useEditorContext()
  const count = view.selectedCount
  return (
    <>
      <h2 className="text-sm font-semibold">{view.name}</h2>
      <p className="text-zinc-600 dark:text-zinc-300">
        {count > 1
          ? `${count} nodes selected. Select one node to edit its parameters.`
          : 'Select a node to see and edit its parameters.'}
      </p>
      <DiagnosticList
        diagnostics={view.analysis.diagnostics}
        onSelect={(node) => {
          store.select({ nodes: [node] })
        }}
      />
    </>
  )
}

function DiagnosticList({
  diagnostics,
  onSelect,
}: {
  diagnostics: readonly Diagnostic[]
  onSelect?: (node: string) => void
}) {
  if (diagnostics.length === 0) return null
  return (
    <section aria-label="Diagnostics" className="flex flex-col gap-1">
      <h3 className="font-medium">Problems ({diagnostics.length})</h3>
      <ul className="flex flex-col gap-1">
        {diagnostics.map((diagnostic, index) => (
          <li
            key={`${diagnostic.code}:${diagnostic.node ?? ''}:${diagnostic.port ?? ''}:${String(index)}`}
            className={`rounded border px-2 py-1 ${
              diagnostic.severity === 'error'
                ? 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
                : 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200'
            }`}
          >
            {onSelect !== undefined && diagnostic.node !== undefined ? (
              <button
                type="button"
                className="text-left underline-offset-2 hover:underline"
                onClick={() => {
                  if (diagnostic.node !== undefined) onSelect(diagnostic.node)
                }}
              >
                {diagnostic.node}: {diagnostic.message}
              </button>
            ) : (
              diagnostic.message
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function Totals({ view }: { view: InspectorView }) {
  const { totals } = view.analysis
  const errors = view.analysis.diagnostics.filter((entry) => entry.severity === 'error').length
  return (
    <section
      aria-label="Graph totals"
      className="mt-auto border-t border-zinc-200 pt-2 text-zinc-600 dark:border-zinc-800 dark:text-zinc-300"
    >
      <p>
        {view.nodeCount} nodes · {view.edgeCount} connections
      </p>
      <p>
        {formatCount(totals.parameters)} parameters · {formatCount(totals.flops)} FLOPs per sample
      </p>
      <p>{errors === 0 ? 'No errors' : `${errors} error${errors === 1 ? '' : 's'}`}</p>
    </section>
  )
}
