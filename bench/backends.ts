/**
 * Backends in headless Chromium (issue #9, part 2): steps/s and samples/s of the autoencoder,
 * DCGAN and ArcFace presets (the models of compileOverhead.ts) on WebGPU (a software adapter
 * here: `--enable-unsafe-webgpu`), WASM, WebGL and CPU, trained by the built app's own training
 * worker, and the backend `auto` picked.
 *
 * The app is opened as a user opens it (no `?backend=`), and its status line gives the backend
 * `auto` chose. Each measurement then starts a fresh instance of the same worker bundle the page
 * loaded and drives it through its comlink API exactly as the run dock does: `start(backend)`
 * (with the app's self-check), `open(preset)`, `train()`, streaming metrics; views are not asked
 * for. A step's duration is the time between consecutive metric points on the worker's clock.
 * After `WARMUP_STEPS` (kernels compile, shaders build) the steps of a window of `WINDOW_S`
 * seconds are timed, and steps/s is 1 / their median. Slow backends are cut off: the first
 * steps get `WARMUP_CAP_S`, the window at most `WINDOW_CAP_S` (at least 3 steps if they fit);
 * a backend that gives no timed step in that time gets a row that says so.
 *
 * Prints a markdown table, writes `.reports/bench-backends.json`.
 * `npx tsx bench/backends.ts [--window 10] [--backends webgpu,wasm,webgl,cpu]
 *  [--models autoencoder,dcgan,arcface]`; BENCH_DIST / BENCH_PORT as in bench/browser.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { Page } from '@playwright/test'
import { parseArgs, stringOption } from '../cli/args'
import type { GraphDocument } from '../graph-core/document'
import { nodeRegistry } from '../nodes/registry'
import { loadPreset, type PresetId } from '../presets/catalog'
import { BACKEND_NAMES, type BackendName } from '../workers/backendChoice'
import { launchChromium, PAGE_NAME_SHIM, startPreview } from './browser'
import { largestBatch } from './presetBatch'
import { median } from './stats'

const args = parseArgs(process.argv.slice(2))
const WINDOW_S = Number(stringOption(args, 'window') ?? 10)
const WARMUP_STEPS = 2
const WARMUP_CAP_S = Number(stringOption(args, 'warmup-cap') ?? 75)
const WINDOW_CAP_S = Number(stringOption(args, 'window-cap') ?? 25)
const MAX_STEPS = 400
const MODELS = (stringOption(args, 'models') ?? 'autoencoder,dcgan,arcface').split(
  ',',
) as PresetId[]
const BACKENDS = (stringOption(args, 'backends') ?? BACKEND_NAMES.join(',')).split(
  ',',
) as BackendName[]

/** What one model on one backend gave in the worker. */
interface WorkerRun {
  /** The backend as the worker reports it (build, threads, adapter); absent when it failed. */
  detail?: string
  error?: string
  /** Milliseconds until the warm-up steps were done. */
  warmupMs?: number
  /** Durations of the timed steps, on the worker's clock. */
  stepMs: number[]
  /** True when a cap, not the window, ended the run. */
  isCut: boolean
}

interface Options {
  document: GraphDocument
  backend: BackendName
  warmupSteps: number
  warmupCapMs: number
  windowMs: number
  windowCapMs: number
  maxSteps: number
}

/**
 * Runs in the page: a fresh instance of the app's training worker (the built
 * `trainingWorker-*.js` the page already loaded), driven with comlink's wire protocol.
 */
