/**
 * Memory over long runs: every seminar-shaped graph trains `STEPS` iterations on the CPU
 * backend; its tensor count and bytes after step 100 must equal those at the end (flat), and
 * disposing the program must return to the count before it was built. Prints a markdown table
 * and exits 1 when anything grows. Run: `npx tsx bench/memory.ts [steps]`.
 */
import * as tf from '@tensorflow/tfjs'
import { compileGraph } from '../graph-core/compiler'
import { SEMINAR_GRAPHS } from '../tests/graphs/seminarGraphs'
import { testRegistry } from '../tests/graphs/syntheticData'

const STEPS = Number(process.argv[2] ?? 500)
await tf.setBackend('cpu')

let isFlat = true
console.log(
  `| graph | tensors @100 | tensors @${STEPS} | MB @100 | MB @${STEPS} | after dispose | s/step |`,
)
console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: |')
for (const [name, build] of Object.entries(SEMINAR_GRAPHS)) {
  const before = tf.memory().numTensors
  const compiled = compileGraph(tf, build(), testRegistry)
  if (!compiled.ok)
    throw new Error(`${name}: ${compiled.diagnostics.map((d) => d.message).join('; ')}`)
  const { program } = compiled
  let at100 = { numTensors: 0, numBytes: 0 }
  const started = performance.now()
  for (let step = 1; step <= STEPS; step++) {
    const result = await program.runIteration()
    if (!result.ok) throw new Error(`${name}: ${result.diagnostic.message}`)
    if (step === Math.min(100, STEPS)) at100 = { ...tf.memory() }
  }
  const atEnd = tf.memory()
  const secondsPerStep = (performance.now() - started) / 1000 / STEPS
  program.dispose()
  const isReleased = tf.memory().numTensors === before
  const isSame = atEnd.numTensors === at100.numTensors && atEnd.numBytes === at100.numBytes
  isFlat &&= isSame && isReleased
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2)
  console.log(
    `| ${name} | ${at100.numTensors} | ${atEnd.numTensors} | ${mb(at100.numBytes)} | ${mb(atEnd.numBytes)} | ${isReleased ? 'all freed' : `${tf.memory().numTensors - before} left`} | ${secondsPerStep.toFixed(3)} |`,
  )
}
console.log(isFlat ? '\nmemory flat for every graph' : '\nMEMORY GREW: see the table')
process.exitCode = isFlat ? 0 : 1
