import { Handle, Position, type NodeProps } from '@xyflow/react'
import { memo, type ReactNode } from 'react'
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { applicationPortId, type PortSpec } from '../../graph-core/ports'
import { formatShape, type Shape } from '../../graph-core/shapes'
import { DatasetPreview } from '../datasets/preview/DatasetPreview'
import type { LabFlowNode } from '../editor/flowElements'
import { CATEGORY_STYLES, formatCount, formatParamValue } from '../editor/formatting'
import { useEditorView } from '../editor/editorContext'
import { useIsCompact } from '../editor/zoomLevel'
import { ViewThumbnail } from '../views/ViewThumbnail'

const SUMMARY_PARAMS = 3

/**
 * The one node component (DESIGN §3): rendered from the node's definition — ports with the
 * shapes the analysis inferred, a compact param summary, a diagnostics badge. A shared block
 * shows one row group per application and a dashed row to connect one more.
 */
export const LabNode = memo(function LabNode({ data, selected }: NodeProps<LabFlowNode>) {
  const { node, definition, analysis, diagnostics } = data
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
  const title = node.title ?? definition?.label ?? node.type
  // Zoomed out, text is unreadable and hundreds of clipped text boxes made every frame of a
  // drag slow to composite: draw title and handles only.
  const isCompact = useIsCompact()
  return (
    <div
      className={`min-w-48 max-w-64 rounded-lg border bg-white text-[11px] shadow-sm dark:bg-zinc-900 ${
        errors.length > 0
          ? 'border-red-500 dark:border-red-400'
          : selected
            ? 'border-sky-500 ring-2 ring-sky-500/40'
            : 'border-zinc-300 dark:border-zinc-700'
      }`}
    >
      <header
        className={`flex items-center gap-2 rounded-t-[7px] px-2 py-1 text-white ${
          definition === undefined ? 'bg-zinc-500' : CATEGORY_STYLES[definition.category]
        }`}
      >
        {/* Zoomed out, a long title wraps instead of being clipped: a clip splits the node
            into more paint chunks, which Chromium re-layerizes on every frame of a drag. */}
        <span
          className={`min-w-0 flex-1 font-semibold ${isCompact ? 'break-words' : 'truncate'}`}
          title={node.type}
        >
          {title}
        </span>
        <DiagnosticsBadge diagnostics={diagnostics} />
      </header>
      {definition === undefined ? (
        <PlaceholderBody type={node.type} nodeId={node.id} />
      ) : (
        <>
          {Array.from({ length: analysis?.applications ?? 1 }, (_, application) => (
            <Application
              key={application}
              definition={definition}
              application={application}
              applications={analysis?.applications ?? 1}
              inputShapes={analysis?.inputShapes[application]}
              outputShapes={analysis?.outputShapes[application]}
              diagnostics={diagnostics}
              isCompact={isCompact}
            />
          ))}
          {definition.isShareable === true && (
            <ShareRow definition={definition} application={analysis?.applications ?? 1} />
          )}
          <DatasetPreview node={node} />
          {!isCompact && definition.category === 'view' && <ViewThumbnail nodeId={node.id} />}
          {!isCompact && <ParamSummary definition={definition} params={node.params} />}
          {!isCompact && analysis?.cost !== undefined && analysis.cost.parameters > 0 && (
            <p className="border-t border-zinc-100 px-2 py-0.5 text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
              {formatCount(analysis.cost.parameters)} params ·{' '}
              {formatCount(analysis.cost.flops * (analysis.applications || 1))} FLOPs
            </p>
          )}
        </>
      )}
    </div>
  )
})

function DiagnosticsBadge({ diagnostics }: { diagnostics: readonly Diagnostic[] }) {
  if (diagnostics.length === 0) return null
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length
  const summary = diagnostics.map((diagnostic) => diagnostic.message).join('\n')
  return (
    <span
      role="img"
      aria-label={`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}: ${summary}`}
      title={summary}
      className={`rounded-full px-1.5 text-[10px] font-bold ${
        errors > 0 ? 'bg-red-100 text-red-700' : 'bg-amber-100 text-amber-800'
      }`}
    >
      {errors > 0 ? '!' : 'i'} {diagnostics.length}
    </span>
  )
}

interface ApplicationProps {
  definition: AnyNodeDefinition
  application: number
  applications: number
  inputShapes: Readonly<Record<string, Shape>> | undefined
  outputShapes: Readonly<Record<string, Shape>> | undefined
  diagnostics: readonly Diagnostic[]
  isCompact: boolean
}

function Application({
  definition,
  application,
  applications,
  inputShapes,
  outputShapes,
  diagnostics,
  isCompact,
}: ApplicationProps) {
  const inputs = Object.entries(definition.inputs)
  const outputs = Object.entries(definition.outputs)
  const rows = Math.max(inputs.length, outputs.length)
  if (rows === 0) return null
  return (
    <div className="border-b border-zinc-100 py-1 dark:border-zinc-800">
      {applications > 1 && !isCompact && (
        <p className="px-2 text-[10px] text-zinc-400 uppercase">application {application + 1}</p>
      )}
      {Array.from({ length: rows }, (_, row) => {
        const input = inputs[row]
        const output = outputs[row]
        return (
          <div key={row} className="flex items-center justify-between gap-3">
            {input === undefined ? (
              <span />
            ) : (
              <Port
                side="input"
                id={applicationPortId(input[0], application)}
                spec={input[1]}
                name={input[0]}
                shape={inputShapes?.[input[0]]}
                problem={diagnostics.find(
                  (diagnostic) => diagnostic.port === applicationPortId(input[0], application),
                )}
                isCompact={isCompact}
              />
            )}
            {output === undefined ? (
              <span />
            ) : (
              <Port
                side="output"
                id={applicationPortId(output[0], application)}
                spec={output[1]}
                name={output[0]}
                shape={outputShapes?.[output[0]]}
                problem={undefined}
                isCompact={isCompact}
              />
            )}
          </div>
        )
      })}
    </div>
  )
}

