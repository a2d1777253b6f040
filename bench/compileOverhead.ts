/**
 * Compile overhead (issue #9, parts 1 and 3): the compiled training program against the same
 * model written by hand in plain TF.js (`compileOverheadModels.ts`), for an autoencoder, a DCGAN
 * step and an ArcFace step, on the CLI's TF.js backends (CPU, then WASM). Both sides use the
 * one TF.js instance `cli/tfNode.ts` sets up, with its faster gradients and kernels, so the
 * ratio measures the compiler, not the kernels. Steps alternate (compiled, hand-written, then
 * hand-written, compiled, …) within rounds of a fixed time per side; the table quotes medians
 * over the rounds and the median of the per-round ratios, in wall time and in CPU time.
 *
 * When Python has `torch` (Debian's `python3-torch`), `pytorch_reference.py` trains each model
 * on the CPU right after its WASM row, and the table adds the ratio of the compiled WASM program
 * (our fastest CPU path) to it.
 *
 * Prints a markdown table; writes `.reports/bench-compile.json`.
 * `npx tsx bench/compileOverhead.ts [--rounds 5] [--seconds 2] [--backends cpu,wasm]
 *  [--models autoencoder,dcgan,arcface] [--no-torch]`
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadTf, type NodeBackend } from '../cli/tfNode'
import { compileGraph } from '../graph-core/compiler'
import { BENCH_MODELS, benchRegistry, type BenchModel } from './compileOverheadModels'

const here = dirname(fileURLToPath(import.meta.url))

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? fallback : (process.argv[index + 1] ?? fallback)
}

const ROUNDS = Number(option('rounds', '5'))
const SECONDS = Number(option('seconds', '2'))
// CPU first: loading WASM registers a matmul gradient for the whole TF.js instance, which the
// CLI's CPU backend does not have.
const BACKENDS = option('backends', 'cpu,wasm').split(',') as NodeBackend[]
const MODELS = option('models', BENCH_MODELS.map((model) => model.name).join(',')).split(',')
const isTorchWanted = !process.argv.includes('--no-torch')

/**
 * The CPU backend runs convolutions about 10× slower than WASM: the convolutional models train
 * a smaller batch there (the same on both sides), and it runs fewer rounds, so the whole bench
 * stays within a few minutes.
 */
const CPU_BATCH: Record<string, number> = { dcgan: 8, arcface: 16 }
const CPU_ROUNDS = Math.min(ROUNDS, 3)

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

/** Accumulated cost of one side's steps. */
interface Tally {
  steps: number
  wallMs: number
  cpuMs: number
}

/**
 * One round: the two sides' steps alternate (A B B A A B …) until both together ran for
 * 2 × `seconds`, so a load that comes and goes on the shared machine hits both alike. Wall and
 * process CPU time are tallied per side (WASM and the CPU backend use one thread, so CPU time
 * is the work done, less sensitive to other processes than wall time).
 */
async function round(
  sides: readonly [() => Promise<void>, () => Promise<void>],
  seconds: number,
): Promise<[Tally, Tally]> {
  const tallies: [Tally, Tally] = [
    { steps: 0, wallMs: 0, cpuMs: 0 },
    { steps: 0, wallMs: 0, cpuMs: 0 },
  ]
  for (let pair = 0; pair < 2 || tallies[0].wallMs + tallies[1].wallMs < 2000 * seconds; pair++) {
    for (const index of pair % 2 === 0 ? [0, 1] : [1, 0]) {
      const side = sides[index as 0 | 1]
      const tally = tallies[index as 0 | 1]
      const cpu = process.cpuUsage()
      const started = performance.now()
      await side()
      tally.wallMs += performance.now() - started
      const used = process.cpuUsage(cpu)
      tally.cpuMs += (used.user + used.system) / 1000
      tally.steps++
    }
  }
  return tallies
}

interface Row {
  model: string
  backend: NodeBackend
  batchSize: number
  /** Per round, steps per wall-clock second. */
  compiled: number[]
  handWritten: number[]
  /** Per round, compiled / hand-written steps per wall-clock second. */
  ratios: number[]
  /** Per round, compiled / hand-written steps per second of process CPU time. */
  cpuRatios: number[]
  compiledMedian: number
  handWrittenMedian: number
  ratioMedian: number
  cpuRatioMedian: number
}

