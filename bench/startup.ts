/**
 * Bundle and start-up (issue #9, part 5): the gzip sizes of the built app's main bundle (what
 * loads before the page is usable; target ≤ 350 kB, TF.js is in the worker) and worker bundle,
 * from the build's chunk reports through scripts/checkBundle.mjs; then the time to interactive
 * of the built app on localhost in headless Chromium.
 *
 * Time to interactive: a cold load (a fresh browser context: empty cache and storage) of the
 * share link of the autoencoder preset, from navigation start to the first frame that shows its
 * first node selected after a click; the click is sent as soon as the node can take it, as an
 * eager user would. Also the first node in the DOM and the click itself. The worker's backend
 * self-check runs meanwhile, as it does for every user. Median of `RUNS` loads.
 *
 * Prints a markdown table, writes `.reports/bench-startup.json`.
 * `npx tsx bench/startup.ts [runs]`; BENCH_DIST / BENCH_PORT as in bench/browser.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { Browser } from '@playwright/test'
import { encodeShareFragment } from '../app/storage/shareLink'
import { nodeRegistry } from '../nodes/registry'
import { loadPreset } from '../presets/catalog'
import { MAIN_GZIP_BUDGET, measureBundle } from '../scripts/checkBundle.mjs'
import { BENCH_DIST, chunkReportDir, launchChromium, PAGE_NAME_SHIM, startPreview } from './browser'
import { median } from './stats'

const RUNS = Number(process.argv[2] ?? 5)

interface Load {
  firstNodeMs: number
  clickMs: number
  interactiveMs: number
}

async function coldLoad(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  try {
    const page = await context.newPage()
    await page.addInitScript(PAGE_NAME_SHIM)
    // Marks, on the page's clock (0 = navigation start): the first node in the DOM, the first
    // pointer press, and the first frame after it that draws a node selected.
    await page.addInitScript(() => {
      const marks: Record<string, number> = {}
      Object.assign(window, { __startup: marks })
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-node-id]') === null) return
        marks.firstNode = performance.now()
        observer.disconnect()
      }).observe(document, { childList: true, subtree: true })
      addEventListener(
        'pointerdown',
        () => {
          if (marks.click !== undefined) return
          marks.click = performance.now()
          const watch = () => {
            if (document.querySelector('.react-flow__node.selected') !== null)
              marks.interactive = performance.now()
            else requestAnimationFrame(watch)
          }
          requestAnimationFrame(watch)
        },
        { capture: true },
      )
    })
    await page.goto(url, { waitUntil: 'commit' })
    const node = page.locator('.react-flow__node').first()
    await node.click({ timeout: 60_000 })
    await page.waitForFunction(
      () => (window as unknown as { __startup: { interactive?: number } }).__startup.interactive,
    )
    const marks = await page.evaluate(
      () => (window as unknown as { __startup: Record<string, number> }).__startup,
    )
    return {
      firstNodeMs: marks.firstNode ?? Number.NaN,
      clickMs: marks.click ?? Number.NaN,
      interactiveMs: marks.interactive ?? Number.NaN,
    }
  } finally {
    await context.close()
  }
}

const bundle = measureBundle({ dist: BENCH_DIST, reportDir: chunkReportDir() })
const loaded = loadPreset('autoencoder', nodeRegistry)
if (!loaded.ok) throw new Error('the autoencoder preset does not load')
const fragment = await encodeShareFragment(loaded.document)

const preview = await startPreview(4395)
const browser = await launchChromium()
const loadStart = loadavg()[0] ?? Number.NaN
try {
  // One warm load first (not counted): the server and Chromium's own caches start cold.
  await coldLoad(browser, `${preview.url}${fragment}`)
  const loads: Load[] = []
  for (let run = 0; run < RUNS; run++)
    loads.push(await coldLoad(browser, `${preview.url}${fragment}`))
  const loadEnd = loadavg()[0] ?? Number.NaN
  const pick = (key: keyof Load) => median(loads.map((load) => load[key]))
  const result = {
    mainGzipBytes: bundle.mainGzip,
    lazyGzipBytes: bundle.lazyGzip,
    workerGzipBytes: bundle.workerGzip,
    mainGzipBudgetBytes: MAIN_GZIP_BUDGET,
    bundleProblems: bundle.problems,
    firstNodeMs: pick('firstNodeMs'),
    clickMs: pick('clickMs'),
    interactiveMs: pick('interactiveMs'),
  }
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
  console.log('| start-up | value | target |')
  console.log('| --- | ---: | ---: |')
  console.log(
    `| main bundle gzip, at load (TF.js excluded) | ${kB(result.mainGzipBytes)} | ≤ ${kB(MAIN_GZIP_BUDGET)} |`,
  )
  console.log(`| main chunks loaded on demand, gzip | ${kB(result.lazyGzipBytes)} | |`)
  console.log(`| worker bundle gzip (TF.js) | ${kB(result.workerGzipBytes)} | |`)
  console.log(
    `| cold load → first node in the DOM (median of ${String(RUNS)}) | ${result.firstNodeMs.toFixed(0)} ms | |`,
  )
  console.log(`| cold load → click sent | ${result.clickMs.toFixed(0)} ms | |`)
  console.log(
    `| time to interactive: cold load → click drawn (node selected) | ${result.interactiveMs.toFixed(0)} ms | |`,
  )
  console.log(
    `\n${BENCH_DIST} on localhost, headless Chromium; load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)} on ${String(cpus().length)} cores.${bundle.problems.length > 0 ? ` BUNDLE PROBLEMS: ${bundle.problems.join('; ')}` : ''}`,
  )
  mkdirSync('.reports', { recursive: true })
  writeFileSync(
    '.reports/bench-startup.json',
    `${JSON.stringify({ date: new Date().toISOString(), dist: BENCH_DIST, runs: RUNS, loadStart, loadEnd, ...result, loads }, null, 2)}\n`,
  )
  process.exitCode = bundle.problems.length > 0 ? 1 : 0
} finally {
  await browser.close()
  preview.stop()
}
