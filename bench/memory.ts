/**
 * Memory over long runs (issue #9, part 7): every preset (`presets/catalog.ts`, opened through
 * the loader as the app opens it) trains `--steps` iterations with the compiled program on the
 * presets' own backend, WASM, as `npm run cli -- train <preset>` would. Its tensor count and
 * bytes after step 100 must equal those at the end (flat), and disposing the program must return
 * to the count before it was built.
 *
 * 2,000 steps of every preset at its real batch take hours on two cores, so for this measurement
 * only the batch is capped (`--batch`, default 2); the table gives the batch and the last step.
 * That does not change what is counted: between steps TF.js holds the weights, the optimizer
 * slots and what the program keeps, none of which depends on the batch (the batch's own tensors
 * are freed within the step; counts and bytes at batch 2 and 8 are equal). All 14 presets to
 * step 2,000 at batch 2 take about 20 min, half of it the CycleGAN. `--seconds N` stops each
 * preset N s after step 100 (at least at step 200) for a quicker look; `--batch 0` trains the
 * presets at their own batches (hours).
 *
 * Prints a markdown table, writes `.reports/bench-memory.json`, exits 1 when anything grows.
 * `npx tsx bench/memory.ts [--steps 2000] [--batch 2] [--seconds 0] [--only dcgan,vae]
 *  [--backend wasm|cpu]`
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { intOption, parseArgs, stringOption } from '../cli/args'
import { loadResources } from '../cli/resources'
import { loadTf } from '../cli/tfNode'
import { compileGraph } from '../graph-core/compiler'
import { requiredResources } from '../graph-core/resources'
import { nodeRegistry } from '../nodes/registry'
import { loadPreset, PRESET_IDS } from '../presets/catalog'
import { largestBatch, withBatchAtMost } from './presetBatch'

const args = parseArgs(process.argv.slice(2))
const STEPS = intOption(args, 'steps', 2000, 100)
const BATCH = intOption(args, 'batch', 2, 0)
const SECONDS = intOption(args, 'seconds', 0, 0)
const only = stringOption(args, 'only')?.split(',')
const backend = stringOption(args, 'backend') ?? 'wasm'
if (backend !== 'wasm' && backend !== 'cpu') throw new Error('--backend is wasm or cpu')
const EARLY = 100

export interface MemoryRow {
  preset: string
  batchSize: number
  presetBatchSize: number
  tensorsEarly: number
  tensorsEnd: number
  bytesEarly: number
  bytesEnd: number
  /** The last step trained: `STEPS`, or earlier when the time cap ended the run. */
  stepsDone: number
  /** Tensors still allocated after `dispose`, beyond those before compiling. */
  leftAfterDispose: number
  isFlat: boolean
  secondsPerStep: number
}

const tf = await loadTf(backend)
const loadStart = loadavg()[0] ?? Number.NaN
const started = performance.now()
const rows: MemoryRow[] = []
for (const id of PRESET_IDS) {
  if (only !== undefined && !only.includes(id)) continue
  const loaded = loadPreset(id, nodeRegistry)
  if (!loaded.ok) throw new Error(`${id} does not load: ${loaded.diagnostics[0]?.message ?? ''}`)
  const document = BATCH > 0 ? withBatchAtMost(loaded.document, BATCH) : loaded.document
  const resources = await loadResources(requiredResources(document, nodeRegistry))
  const before = tf.memory().numTensors
  const compiled = compileGraph(tf, document, nodeRegistry, { seed: document.seed, resources })
  if (!compiled.ok)
    throw new Error(`${id}: ${compiled.diagnostics.map((d) => d.message).join('; ')}`)
  const { program } = compiled
  let early = { numTensors: 0, numBytes: 0 }
  let earlyAt = 0
  let stepsDone = 0
  const trainStarted = performance.now()
  try {
    for (let step = 1; step <= STEPS; step++) {
      const result = await program.runIteration()
      if (!result.ok) throw new Error(`${id}: ${result.diagnostic.message}`)
      stepsDone = step
      if (step === EARLY) {
        early = { ...tf.memory() }
        earlyAt = performance.now()
      }
      const isOverTime = SECONDS > 0 && step > EARLY && performance.now() - earlyAt > SECONDS * 1000
      if (isOverTime && step >= 2 * EARLY) break
    }
  } catch (error) {
    program.dispose()
    throw error
  }
  const end = tf.memory()
  const secondsPerStep = (performance.now() - trainStarted) / 1000 / stepsDone
  program.dispose()
  const leftAfterDispose = tf.memory().numTensors - before
  const row: MemoryRow = {
    preset: id,
    batchSize: largestBatch(document),
    presetBatchSize: largestBatch(loaded.document),
    stepsDone,
    tensorsEarly: early.numTensors,
    tensorsEnd: end.numTensors,
    bytesEarly: early.numBytes,
    bytesEnd: end.numBytes,
    leftAfterDispose,
    isFlat:
      end.numTensors === early.numTensors &&
      end.numBytes === early.numBytes &&
      leftAfterDispose === 0,
    secondsPerStep,
  }
  rows.push(row)
  process.stderr.write(
    `${id}: ${String(row.tensorsEarly)} → ${String(row.tensorsEnd)} tensors at step ${String(stepsDone)}, ${(secondsPerStep * 1000).toFixed(0)} ms/step\n`,
  )
}
const seconds = (performance.now() - started) / 1000
const loadEnd = loadavg()[0] ?? Number.NaN

const mb = (bytes: number) => (bytes / 1e6).toFixed(2)
console.log(
  `| preset | batch (preset's) | last step | tensors @${String(EARLY)} | tensors @last | MB @${String(EARLY)} | MB @last | after dispose | ms/step |`,
)
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |')
for (const row of rows) {
  console.log(
    `| ${row.preset} | ${String(row.batchSize)} (${String(row.presetBatchSize)}) | ${String(row.stepsDone)} | ${String(row.tensorsEarly)} | ${String(row.tensorsEnd)} | ${mb(row.bytesEarly)} | ${mb(row.bytesEnd)} | ${row.leftAfterDispose === 0 ? 'all freed' : `${String(row.leftAfterDispose)} left`} | ${(row.secondsPerStep * 1000).toFixed(0)} |`,
  )
}
const isFlat = rows.every((row) => row.isFlat)
console.log(
  `\n${backend} backend, ${BATCH > 0 ? `batches capped at ${String(BATCH)} for this measurement` : "the presets' own batches"}, ${String(STEPS)} steps${SECONDS > 0 ? ` or ${String(SECONDS)} s after step ${String(EARLY)}` : ''}; ${seconds.toFixed(0)} s; load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)} on ${String(cpus().length)} cores.`,
)
console.log(isFlat ? 'memory flat for every preset' : 'MEMORY GREW: see the table')
mkdirSync('.reports', { recursive: true })
writeFileSync(
  '.reports/bench-memory.json',
  `${JSON.stringify({ date: new Date().toISOString(), backend, steps: STEPS, early: EARLY, batchCap: BATCH, secondsCap: SECONDS, seconds, loadStart, loadEnd, isFlat, rows }, null, 2)}\n`,
)
process.exitCode = isFlat ? 0 : 1
