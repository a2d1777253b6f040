import { useId, type ReactNode } from 'react'
import { FAMILY_TITLES, type Explainer } from '../../presets/explainer'
import { targetText, trainingText, type KnobRow } from './explainerView'

const BUTTON =
  'rounded-md border border-zinc-300 px-2 py-0.5 text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800'

/**
 * "About this preset" (DESIGN §6): what the model is, the seminar's point, what to look at,
 * knobs to try (each one selects its node and focuses its field in the inspector), the default
 * training and the quality target with how it is measured. A column beside the canvas, so the
 * canvas's working area stays clear; everything is text, never markup from the file.
 */
export function ExplainerPanel({
  explainer,
  knobs,
  isUsingDefaults,
  titleOf,
  onUseDefaults,
  onKnob,
  onClose,
}: {
  explainer: Explainer
  /** The explainer's knobs against the graph as it is now (`knobRows`). */
  knobs: readonly KnobRow[]
  /** Whether the run dock is set to the preset's steps and backend. */
  isUsingDefaults: boolean
  /** Another preset's title, for targets relative to it. */
  titleOf: (preset: string) => string
  onUseDefaults: () => void
  onKnob: (knob: KnobRow) => void
  onClose: () => void
}) {
  return (
    <aside
      aria-label="About this preset"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault()
          onClose()
        }
      }}
      className="flex w-80 shrink-0 flex-col border-l border-zinc-200 bg-white text-xs text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300"
    >
      <header className="flex items-start justify-between gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <div className="flex min-w-0 flex-col">
          <p className="text-[10px] font-semibold tracking-wide text-sky-700 uppercase dark:text-sky-400">
            About this preset · {FAMILY_TITLES[explainer.family]}
          </p>
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
            {explainer.title}
          </h2>
        </div>
        <button
          type="button"
          aria-label="Close About this preset"
          title="Close (Escape); About this preset in the toolbar opens it again"
          onClick={onClose}
          className="rounded px-1.5 text-base leading-none text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          ×
        </button>
      </header>
      <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto px-3 py-3 leading-relaxed">
        <Section title="The model">
          <p>{explainer.model}</p>
        </Section>
        <Section title="The seminar’s point">
          <p className="border-l-2 border-sky-500 pl-2 text-zinc-800 dark:border-sky-400 dark:text-zinc-200">
            {explainer.point}
          </p>
        </Section>
        <Section title="What to look at">
          <ul className="flex list-disc flex-col gap-1 pl-4 marker:text-zinc-400">
            {explainer.lookAt.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </Section>
        <Knobs rows={knobs} onKnob={onKnob} />
        <Section title="Training">
          <p>
            By default <span className="font-medium">{trainingText(explainer.training)}</span>, the
            run dock’s Max steps and backend.
          </p>
          {isUsingDefaults ? (
            <p className="text-emerald-700 dark:text-emerald-400">The run dock is set to these.</p>
          ) : (
            <button type="button" onClick={onUseDefaults} className={`${BUTTON} self-start`}>
              Use these settings
            </button>
          )}
        </Section>
        <Section title="Quality target">
          <p className="text-zinc-800 dark:text-zinc-200">{explainer.quality.summary}</p>
          <ul aria-label="Targets" className="flex flex-col gap-0.5">
            {explainer.quality.targets.map((target) => {
              const text = targetText(target, titleOf)
              return (
                <li key={text} className="font-mono text-[11px] text-zinc-600 dark:text-zinc-400">
                  {text}
                </li>
              )
            })}
          </ul>
          <h4 className="mt-1 font-medium text-zinc-800 dark:text-zinc-200">How it is measured</h4>
          <p>{explainer.quality.measured}</p>
        </Section>
      </div>
    </aside>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId()
  return (
    <section aria-labelledby={id} className="flex flex-col gap-1.5">
      <h3 id={id} className="text-[11px] font-semibold text-zinc-900 dark:text-zinc-100">
        {title}
      </h3>
      {children}
    </section>
  )
}

function Knobs({ rows, onKnob }: { rows: readonly KnobRow[]; onKnob: (knob: KnobRow) => void }) {
  const id = useId()
  return (
    <Section title="Knobs to try">
      <ul className="flex flex-col gap-2">
        {rows.map((row, index) => {
          const hintId = `${id}-${String(index)}`
          return (
            <li key={`${row.node}.${row.param}`} className="flex flex-col gap-0.5">
              <button
                type="button"
                disabled={!row.isPresent}
                aria-label={`${row.paramLabel} on ${row.nodeName}`}
                aria-describedby={hintId}
                title={row.isPresent ? 'Select the node and edit this in the inspector' : undefined}
                onClick={() => {
                  onKnob(row)
                }}
                className="group flex items-baseline justify-between gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-2 py-1 text-left hover:border-sky-400 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-60 disabled:hover:border-zinc-200 disabled:hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:border-sky-600 dark:hover:bg-sky-950/40 dark:disabled:hover:border-zinc-700 dark:disabled:hover:bg-zinc-950"
              >
                <span className="min-w-0">
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">
                    {row.paramLabel}
                  </span>{' '}
                  <span className="text-zinc-500 dark:text-zinc-400">
                    {row.isPresent ? `on ${row.nodeName}` : `(node “${row.node}” was removed)`}
                  </span>
                </span>
                {row.value !== undefined && (
                  <span className="max-w-24 shrink-0 truncate font-mono text-[11px] text-sky-700 dark:text-sky-400">
                    {row.value}
                  </span>
                )}
              </button>
              <p
                id={hintId}
                className="px-0.5 text-[11px] leading-snug text-zinc-500 dark:text-zinc-400"
              >
                {row.hint}
              </p>
            </li>
          )
        })}
      </ul>
    </Section>
  )
}