const KIND_STYLES: Readonly<Record<PortSpec['kind'], string>> = {
  tensor: '!bg-sky-500',
  labels: '!bg-amber-500',
  loss: '!bg-rose-500',
}

/** Faded by translucent colours: `opacity` would give each handle its own paint chunk. */
const SHARED_KIND_STYLES: Readonly<Record<PortSpec['kind'], string>> = {
  tensor: '!bg-sky-500/60',
  labels: '!bg-amber-500/60',
  loss: '!bg-rose-500/60',
}

function Port(props: {
  side: 'input' | 'output'
  id: string
  name: string
  spec: PortSpec
  shape: Shape | undefined
  problem: Diagnostic | undefined
  isCompact: boolean
}) {
  const { side, id, name, spec, shape, problem, isCompact } = props
  const isInput = side === 'input'
  const label = spec.label ?? name
  return (
    <div
      className={`relative flex min-w-0 items-center gap-1 px-2 ${isInput ? '' : 'flex-row-reverse text-right'}`}
      title={[spec.description, problem?.message].filter(Boolean).join('\n') || undefined}
    >
      <Handle
        type={isInput ? 'target' : 'source'}
        position={isInput ? Position.Left : Position.Right}
        id={id}
        data-port={id}
        data-kind={spec.kind}
        aria-label={`${label} ${side} (${spec.kind})`}
        className={`[--handle-size:10px] !h-(--handle-size) !w-(--handle-size) !border-white dark:!border-zinc-900 ${KIND_STYLES[spec.kind]}`}
      />
      <span
        className={`${spec.isOptional === true ? 'text-zinc-400 italic' : ''} ${isCompact ? 'invisible' : ''}`}
      >
        {label}
      </span>
      {!isCompact && shape !== undefined && spec.kind === 'tensor' && (
        <span className="truncate font-mono text-[10px] text-zinc-400">{formatShape(shape)}</span>
      )}
      {!isCompact && problem !== undefined && (
        <span className="font-mono text-[10px] text-red-600 dark:text-red-400">
          {problem.expected !== undefined && problem.actual !== undefined
            ? `${problem.expected} ≠ ${problem.actual}`
            : '!'}
        </span>
      )}
    </div>
  )
}

/** The dashed row that applies a shared block once more (weight sharing, DESIGN §3). */
function ShareRow({
  definition,
  application,
}: {
  definition: AnyNodeDefinition
  application: number
}) {
  return (
    <div className="m-1 rounded border border-dashed border-zinc-300 py-0.5 text-zinc-400 dark:border-zinc-700">
      {Object.entries(definition.inputs).map(([port, spec]) => {
        const id = applicationPortId(port, application)
        return (
          <div key={port} className="relative flex items-center px-2">
            <Handle
              type="target"
              position={Position.Left}
              id={id}
              data-port={id}
              data-kind={spec.kind}
              aria-label={`${spec.label ?? port} input, shared weights (${spec.kind})`}
              className={`[--handle-size:10px] !h-(--handle-size) !w-(--handle-size) !border-white/60 dark:!border-zinc-900/60 ${SHARED_KIND_STYLES[spec.kind]}`}
            />
            <span className="text-[10px]">+ {spec.label ?? port}: same weights</span>
          </div>
        )
      })}
    </div>
  )
}

function ParamSummary({
  definition,
  params,
}: {
  definition: AnyNodeDefinition
  params: Readonly<Record<string, unknown>>
}) {
  const entries = Object.entries(definition.params).slice(0, SUMMARY_PARAMS)
  if (entries.length === 0) return null
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 px-2 py-1 text-zinc-600 dark:text-zinc-300">
      {entries.map(([id, spec]) => (
        <SummaryRow key={id} label={spec.label ?? id}>
          {formatParamValue(spec, params[id] ?? spec.default)}
        </SummaryRow>
      ))}
    </dl>
  )
}

function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="truncate text-zinc-400">{label}</dt>
      <dd className="truncate">{children}</dd>
    </>
  )
}

/** An unknown node type keeps its place and its connections (DESIGN §3: never drop data). */
function PlaceholderBody({ type, nodeId }: { type: string; nodeId: string }) {
  const { document } = useEditorView()
  const inputs = document.edges.filter((edge) => edge.to.node === nodeId).map((e) => e.to.port)
  const outputs = [
    ...new Set(document.edges.filter((edge) => edge.from.node === nodeId).map((e) => e.from.port)),
  ]
  return (
    <div className="px-2 py-1 text-zinc-500">
      <p>
        “{type}” is not a node type this version knows. It is kept as it is, with its params and
        connections.
      </p>
      {inputs.map((port) => (
        <div key={`in-${port}`} className="relative">
          <Handle type="target" position={Position.Left} id={port} data-port={port} />
          {port}
        </div>
      ))}
      {outputs.map((port) => (
        <div key={`out-${port}`} className="relative text-right">
          <Handle type="source" position={Position.Right} id={port} data-port={port} />
          {port}
        </div>
      ))}
    </div>
  )
}
