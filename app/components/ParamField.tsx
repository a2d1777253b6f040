import { useEffect, useId, useRef, useState } from 'react'
import type { DocumentNode } from '../../graph-core/document'
import { paramProblem, type ParamSpec } from '../../graph-core/params'
import { DatasetRefSelect } from '../datasets/DatasetRefSelect'
import { formatParamValue } from '../editor/formatting'

interface ParamFieldProps {
  id: string
  spec: ParamSpec
  value: unknown
  /** Nodes an optimizer can train (for `nodeRefs` params). */
  trainable: readonly DocumentNode[]
  /** A new value; `isScrub` marks slider moves, which coalesce into one undo step. */
  onChange: (value: unknown, isScrub?: boolean) => void
  /** Focuses the control (and flashes the field) whenever this number changes. */
  focusSerial?: number
}

const INPUT =
  'w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-950'

/**
 * One param as a form control generated from its spec: numbers with limits and steps (and a
 * slider when bounded), whole numbers, choices, switches, lists of widths, node sets. Help
 * text describes the control; a value that does not fit says why and is not applied.
 */
export function ParamField({ id, spec, value, trainable, onChange, focusSerial }: ParamFieldProps) {
  const fieldId = useId()
  const helpId = `${fieldId}-help`
  const label = spec.label ?? id
  const isDefault = JSON.stringify(value) === JSON.stringify(spec.default)
  const fieldRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (focusSerial !== undefined && fieldRef.current !== null)
      focusField(fieldRef.current, fieldId)
  }, [focusSerial, fieldId])
  return (
    <div ref={fieldRef} className="flex flex-col gap-1 rounded-md">
      <div className="flex items-center justify-between gap-2">
        <label htmlFor={fieldId} className="text-xs font-medium">
          {label}
        </label>
        {!isDefault && (
          <button
            type="button"
            aria-label={`Reset ${label} to default`}
            title={`Default: ${formatParamValue(spec, spec.default)}`}
            onClick={() => {
              onChange(structuredClone(spec.default))
            }}
            className="rounded px-1 text-[10px] text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-950"
          >
            Reset
          </button>
        )}
      </div>
      <Control
        fieldId={fieldId}
        helpId={helpId}
        spec={spec}
        value={value}
        label={label}
        trainable={trainable}
        onChange={onChange}
      />
      <p id={helpId} className="text-[11px] leading-snug text-zinc-500 dark:text-zinc-400">
        {spec.help}
      </p>
    </div>
  )
}

/** Focuses a field's control (its first box for a set of nodes) and flashes the field. */
function focusField(field: HTMLElement, fieldId: string): void {
  const control = document.getElementById(fieldId)
  const target = control?.matches('input, select, textarea')
    ? control
    : control?.querySelector<HTMLElement>('input, select, textarea, button')
  target?.focus({ preventScroll: true })
  field.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
  field.animate(
    [
      { boxShadow: '0 0 0 3px rgb(14 165 233 / 0.55)', backgroundColor: 'rgb(14 165 233 / 0.12)' },
      { boxShadow: '0 0 0 3px rgb(14 165 233 / 0)', backgroundColor: 'rgb(14 165 233 / 0)' },
    ],
    { duration: 1600, easing: 'ease-out' },
  )
}

interface ControlProps {
  fieldId: string
  helpId: string
  spec: ParamSpec
  value: unknown
  label: string
  trainable: readonly DocumentNode[]
  onChange: ParamFieldProps['onChange']
}