async function measure(
  tf: Awaited<ReturnType<typeof loadTf>>,
  model: BenchModel<unknown>,
  backend: NodeBackend,
): Promise<Row> {
  const base = model.sizes.bench as { batchSize: number }
  const batchSize = backend === 'cpu' ? (CPU_BATCH[model.name] ?? base.batchSize) : base.batchSize
  const config = { ...base, batchSize }
  const compiled = compileGraph(tf, model.document(config), benchRegistry)
  if (!compiled.ok) {
    throw new Error(`${model.name}: ${compiled.diagnostics.map((d) => d.message).join('; ')}`)
  }
  const { program } = compiled
  const hand = model.handWritten(tf, config)
  // The same starting values on both sides (the test checks that the names and shapes match).
  for (const entry of program.variables) hand.variables.get(entry.name)?.assign(entry.variable)
  const sides = {
    compiled: async () => {
      const result = await program.runIteration()
      if (!result.ok) throw new Error(`${model.name}: ${result.diagnostic.message}`)
    },
    handWritten: async () => {
      await hand.step()
    },
  }
  try {
    // Warm-up: kernels, WASM memory and the optimizers' slots.
    for (let step = 0; step < 2; step++) {
      await sides.compiled()
      await sides.handWritten()
    }
    const rounds: [Tally, Tally][] = []
    for (let index = 0; index < (backend === 'cpu' ? CPU_ROUNDS : ROUNDS); index++) {
      rounds.push(await round([sides.compiled, sides.handWritten], SECONDS))
    }
    const perSecond = (tally: Tally, ms: number) => tally.steps / (ms / 1000)
    const compiledRates = rounds.map(([compiled]) => perSecond(compiled, compiled.wallMs))
    const handRates = rounds.map(([, hand]) => perSecond(hand, hand.wallMs))
    const ratios = compiledRates.map((value, index) => value / (handRates[index] ?? Number.NaN))
    const cpuRatios = rounds.map(
      ([compiled, hand]) => perSecond(compiled, compiled.cpuMs) / perSecond(hand, hand.cpuMs),
    )
    return {
      model: model.name,
      backend,
      batchSize,
      compiled: compiledRates,
      handWritten: handRates,
      ratios,
      cpuRatios,
      compiledMedian: median(compiledRates),
      handWrittenMedian: median(handRates),
      ratioMedian: median(ratios),
      cpuRatioMedian: median(cpuRatios),
    }
  } finally {
    hand.dispose()
    program.dispose()
  }
}

interface TorchResult {
  python: string
  torch: string
  threads: number
  /** steps/s by model name. */
  models: Record<string, { stepsPerSecond: number; batchSize: number }>
}

/** A Python that can import torch: `python3` first, then Debian's own. */
function findTorchPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' })
    if (probe.status === 0) return python
  }
  return undefined
}

function runTorch(python: string, models: readonly string[]): TorchResult {
  const output = execFileSync(
    python,
    [
      join(here, 'pytorch_reference.py'),
      '--rounds',
      String(ROUNDS),
      '--seconds',
      String(SECONDS),
      '--models',
      models.join(','),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return { python, ...(JSON.parse(output) as Omit<TorchResult, 'python'>) }
}

const python = isTorchWanted ? findTorchPython() : undefined
let torch: TorchResult | undefined
const rows: Row[] = []
for (const backend of BACKENDS) {
  const tf = await loadTf(backend)
  for (const model of BENCH_MODELS) {
    if (!MODELS.includes(model.name)) continue
    process.stderr.write(`measuring ${model.name} on ${backend}…\n`)
    rows.push(await measure(tf, model, backend))
    // PyTorch right after the WASM row it is compared with: the machine's load drifts.
    if (backend === 'wasm' && python !== undefined) {
      process.stderr.write(`measuring ${model.name} in PyTorch (${python})…\n`)
      const result = runTorch(python, [model.name])
      torch = { ...result, models: { ...torch?.models, ...result.models } }
    }
  }
}
if (python !== undefined && torch === undefined) torch = runTorch(python, MODELS)

const torchNote = !isTorchWanted
  ? 'PyTorch: skipped (--no-torch)'
  : torch === undefined
    ? 'PyTorch: skipped (no python3 with torch; `apt-get install python3-torch`)'
    : `PyTorch ${torch.torch} (${torch.python}), ${torch.threads} thread(s), CPU, each model run right after its WASM row`

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)
console.log(
  '| model | backend | batch | compiled steps/s | hand-written steps/s | compiled / hand | same, CPU time | PyTorch steps/s | compiled / PyTorch |',
)
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const row of rows) {
  const reference = torch?.models[row.model]
  // PyTorch is compared with our best CPU path, the WASM backend, at the same batch size.
  const isComparable = row.backend === 'wasm' && reference?.batchSize === row.batchSize
  console.log(
    `| ${row.model} | ${row.backend} | ${row.batchSize} | ${fixed(row.compiledMedian, 2)} | ${fixed(row.handWrittenMedian, 2)} | ${fixed(row.ratioMedian, 3)} | ${fixed(row.cpuRatioMedian, 3)} | ${isComparable ? fixed(reference.stepsPerSecond, 1) : ''} | ${isComparable ? fixed(row.compiledMedian / reference.stepsPerSecond, 3) : ''} |`,
  )
}
console.log(
  `\n${ROUNDS} rounds (CPU backend ${CPU_ROUNDS}) of ${SECONDS} s per side, steps alternating; medians (ratios: of the per-round ratios). ${torchNote}.`,
)
const worst = Math.min(...rows.map((row) => row.ratioMedian))
console.log(
  worst >= 0.95
    ? 'compiled ≥ 0.95 × hand-written everywhere'
    : `COMPILED SLOWER: worst ratio ${worst.toFixed(3)} (target ≥ 0.95)`,
)

const gitCommit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
})()
const reportPath = join(here, '..', '.reports', 'bench-compile.json')
mkdirSync(dirname(reportPath), { recursive: true })
writeFileSync(
  reportPath,
  `${JSON.stringify({ date: new Date().toISOString(), commit: gitCommit, rounds: ROUNDS, seconds: SECONDS, rows, torch }, null, 2)}\n`,
)
console.log(`wrote ${reportPath}`)
