/**
 * Main-thread long tasks while training (issue #9, part 4; target: none over 50 ms in 20 s of
 * training). The built app is opened with `?backend=wasm`, the "GAN on 2-D points" preset is
 * chosen from the Presets menu, its step limit is cleared (its 3,000 steps end within a minute
 * here) and it trains; then `WINDOWS` windows of 20 s each give the long tasks the page's
 * PerformanceObserver saw (count and worst), the steps/s the status line reports over the window,
 * and the median number of threads runnable machine-wide (what competed for the cores; the run
 * itself keeps two or three busy).
 *
 * Unlike tests/e2e/longTasks.spec.ts this records no trace: the window is timed here in Node and
 * the page is read only at its edges, so no Playwright probe runs on the main thread inside it
 * and every long task counted is the app's. The trace, which also gives each task's CPU time,
 * stays the test's.
 *
 * Prints a markdown table, writes `.reports/bench-longtasks.json`; exits 1 when the median
 * window has a long task. `npx tsx bench/longTasks.ts [windows]`; BENCH_DIST / BENCH_PORT as in
 * bench/browser.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { expect, type Page } from '@playwright/test'
import { longTasksIn, recordLongTasks, sampleRunnable } from '../tests/e2e/longTaskWatch'
import { PresetsPage } from '../tests/e2e/presetsPage'
import { TrainingPage } from '../tests/e2e/trainingPage'
import { BENCH_DIST, launchChromium, startPreview } from './browser'
import { median } from './stats'

const WINDOWS = Number(process.argv[2] ?? 3)
const WINDOW_MS = 20_000
const PRESET = 'GAN on 2-D points'
/** Waits for the app (a lazy chunk, the worker's self-check) on a loaded machine. */
const PATIENCE_MS = 120_000

interface TrainingWindow {
  longTasks: { start: number; duration: number }[]
  /** The longest task in milliseconds; 0 when there was none over 50 ms. */
  worstMs: number
  stepsPerSecond: number
  /** Median of the samples taken every 250 ms; null where /proc is missing. */
  runnable: number | null
}

const pageNow = (page: Page) => page.evaluate(() => performance.now())

async function measureWindow(page: Page, run: TrainingPage): Promise<TrainingWindow> {
  const stopSampling = sampleRunnable()
  const startStep = await run.step()
  const start = await pageNow(page)
  // The next read comes after the window's end: none of Playwright's probes falls inside it.
  await sleep(WINDOW_MS + 250)
  const end = await pageNow(page)
  const { state, step: endStep } = await run.state()
  const runnable = stopSampling() ?? null
  if (state !== 'running') throw new Error(`the run is ${state} at step ${String(endStep)}`)
  const longTasks = await longTasksIn(page, start, WINDOW_MS)
  return {
    longTasks,
    worstMs: Math.max(0, ...longTasks.map((task) => task.duration)),
    stepsPerSecond: (endStep - startStep) / ((end - start) / 1000),
    runnable,
  }
}

const preview = await startPreview(4397)
const browser = await launchChromium()
const loadStart = loadavg()[0] ?? Number.NaN
try {
  const context = await browser.newContext({
    baseURL: preview.url,
    viewport: { width: 1600, height: 1000 },
  })
  context.setDefaultTimeout(PATIENCE_MS)
  const page = await context.newPage()
  await recordLongTasks(page)
  const run = new TrainingPage(page)
  const presets = new PresetsPage(page)
  // As `run.open` and `presets.choose` do, with the patience of a loaded machine: outside the
  // Playwright runner an `expect` waits 5 s unless told otherwise.
  await run.lab.goto('?backend=wasm')
  await expect(run.status).toContainText(/self-check loss|failed/, { timeout: PATIENCE_MS })
  const { backend } = await run.lab.readyBackend()
  if (backend !== 'wasm') throw new Error(`the worker runs on ${backend}, not wasm`)
  await presets.menuButton.click()
  await presets.menu.getByRole('menuitem', { name: PRESET, exact: true }).click()
  await expect(presets.panel.getByRole('heading', { level: 2 })).toHaveText(PRESET, {
    timeout: PATIENCE_MS,
  })
  await run.dock.getByLabel('Max steps').fill('')
  await run.button('Train').click()
  await run.reachStep(1, PATIENCE_MS)
  const windows: TrainingWindow[] = []
  for (let index = 0; index < WINDOWS; index++) windows.push(await measureWindow(page, run))
  await run.button('Stop').click()
  const loadEnd = loadavg()[0] ?? Number.NaN

  const runnables = windows.flatMap((window) => (window.runnable === null ? [] : [window.runnable]))
  const result = {
    medianLongTasks: median(windows.map((window) => window.longTasks.length)),
    medianWorstMs: median(windows.map((window) => window.worstMs)),
    medianStepsPerSecond: median(windows.map((window) => window.stepsPerSecond)),
    medianRunnable: runnables.length > 0 ? median(runnables) : null,
  }
  const row = (
    name: string,
    count: number,
    worstMs: number,
    rate: number,
    runnable: number | null,
  ) =>
    `| ${name} | ${String(count)} | ${worstMs.toFixed(0)} | ${rate.toFixed(1)} | ${runnable ?? '–'} |`
  console.log(
    `| ${PRESET}, wasm: 20 s window | long tasks over 50 ms | worst ms | steps/s | runnable threads |`,
  )
  console.log('| --- | ---: | ---: | ---: | ---: |')
  windows.forEach((window, index) => {
    console.log(
      row(
        String(index + 1),
        window.longTasks.length,
        window.worstMs,
        window.stepsPerSecond,
        window.runnable,
      ),
    )
  })
  console.log(
    row(
      'median',
      result.medianLongTasks,
      result.medianWorstMs,
      result.medianStepsPerSecond,
      result.medianRunnable,
    ),
  )
  console.log(
    `\nTarget: 0 long tasks in the median window. ${BENCH_DIST} on localhost, headless Chromium; load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)} on ${String(cpus().length)} cores.`,
  )
  mkdirSync('.reports', { recursive: true })
  writeFileSync(
    '.reports/bench-longtasks.json',
    `${JSON.stringify({ date: new Date().toISOString(), dist: BENCH_DIST, preset: PRESET, windowMs: WINDOW_MS, cores: cpus().length, loadStart, loadEnd, ...result, windows }, null, 2)}\n`,
  )
  process.exitCode = result.medianLongTasks > 0 ? 1 : 0
} finally {
  await browser.close()
  preview.stop()
}