function trainInWorker(page: Page, options: Options): Promise<WorkerRun> {
  return page.evaluate(async (options) => {
    const url = performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .find((name) => /\/trainingWorker-[^/]*\.js$/.test(name))
    if (url === undefined) throw new Error('the page has not loaded the training worker')
    const worker = new Worker(url, { type: 'module', name: 'bench-training' })
    let next = 0
    const call = (path: string, argumentList: unknown[], transfer: Transferable[] = []) =>
      new Promise<unknown>((resolve, reject) => {
        const id = `bench-${String(++next)}`
        const listener = (
          event: MessageEvent<{ id?: string; type: string; name?: string; value: unknown }>,
        ) => {
          if (event.data.id !== id) return
          worker.removeEventListener('message', listener)
          if (event.data.type === 'HANDLER' && event.data.name === 'throw') {
            const thrown = event.data.value as { value?: { message?: string } }
            reject(new Error(thrown.value?.message ?? 'the worker threw'))
          } else resolve(event.data.value)
        }
        worker.addEventListener('message', listener)
        worker.postMessage({ id, type: 'APPLY', path: [path], argumentList }, transfer)
      })
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    try {
      let report: {
        backend: {
          name: string
          wasm?: { simd: boolean; isThreaded: boolean; threads: number }
          adapter?: { architecture: string; vendor: string; isSoftware: boolean }
          webglVersion?: number
        }
      }
      try {
        report = (await call('start', [{ type: 'RAW', value: options.backend }])) as typeof report
      } catch (error) {
        return { error: (error as Error).message, stepMs: [], isCut: false }
      }
      const { backend } = report
      const detail = backend.wasm
        ? `${backend.wasm.simd ? 'SIMD' : 'no SIMD'}, ${backend.wasm.isThreaded ? `${String(backend.wasm.threads)} threads` : 'no threads'}`
        : backend.adapter
          ? `${backend.adapter.architecture || backend.adapter.vendor}${backend.adapter.isSoftware ? ' (software)' : ''}`
          : backend.webglVersion !== undefined
            ? `WebGL ${String(backend.webglVersion)}`
            : ''
      // The metric points the loop streams: one per step, timed on the worker's clock.
      const points: { step: number; time: number }[] = []
      let failure: string | undefined
      const { port1, port2 } = new MessageChannel()
      port1.onmessage = (message: MessageEvent<{ argumentList?: { value?: unknown }[] }>) => {
        const event = message.data.argumentList?.[0]?.value as
          | { type: 'metrics'; points: { step: number; time: number }[] }
          | { type: 'failed'; message: string }
          | { type: string }
          | undefined
        if (event?.type === 'metrics' && 'points' in event) points.push(...event.points)
        if (event?.type === 'failed' && 'message' in event) failure = event.message
      }
      const opened = (await call(
        'open',
        [
          { type: 'RAW', value: options.document },
          { type: 'RAW', value: { metricsIntervalMs: 200 } },
          { type: 'HANDLER', name: 'proxy', value: port2 },
        ],
        [port2],
      )) as { ok: boolean; diagnostics: { message: string }[] }
      if (!opened.ok)
        return {
          detail,
          error: opened.diagnostics.map((d) => d.message).join('; '),
          stepMs: [],
          isCut: false,
        }
      const started = performance.now()
      // Resolves when the loop ends, which here is never: the worker is terminated instead.
      void call('train', []).catch(() => undefined)
      while (points.length < options.warmupSteps && failure === undefined) {
        if (performance.now() - started > options.warmupCapMs)
          return { detail, stepMs: [], isCut: true }
        await sleep(50)
      }
      const warmupMs = performance.now() - started
      const firstTimed = points.length - 1
      const windowStarted = performance.now()
      for (;;) {
        const elapsed = performance.now() - windowStarted
        const timed = points.length - 1 - firstTimed
        if (failure !== undefined) break
        if (timed >= options.maxSteps) break
        if (elapsed >= options.windowMs && timed >= 3) break
        if (elapsed >= options.windowCapMs) break
        await sleep(50)
      }
      const isCut = performance.now() - windowStarted >= options.windowCapMs
      const times = points
        .slice(firstTimed, firstTimed + options.maxSteps + 1)
        .map((point) => point.time)
      const stepMs = times.slice(1).map((time, index) => time - (times[index] ?? time))
      return { detail, error: failure, warmupMs, stepMs, isCut }
    } finally {
      worker.terminate()
    }
  }, options)
}

export interface BackendRow {
  model: string
  backend: BackendName
  batchSize: number
  detail?: string
  /** NaN when no step was timed. */
  stepsPerSecond: number
  samplesPerSecond: number
  timedSteps: number
  warmupSeconds?: number
  /** Why there is no figure, or what limited it. */
  note: string
}

