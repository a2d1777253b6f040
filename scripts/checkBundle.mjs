// After `vite build`: proves TF.js stays out of the main bundle and prints the chunk sizes.
// Reads the reports that tooling/chunkReport.ts writes for the main and the worker build.
import { existsSync, readFileSync } from 'node:fs'

const MAIN_GZIP_BUDGET = 350 * 1024

/**
 * @param {string} label
 * @returns {import('../tooling/chunkReport.ts').ChunkSummary[]}
 */
function readReport(label) {
  const path = `.reports/chunks-${label}.json`
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first.`)
  const chunks = JSON.parse(readFileSync(path, 'utf8'))
  for (const { fileName } of chunks) {
    if (!existsSync(`dist/${fileName}`))
      throw new Error(
        `${path} names dist/${fileName}, which the last build did not write: rebuild.`,
      )
  }
  return chunks
}

const isTf = (/** @type {string} */ name) => name.startsWith('@tensorflow/')
const kB = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} kB`
const problems = []

const main = readReport('main')
const worker = readReport('worker')

console.log('| build | chunk | size | gzip | TF.js |\n| --- | --- | ---: | ---: | --- |')
for (const [label, chunks] of Object.entries({ main, worker })) {
  for (const chunk of chunks) {
    const tf = chunk.packages.filter(isTf)
    console.log(
      `| ${label} | ${chunk.fileName} | ${kB(chunk.bytes)} | ${kB(chunk.gzipBytes)} | ${tf.length > 0 ? 'yes' : 'no'} |`,
    )
    if (label === 'main' && tf.length > 0)
      problems.push(`main-thread chunk ${chunk.fileName} contains ${tf.join(', ')}`)
  }
}

// The budget is what the page loads before it is usable: the entry and everything it imports
// statically. Chunks loaded on demand (ELK for auto layout) are listed but not counted.
const byName = new Map(main.map((chunk) => [chunk.fileName, chunk]))
const initial = new Set()
const visit = (/** @type {string} */ name) => {
  if (initial.has(name)) return
  initial.add(name)
  for (const next of byName.get(name)?.imports ?? []) visit(next)
}
for (const chunk of main) if (chunk.isEntry) visit(chunk.fileName)
const mainGzip = main
  .filter((chunk) => initial.has(chunk.fileName))
  .reduce((sum, chunk) => sum + chunk.gzipBytes, 0)
const lazyGzip = main
  .filter((chunk) => !initial.has(chunk.fileName))
  .reduce((sum, chunk) => sum + chunk.gzipBytes, 0)
if (mainGzip > MAIN_GZIP_BUDGET)
  problems.push(`main bundle is ${kB(mainGzip)} gzip, over the ${kB(MAIN_GZIP_BUDGET)} budget`)
// The detector must see TF.js where it is, or a clean main bundle proves nothing.
if (!worker.some((chunk) => chunk.packages.includes('@tensorflow/tfjs-core')))
  problems.push('no worker chunk contains @tensorflow/tfjs-core: the chunk report cannot see TF.js')

console.log(
  `\nmain bundle: ${kB(mainGzip)} gzip at load (budget ${kB(MAIN_GZIP_BUDGET)}) + ${kB(lazyGzip)} loaded on demand, worker bundle: ${kB(worker.reduce((sum, chunk) => sum + chunk.gzipBytes, 0))} gzip`,
)
if (problems.length > 0) {
  for (const problem of problems) console.error(`bundle check failed: ${problem}`)
  process.exit(1)
}
console.log('bundle check passed: TF.js is only in the worker')