function Control({ fieldId, helpId, spec, value, label, trainable, onChange }: ControlProps) {
  switch (spec.type) {
    case 'choice':
      return (
        <select
          id={fieldId}
          aria-describedby={helpId}
          value={String(value)}
          onChange={(event) => {
            onChange(event.target.value)
          }}
          className={INPUT}
        >
          {spec.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )
    case 'boolean':
      return (
        <input
          id={fieldId}
          aria-describedby={helpId}
          type="checkbox"
          checked={value === true}
          onChange={(event) => {
            onChange(event.target.checked)
          }}
          className="h-4 w-4 self-start accent-sky-600"
        />
      )
    case 'int':
    case 'number':
      return (
        <div className="flex flex-col gap-1">
          <DraftInput
            fieldId={fieldId}
            helpId={helpId}
            spec={spec}
            value={value}
            inputMode="decimal"
            parse={(text) => (text.trim() === '' ? Number.NaN : Number(text))}
            format={(current) => (typeof current === 'number' ? String(current) : '')}
            onChange={onChange}
          />
          {spec.min !== undefined && spec.max !== undefined && typeof value === 'number' && (
            <Slider spec={spec} value={value} label={label} onChange={onChange} />
          )}
        </div>
      )
    case 'intList':
      return (
        <DraftInput
          fieldId={fieldId}
          helpId={helpId}
          spec={spec}
          value={value}
          inputMode="text"
          parse={(text) =>
            text.trim() === ''
              ? []
              : text
                  .split(/[\s,]+/)
                  .filter(Boolean)
                  .map(Number)
          }
          format={(current) => (Array.isArray(current) ? current.join(', ') : '')}
          onChange={onChange}
        />
      )
    case 'nodeRefs': {
      const selected = new Set(Array.isArray(value) ? (value as unknown[]) : [])
      return (
        <fieldset id={fieldId} aria-describedby={helpId} className="flex flex-col gap-0.5">
          <legend className="sr-only">{label}</legend>
          {trainable.length === 0 && (
            <p className="text-[11px] text-zinc-500">No trainable nodes in the graph yet.</p>
          )}
          {trainable.map((node) => (
            <label key={node.id} className="flex items-center gap-1.5 text-xs">
              <input
                type="checkbox"
                checked={selected.has(node.id)}
                onChange={(event) => {
                  const next = new Set(selected)
                  if (event.target.checked) next.add(node.id)
                  else next.delete(node.id)
                  onChange(trainable.map((entry) => entry.id).filter((ref) => next.has(ref)))
                }}
                className="accent-sky-600"
              />
              {node.title ?? node.id}
            </label>
          ))}
          <p className="text-[11px] text-zinc-500">
            {selected.size === 0 ? 'None ticked: every trainable node upstream of the loss.' : ''}
          </p>
        </fieldset>
      )
    }
    case 'datasetRef':
      return (
        <DatasetRefSelect fieldId={fieldId} helpId={helpId} value={value} onChange={onChange} />
      )
  }
}

/**
 * A text box that keeps what the user typed while it does not fit the spec (with the reason),
 * and applies each value that fits. An outside change (undo) replaces a stale draft.
 */
function DraftInput(props: {
  fieldId: string
  helpId: string
  spec: ParamSpec
  value: unknown
  inputMode: 'decimal' | 'text'
  parse: (text: string) => unknown
  format: (value: unknown) => string
  onChange: (value: unknown) => void
}) {
  const { fieldId, helpId, spec, value, inputMode, parse, format, onChange } = props
  const [draft, setDraft] = useState<string>()
  const problem = draft === undefined ? undefined : paramProblem(spec, parse(draft))
  const isDraftCurrent =
    draft !== undefined &&
    (problem !== undefined || JSON.stringify(parse(draft)) === JSON.stringify(value))
  const text = isDraftCurrent ? draft : format(value)
  return (
    <>
      <input
        id={fieldId}
        aria-describedby={helpId}
        aria-invalid={problem !== undefined}
        inputMode={inputMode}
        value={text}
        onChange={(event) => {
          const next = event.target.value
          setDraft(next)
          const parsed = parse(next)
          if (paramProblem(spec, parsed) === undefined) onChange(parsed)
        }}
        onBlur={() => {
          setDraft(undefined)
        }}
        className={`${INPUT} font-mono ${problem !== undefined ? 'border-red-500' : ''}`}
      />
      {problem !== undefined && (
        <p role="alert" className="text-[11px] text-red-700 dark:text-red-400">
          {`This value ${problem}; the last valid one is kept.`}
        </p>
      )}
    </>
  )
}

const SLIDER_STEPS = 200

/** A bounded number as a slider, on a log scale where the spec asks for one. */
function Slider(props: {
  spec: Extract<ParamSpec, { type: 'int' | 'number' }>
  value: number
  label: string
  onChange: ParamFieldProps['onChange']
}) {
  const { spec, value, label, onChange } = props
  const min = spec.min ?? 0
  const max = spec.max ?? 1
  const isLog = spec.type === 'number' && spec.isLogScale === true && min > 0
  const toSlider = (x: number) =>
    isLog
      ? (Math.log(x / min) / Math.log(max / min)) * SLIDER_STEPS
      : ((x - min) / (max - min)) * SLIDER_STEPS
  const fromSlider = (position: number) => {
    const raw = isLog
      ? min * Math.pow(max / min, position / SLIDER_STEPS)
      : min + ((max - min) * position) / SLIDER_STEPS
    if (spec.type === 'int') return Math.round(raw)
    const step = spec.step
    if (step !== undefined) return Number((Math.round(raw / step) * step).toPrecision(12))
    return Number(raw.toPrecision(3))
  }
  return (
    <input
      type="range"
      aria-label={`${label} slider`}
      min={0}
      max={SLIDER_STEPS}
      step={1}
      value={Math.round(toSlider(value))}
      onChange={(event) => {
        onChange(fromSlider(Number(event.target.value)), true)
      }}
      className="accent-sky-600"
    />
  )
}
