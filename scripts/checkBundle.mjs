// After `vite build`: proves TF.js stays out of the main bundle and prints the chunk sizes.
// Reads the reports that tooling/chunkReport.ts writes for the main and the worker build.
// `bench/startup.ts` imports `measureBundle` for the benchmark table.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAIN_GZIP_BUDGET = 350 * 1024

/**
 * @typedef {import('../tooling/chunkReport.ts').ChunkSummary} ChunkSummary
 * @typedef {{
 *   main: ChunkSummary[],
 *   worker: ChunkSummary[],
 *   mainGzip: number,
 *   lazyGzip: number,
 *   workerGzip: number,
 *   problems: string[],
 * }} BundleMeasure
 */

/**
 * @param {string} label
 * @param {string} dist
 * @param {string} reportDir
 * @returns {ChunkSummary[]}
 */
function readReport(label, dist, reportDir) {
  const path = `${reportDir}/chunks-${label}.json`
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first.`)
  const chunks = JSON.parse(readFileSync(path, 'utf8'))
  for (const { fileName } of chunks) {
    if (!existsSync(`${dist}/${fileName}`))
      throw new Error(
        `${path} names ${dist}/${fileName}, which the last build did not write: rebuild.`,
      )
  }
  return chunks
}

const isTf = (/** @type {string} */ name) => name.startsWith('@tensorflow/')

/**
 * The gzip sizes of a build: the main bundle at load (the entry and everything it imports
 * statically), the main chunks loaded on demand, the worker bundle; and what breaks the rules.
 * @param {{ dist?: string, reportDir?: string }} [where] the build directory and its chunk reports
 * @returns {BundleMeasure}
 */
export function measureBundle({ dist = 'dist', reportDir = '.reports' } = {}) {
  const main = readReport('main', dist, reportDir)
  const worker = readReport('worker', dist, reportDir)
  const problems = []
  for (const chunk of main) {
    const tf = chunk.packages.filter(isTf)
    if (tf.length > 0)
      problems.push(`main-thread chunk ${chunk.fileName} contains ${tf.join(', ')}`)
  }
  // The budget is what the page loads before it is usable. Chunks loaded on demand (ELK for
  // auto layout) are listed but not counted.
  const byName = new Map(main.map((chunk) => [chunk.fileName, chunk]))
  const initial = new Set()
  const visit = (/** @type {string} */ name) => {
    if (initial.has(name)) return
    initial.add(name)
    for (const next of byName.get(name)?.imports ?? []) visit(next)
  }
  for (const chunk of main) if (chunk.isEntry) visit(chunk.fileName)
  const sum = (/** @type {ChunkSummary[]} */ chunks) =>
    chunks.reduce((total, chunk) => total + chunk.gzipBytes, 0)
  const mainGzip = sum(main.filter((chunk) => initial.has(chunk.fileName)))
  const lazyGzip = sum(main.filter((chunk) => !initial.has(chunk.fileName)))
  if (mainGzip > MAIN_GZIP_BUDGET)
    problems.push(`main bundle is ${kB(mainGzip)} gzip, over the ${kB(MAIN_GZIP_BUDGET)} budget`)
  // The detector must see TF.js where it is, or a clean main bundle proves nothing.
  if (!worker.some((chunk) => chunk.packages.includes('@tensorflow/tfjs-core')))
    problems.push(
      'no worker chunk contains @tensorflow/tfjs-core: the chunk report cannot see TF.js',
    )
  return { main, worker, mainGzip, lazyGzip, workerGzip: sum(worker), problems }
}

function kB(/** @type {number} */ bytes) {
  return `${(bytes / 1024).toFixed(1)} kB`
}

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const bundle = measureBundle()
  console.log('| build | chunk | size | gzip | TF.js |\n| --- | --- | ---: | ---: | --- |')
  for (const [label, chunks] of Object.entries({ main: bundle.main, worker: bundle.worker })) {
    for (const chunk of chunks) {
      console.log(
        `| ${label} | ${chunk.fileName} | ${kB(chunk.bytes)} | ${kB(chunk.gzipBytes)} | ${chunk.packages.some(isTf) ? 'yes' : 'no'} |`,
      )
    }
  }
  console.log(
    `\nmain bundle: ${kB(bundle.mainGzip)} gzip at load (budget ${kB(MAIN_GZIP_BUDGET)}) + ${kB(bundle.lazyGzip)} loaded on demand, worker bundle: ${kB(bundle.workerGzip)} gzip`,
  )
  if (bundle.problems.length > 0) {
    for (const problem of bundle.problems) console.error(`bundle check failed: ${problem}`)
    process.exit(1)
  }
  console.log('bundle check passed: TF.js is only in the worker')
}
