import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** What one output chunk holds; written by the build, read by scripts/checkBundle.mjs. */
export interface ChunkSummary {
  fileName: string
  isEntry: boolean
  /** Chunks this one imports statically: they load with it. */
  imports: string[]
  bytes: number
  gzipBytes: number
  /** npm packages with at least one module in the chunk, e.g. `@tensorflow/tfjs-core`. */
  packages: string[]
}

/** `…/node_modules/@scope/name/dist/x.js` → `@scope/name`; project files give undefined. */
export function packageOf(moduleId: string): string | undefined {
  const path = moduleId.replaceAll('\\', '/')
  const at = path.lastIndexOf('/node_modules/')
  if (at < 0) return undefined
  const [first, second] = path.slice(at + '/node_modules/'.length).split('/')
  if (first === undefined) return undefined
  return first.startsWith('@') && second !== undefined ? `${first}/${second}` : first
}

/**
 * Writes `<reportDir>/chunks-<label>.json` listing every chunk of a build with its size and the
 * packages inside it, so a script can prove that TF.js stays out of the main bundle.
 */
export function chunkReport(label: string, reportDir = '.reports'): Plugin {
  return {
    name: 'latent-lab:chunk-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: ChunkSummary[] = []
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue
        const packages = new Set<string>()
        for (const id of output.moduleIds) {
          const name = packageOf(id)
          if (name !== undefined) packages.add(name)
        }
        chunks.push({
          fileName: output.fileName,
          isEntry: output.isEntry,
          imports: [...output.imports],
          bytes: Buffer.byteLength(output.code),
          gzipBytes: gzipSync(output.code).byteLength,
          packages: [...packages].sort(),
        })
      }
      mkdirSync(reportDir, { recursive: true })
      writeFileSync(join(reportDir, `chunks-${label}.json`), JSON.stringify(chunks, null, 2))
    },
  }
}