function rowOf(model: string, backend: BackendName, batchSize: number, run: WorkerRun): BackendRow {
  const stepsPerSecond = run.stepMs.length > 0 ? 1000 / median(run.stepMs) : Number.NaN
  const note =
    run.error !== undefined
      ? `unavailable: ${run.error}`
      : run.stepMs.length === 0
        ? `too slow: ${String(WARMUP_STEPS)} warm-up steps took over ${String(WARMUP_CAP_S)} s`
        : run.isCut
          ? `slow: ${String(run.stepMs.length)} steps timed in ${String(WINDOW_CAP_S)} s`
          : ''
  return {
    model,
    backend,
    batchSize,
    detail: run.detail,
    stepsPerSecond,
    samplesPerSecond: stepsPerSecond * batchSize,
    timedSteps: run.stepMs.length,
    warmupSeconds: run.warmupMs === undefined ? undefined : run.warmupMs / 1000,
    note,
  }
}

const preview = await startPreview(4393)
const browser = await launchChromium()
const loadStart = loadavg()[0] ?? Number.NaN
const started = performance.now()
try {
  const page = await browser.newPage()
  await page.addInitScript(PAGE_NAME_SHIM)
  // As a user opens it: `auto`; the status line names the backend once its self-check passed.
  await page.goto(preview.url)
  const status = page.getByRole('status')
  await status.filter({ hasText: /self-check loss|failed/ }).waitFor({ timeout: 120_000 })
  const statusText = (await status.textContent()) ?? ''
  const autoBackend = /backend: (\w+)/.exec(statusText)?.[1] ?? `unknown ("${statusText}")`

  const rows: BackendRow[] = []
  for (const model of MODELS) {
    const loaded = loadPreset(model, nodeRegistry)
    if (!loaded.ok) throw new Error(`${model} does not load`)
    const batchSize = largestBatch(loaded.document)
    for (const backend of BACKENDS) {
      process.stderr.write(`${model} on ${backend}…\n`)
      const run = await trainInWorker(page, {
        document: loaded.document,
        backend,
        warmupSteps: WARMUP_STEPS,
        warmupCapMs: WARMUP_CAP_S * 1000,
        windowMs: WINDOW_S * 1000,
        windowCapMs: WINDOW_CAP_S * 1000,
        maxSteps: MAX_STEPS,
      })
      const row = rowOf(model, backend, batchSize, run)
      rows.push(row)
      process.stderr.write(
        `  ${Number.isFinite(row.stepsPerSecond) ? `${row.stepsPerSecond.toFixed(2)} steps/s over ${String(row.timedSteps)} steps` : ''} ${row.note}\n`,
      )
    }
  }
  const loadEnd = loadavg()[0] ?? Number.NaN
  const seconds = (performance.now() - started) / 1000

  const fixed = (value: number, digits: number) =>
    Number.isFinite(value) ? value.toFixed(digits) : '–'
  console.log('| model | backend | batch | steps/s | samples/s | timed steps | note |')
  console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |')
  for (const row of rows) {
    const name = `${row.backend}${row.detail ? ` (${row.detail})` : ''}${row.backend === autoBackend ? ', auto' : ''}`
    console.log(
      `| ${row.model} | ${name} | ${String(row.batchSize)} | ${fixed(row.stepsPerSecond, 2)} | ${fixed(row.samplesPerSecond, 0)} | ${String(row.timedSteps)} | ${row.note} |`,
    )
  }
  console.log(
    `\nauto picked ${autoBackend}. Built app's training worker in headless Chromium; medians of the step times over ${String(WINDOW_S)} s after ${String(WARMUP_STEPS)} warm-up steps; ${seconds.toFixed(0)} s in all; load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)} on ${String(cpus().length)} cores.`,
  )
  mkdirSync('.reports', { recursive: true })
  writeFileSync(
    '.reports/bench-backends.json',
    `${JSON.stringify({ date: new Date().toISOString(), autoBackend, statusText, windowSeconds: WINDOW_S, warmupSteps: WARMUP_STEPS, seconds, loadStart, loadEnd, rows }, null, 2)}\n`,
  )
} finally {
  await browser.close()
  preview.stop()
}
