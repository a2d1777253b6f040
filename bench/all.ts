/**
 * `npm run bench` (issue #9): runs every benchmark script in turn, each as its own process (each
 * stays runnable alone and writes its own `.reports/bench-*.json`), then prints one markdown
 * table of every figure with its target and whether it was met (bench/summary.ts) and writes it
 * with the machine and the load to `.reports/bench.json`, which is generated, never committed.
 *
 * The app is built first into `BENCH_DIST` (default `dist`) with its chunk reports beside the
 * others (bench/browser.ts); `--no-build` reuses a build. The browser scripts get ports from
 * `BENCH_PORT` (default 4393) upwards, one each. Exits 1 when a script failed to report or a
 * target was not met. `--parts memory,startup` runs only those. On a shared machine run it niced (`nice -n 10 npm run bench`) and read the
 * load average it prints.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { BENCH_DIST, chunkReportDir } from './browser'
import { benchFigures, markdownTable, type Reports } from './summary'

interface Part {
  name: keyof Reports
  /** The report the script writes. */
  report: string
  command: string[]
  /** Needs a port for `vite preview`. */
  isBrowser?: boolean
}

const PARTS: Part[] = [
  {
    name: 'vitest',
    report: '.reports/bench-vitest.json',
    command: ['vitest', 'bench', '--run', '--outputJson', '.reports/bench-vitest.json'],
  },
  {
    name: 'compile',
    report: '.reports/bench-compile.json',
    command: ['tsx', 'bench/compileOverhead.ts'],
  },
  {
    name: 'backends',
    report: '.reports/bench-backends.json',
    command: ['tsx', 'bench/backends.ts'],
    isBrowser: true,
  },
  {
    name: 'editor',
    report: '.reports/bench-editor.json',
    command: ['tsx', 'bench/editor.ts'],
    isBrowser: true,
  },
  {
    name: 'longTasks',
    report: '.reports/bench-longtasks.json',
    command: ['tsx', 'bench/longTasks.ts'],
    isBrowser: true,
  },
  {
    name: 'startup',
    report: '.reports/bench-startup.json',
    command: ['tsx', 'bench/startup.ts'],
    isBrowser: true,
  },
  { name: 'memory', report: '.reports/bench-memory.json', command: ['tsx', 'bench/memory.ts'] },
]

const partsOption = process.argv.indexOf('--parts')
const chosen =
  partsOption < 0 ? undefined : (process.argv[partsOption + 1] ?? '').split(',').filter(Boolean)
const started = performance.now()
const loadStart = loadavg()
mkdirSync('.reports', { recursive: true })
if (!process.argv.includes('--no-build')) {
  console.error(`building the app into ${BENCH_DIST}…`)
  execFileSync('npx', ['vite', 'build', '--outDir', BENCH_DIST], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CHUNK_REPORT_DIR: chunkReportDir() },
  })
}

const basePort = Number(process.env.BENCH_PORT ?? 4393)
const ran: { name: string; exitCode: number | null; seconds: number }[] = []
let browserIndex = 0
for (const part of PARTS) {
  if (chosen !== undefined && !chosen.includes(part.name)) continue
  // A stale report from an earlier run must not pass for this one's.
  rmSync(part.report, { force: true })
  console.error(`\n## ${part.name}: npx ${part.command.join(' ')}`)
  const partStarted = performance.now()
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_DIST }
  if (part.isBrowser) env.BENCH_PORT = String(basePort + browserIndex++)
  const result = spawnSync('npx', part.command, { stdio: 'inherit', env })
  ran.push({
    name: part.name,
    exitCode: result.status,
    seconds: (performance.now() - partStarted) / 1000,
  })
}

const reports: Reports = {}
for (const part of PARTS) {
  if (existsSync(part.report))
    Object.assign(reports, {
      [part.name]: JSON.parse(readFileSync(part.report, 'utf8')) as unknown,
    })
}
const figures = benchFigures(reports)
const wallSeconds = (performance.now() - started) / 1000
const loadEnd = loadavg()
const cpu = cpus()
const machine = `${String(cpu.length)} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
})()
const date = new Date().toISOString()
const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' ')

console.log(
  `\n# Latent Lab benchmarks, ${date.slice(0, 16).replace('T', ' ')} UTC${commit ? ` (${commit})` : ''}\n`,
)
console.log(markdownTable(figures))
console.log(
  `\n${machine}; load average (1, 5, 15 min) ${load(loadStart)} at the start, ${load(loadEnd)} at the end; ${(wallSeconds / 60).toFixed(1)} min in all (${ran.map((part) => `${part.name} ${(part.seconds / 60).toFixed(1)}`).join(', ')}).`,
)
writeFileSync(
  '.reports/bench.json',
  `${JSON.stringify({ date, commit, machine, loadStart, loadEnd, wallSeconds, dist: BENCH_DIST, parts: ran, figures }, null, 2)}\n`,
)
console.log('wrote .reports/bench.json')
const hasFailed = figures.some((figure) => figure.status === 'not met')
process.exitCode = hasFailed ? 1 : 0
