import { useId, useState } from 'react'
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { DocumentNode } from '../../graph-core/document'
import { useEditorContext, useEditorView } from '../editor/editorContext'
import type { EditorState } from '../editor/editorStore'
import { formatCount } from '../editor/formatting'
import { ParamField } from './ParamField'

const PANEL =
  'flex w-72 shrink-0 flex-col gap-3 overflow-y-auto border-l border-zinc-200 bg-zinc-50 p-3 text-xs dark:border-zinc-800 dark:bg-zinc-900/60'

/** The inspector: the selected node's parameters, diagnostics and cost, and the graph totals. */
export function Inspector() {
  const state = useEditorView()
  const [selected] = state.selection.nodes
  const node =
    state.selection.nodes.size === 1
      ? state.document.nodes.find((entry) => entry.id === selected)
      : undefined
  return (
    <aside aria-label="Inspector" className={PANEL}>
      {node === undefined ? <GraphOverview state={state} /> : <NodeInspector node={node} />}
      <Totals state={state} />
    </aside>
  )
}

function NodeInspector({ node }: { node: DocumentNode }) {
  const { store, registry } = useEditorContext()
  const state = useEditorView()
  const definition = registry.get(node.type)
  const analysis = state.analysis.nodes.get(node.id)
  const diagnostics = state.analysis.diagnostics.filter((entry) => entry.node === node.id)
  const trainable = state.document.nodes.filter(
    (entry) => (state.analysis.nodes.get(entry.id)?.cost?.parameters ?? 0) > 0,
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

function GraphOverview({ state }: { state: EditorState }) {
  const { store } = useEditorContext()
  const count = state.selection.nodes.size
  return (
    <>
      <h2 className="text-sm font-semibold">{state.document.name}</h2>
      <p className="text-zinc-600 dark:text-zinc-300">
        {count > 1
          ? `${count} nodes selected. Select one node to edit its parameters.`
          : 'Select a node to see and edit its parameters.'}
      </p>
      <DiagnosticList
        diagnostics={state.analysis.diagnostics}
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

function Totals({ state }: { state: EditorState }) {
  const { totals } = state.analysis
  const errors = state.analysis.diagnostics.filter((entry) => entry.severity === 'error').length
  return (
    <section
      aria-label="Graph totals"
      className="mt-auto border-t border-zinc-200 pt-2 text-zinc-600 dark:border-zinc-800 dark:text-zinc-300"
    >
      <p>
        {state.document.nodes.length} nodes · {state.document.edges.length} connections
      </p>
      <p>
        {formatCount(totals.parameters)} parameters · {formatCount(totals.flops)} FLOPs per sample
      </p>
      <p>{errors === 0 ? 'No errors' : `${errors} error${errors === 1 ? '' : 's'}`}</p>
    </section>
  )
}
