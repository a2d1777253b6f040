/**
 * `npm run bench:quality`: trains every preset that has an evaluation with its default steps
 * and backend (as `npm run cli -- train <id>` does), measures it on held-out data, and prints
 * one table — preset, steps, wall time, metric, value, target, met or not — then writes it to
 * `.reports/bench-quality.json`. Relative targets ("beats the softmax baseline") are judged
 * against the other preset's value from the same run. A preset's comparison variants (the
 * triplet curriculum against hard mining from step 0) are trained too and judged by the same
 * targets, as rows of their own; they do not count towards the exit code.
 *
 *   npm run bench:quality                              # every preset with an evaluation
 *   npm run bench:quality -- --only arcface,softmax-baseline
 *   npm run bench:quality -- --steps 50                # a smoke run, targets not expected
 *   npm run bench:quality -- --no-variants             # skip the comparison variants
 *
 * The machine is shared: run it niced (`nice -n 15 npm run bench:quality`), and read wall
 * times as what they are, the time on this machine at that moment.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { parseArgs, intOption, stringOption } from '../cli/args'
import { trainDocument, type TrainSummary } from '../cli/commands/train'
import { nodeRegistry } from '../nodes/registry'
import { loadPreset, PRESET_IDS, type PresetId } from '../presets/catalog'
import {
  formatMetric,
  formatTarget,
  judge,
  verdictWord,
  type Metrics,
  type Verdict,
} from '../presets/evaluate'
import { applyVariant, METRICS, type Explainer, type MetricId } from '../presets/explainer'
import type { GraphDocument } from '../graph-core/document'

interface PresetResult {
  /** The preset id, or `preset/variant` for a comparison variant. */
  id: string
  isVariant: boolean
  steps: number
  backend: string
  /** Seconds of training, and of training plus views and evaluation. */
  trainSeconds: number
  wallSeconds: number
  metrics: Metrics
  verdicts: Verdict[]
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

/** The table as text: one row per target, the preset's columns on its first row only. */
function table(results: readonly PresetResult[]): string[] {
  const header = ['preset', 'steps', 'wall', 'metric', 'value', 'target', 'met']
  const rows = results.flatMap((result) =>
    result.verdicts.map((verdict, index) => [
      index === 0 ? result.id : '',
      index === 0 ? String(result.steps) : '',
      index === 0 ? `${Math.round(result.wallSeconds)} s` : '',
      METRICS[verdict.target.metric].label,
      formatMetric(verdict.target.metric, verdict.value),
      formatTarget(verdict.target, verdict.reference),
      verdictWord(verdict),
    ]),
  )
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)]
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  const only = stringOption(args, 'only')?.split(',')
  const stepsOverride = args.options.has('steps') ? intOption(args, 'steps', 1, 1) : undefined
  const unknown = only?.filter((id) => !(PRESET_IDS as readonly string[]).includes(id)) ?? []
  if (unknown.length > 0) throw new Error(`unknown preset ${unknown.join(', ')}`)

  const isSkippingVariants = args.options.has('no-variants')
  const chosen: { id: PresetId; explainer: Explainer }[] = []
  const runs: { id: string; preset: PresetId; summary: TrainSummary; wallSeconds: number }[] = []

  /** Trains one document as the CLI would and keeps its summary. */
  async function run(id: string, preset: PresetId, document: GraphDocument, explainer: Explainer) {
    const { training } = explainer
    const steps = stepsOverride ?? training.steps
    console.error(`${id}: training ${steps} steps on ${training.backend}…`)
    const started = performance.now()
    const summary = await trainDocument(
      document,
      { steps, backend: training.backend, seed: document.seed },
      {
        // Progress to stderr, so stdout holds only the table.
        print: (line) => {
          if (/^\d+\/\d+ /.test(line) && !line.startsWith(`${steps}/`)) return
          console.error(`  ${line}`)
        },
        progress: { isTTY: false, write: (text) => process.stderr.write(text) },
      },
    )
    if (summary?.quality === undefined) throw new Error(`${id}: the run failed`)
    const wallSeconds = (performance.now() - started) / 1000
    runs.push({ id, preset, summary, wallSeconds })
    // Each preset's figures as soon as it is measured: a long run stopped early keeps them.
    const figures = Object.entries(summary.quality.metrics)
      .map(([metric, value]) => `${metric} ${formatMetric(metric as MetricId, value)}`)
      .join(', ')
    console.error(`  ${id}: ${figures} (${Math.round(wallSeconds)} s)`)
  }

  for (const id of PRESET_IDS) {
    if (only !== undefined && !only.includes(id)) continue
    const loaded = loadPreset(id, nodeRegistry)
    if (!loaded.ok) throw new Error(`${id} does not load: ${loaded.diagnostics[0]?.message ?? ''}`)
    if (loaded.explainer.quality.evaluation === undefined) {
      console.error(`${id}: no evaluation yet, skipped`)
      continue
    }
    chosen.push({ id, explainer: loaded.explainer })
    await run(id, id, loaded.document, loaded.explainer)
    if (isSkippingVariants) continue
    for (const variant of loaded.explainer.quality.variants ?? []) {
      const document = applyVariant(loaded.document, variant)
      await run(`${id}/${variant.id}`, id, document, loaded.explainer)
    }
  }

  const metricsOf = new Map(runs.map((entry) => [entry.id, entry.summary.quality?.metrics]))
  const results: PresetResult[] = runs.map(({ id, preset, summary, wallSeconds }) => {
    const targets = chosen.find((entry) => entry.id === preset)?.explainer.quality.targets ?? []
    const metrics = summary.quality?.metrics ?? {}
    return {
      id,
      isVariant: id !== preset,
      steps: summary.steps,
      backend: summary.backend,
      trainSeconds: summary.seconds,
      wallSeconds: Number(wallSeconds.toFixed(1)),
      metrics,
      verdicts: judge(targets, metrics, (other) => metricsOf.get(other)),
    }
  })
  const lines = table(results)
  console.log(lines.join('\n'))

  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    },
    isSmokeRun: stepsOverride !== undefined,
    results,
  }
  mkdirSync(new URL('../.reports/', import.meta.url), { recursive: true })
  writeFileSync(
    new URL('../.reports/bench-quality.json', import.meta.url),
    `${JSON.stringify(report, null, 2)}\n`,
  )
  console.error('wrote .reports/bench-quality.json')
  const isAllMet = results.every((result) =>
    result.verdicts.every((verdict) => verdict.isMet !== false),
  )
  return isAllMet ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (cause: unknown) => {
    console.error(cause instanceof Error ? cause.message : cause)
    process.exitCode = 2
  },
)
