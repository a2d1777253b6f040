import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { gan2dFragment, TrainingPage } from './trainingPage'

// Playwright's own trace screencasts every frame (the browser encodes each one): on this
// machine that took a third of a core from the page and halved the worker's speed. Measured on
// one build at load 5–6: with it 17 long tasks (worst 224 ms) and 73 steps/s, without it 5
// (worst 60 ms) and 164 steps/s. This file measures the app, so it records no trace.
test.use({ viewport: { width: 1600, height: 1000 }, trace: 'off' })

/**
 * Threads ready to run right now, machine-wide (the 4th field of /proc/loadavg, less the reader
 * itself); undefined where /proc is missing. Unlike the load average, which trails the minute
 * before, it says what competes with the page during the window.
 */
function runnableNow(): number | undefined {
  try {
    const field = readFileSync('/proc/loadavg', 'utf8').split(' ')[3]
    const running = Number(field?.split('/')[0])
    return Number.isFinite(running) ? running - 1 : undefined
  } catch {
    return undefined
  }
}

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  tdur?: number
  args?: { name?: string }
}

/**
 * The renderer main thread's tasks in a Chromium trace, with their wall time and thread (CPU)
 * time in milliseconds: on a busy machine a task can last long while using little CPU. Tasks
 * that evaluate a script are Playwright's own probes (the app loads no code while training).
 */
function mainThreadTasks(trace: { traceEvents: TraceEvent[] }): {
  wall: number
  cpu: number
  isProbe: boolean
}[] {
  const busiest = new Map<string, number>()
  const key = (event: TraceEvent) => `${String(event.pid)}:${String(event.tid)}`
  const mains = new Set(
    trace.traceEvents
      .filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map(key),
  )
  for (const event of trace.traceEvents) {
    if (event.ph !== 'X' || event.name !== 'RunTask' || !mains.has(key(event))) continue
    busiest.set(key(event), (busiest.get(key(event)) ?? 0) + (event.dur ?? 0))
  }
  const main = [...busiest].sort((a, b) => b[1] - a[1])[0]?.[0]
  const onMain = trace.traceEvents.filter((event) => event.ph === 'X' && key(event) === main)
  const probes = onMain.filter((event) => event.name === 'EvaluateScript').map((event) => event.ts)
  return onMain
    .filter((event) => event.name === 'RunTask')
    .map((event) => ({
      wall: (event.dur ?? 0) / 1000,
      cpu: (event.tdur ?? 0) / 1000,
      isProbe: probes.some((ts) => ts >= event.ts && ts <= event.ts + (event.dur ?? 0)),
    }))
}

test('no main-thread task over 50 ms during 20 s of training', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000)
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = []
    Object.assign(window, { longTasks: tasks })
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        tasks.push({ start: entry.startTime, duration: entry.duration })
      }
    }).observe({ type: 'longtask', buffered: true })
  })
  const run = new TrainingPage(page)
  await run.open('wasm')
  await run.paste(gan2dFragment({ withView: true }))
  await run.button('Train').click()
  await run.reachStep(1)
  const tracePath = testInfo.outputPath('trace.json')
  await browser.startTracing(page, {
    path: tracePath,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  })
  const [loadBefore = 0] = loadavg()
  const runnable: number[] = []
  const sampler = setInterval(() => {
    const count = runnableNow()
    if (count !== undefined) runnable.push(count)
  }, 250)
  const windowStart = await page.evaluate(() => performance.now())
  const startStep = await run.step()
  await page.waitForFunction((start) => performance.now() - start >= 20_000, windowStart, {
    timeout: 60_000,
    polling: 1000,
  })
  const endStep = await run.step()
  clearInterval(sampler)
  await browser.stopTracing()
  const [loadAfter = 0] = loadavg()
  const longTasks = await page.evaluate(
    (start) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (task) => task.start >= start && task.start <= start + 20_000,
      ),
    windowStart,
  )
  const tasks = mainThreadTasks(JSON.parse(await readFile(tracePath, 'utf8')) as never).filter(
    (task) => !task.isProbe,
  )
  const worst = Math.max(0, ...longTasks.map((task) => task.duration))
  const worstCpu = Math.max(0, ...tasks.map((task) => task.cpu))
  const cpuTotal = tasks.reduce((sum, task) => sum + task.cpu, 0)
  const load = Math.max(loadBefore, loadAfter)
  const sorted = [...runnable].sort((a, b) => a - b)
  const medianRunnable = sorted[Math.floor(sorted.length / 2)]
  testInfo.annotations.push({
    type: 'long tasks',
    description:
      `${longTasks.length} long tasks (PerformanceObserver, over 50 ms) in 20 s of training on ` +
      `wasm, worst ${worst.toFixed(0)} ms; the app's main-thread CPU: worst task ` +
      `${worstCpu.toFixed(1)} ms, ` +
      `${((cpuTotal / 20_000) * 100).toFixed(0)}% busy; ${endStep - startStep} steps ` +
      `(${((endStep - startStep) / 20).toFixed(0)} steps/s); load average ${load.toFixed(1)}, ` +
      `median ${medianRunnable ?? 'unknown'} threads runnable, on ${cpus().length} cores`,
  })
  // The view was drawn in its node during the window, as the worker's answers came in.
  await expect(
    page.locator('[data-node-type="view.scatter2d"]').getByRole('img').first(),
  ).toBeVisible()
  await page.screenshot({ path: '/tmp/training-longtasks.png' })
  // What the page itself does: no task needs 50 ms of the main thread's CPU.
  expect(tasks.filter((task) => task.cpu > 50)).toEqual([])
  // Wall time also counts time the OS gave the thread to others, so it is judged only when
  // nothing but the run competed for the cores. The run itself keeps about three threads
  // runnable (the worker, the page's threads, the browser's): measured here, a median of 3 with
  // nothing else running (0 long tasks in 5 of 5 windows), 5 beside three niced trainings (0–2
  // long tasks of 58–79 ms). The load average trails the minute before, the previous test's
  // included: it is only the fallback where /proc is missing.
  const isQuiet =
    medianRunnable === undefined ? load <= cpus().length + 1 : medianRunnable <= cpus().length + 1
  if (isQuiet) expect(longTasks).toEqual([])
  await run.button('Stop').click()
})
