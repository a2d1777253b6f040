import type { Plugin } from 'vite'

const BACKEND_MODULE = /@tensorflow[/\\]tfjs-backend-wasm[/\\]dist[/\\]backend_wasm\.js$/
/** tfjs-backend-wasm 4.22 hands the pthreads its factory as source text rebuilt from toString(). */
const FACTORY_AS_TEXT =
  /new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\)/

/**
 * Makes TF.js's threaded WASM backend work after bundling.
 *
 * Each WASM pthread re-creates the Emscripten factory from `wasmFactoryThreadedSimd.toString()`.
 * Once minified, that function refers to variables of the enclosing bundle (its renamed
 * `_scriptDir`), so every pthread dies with "e is not defined". This plugin hands the pthreads
 * the untouched Emscripten script instead, emitted as an asset, and fails the build if the
 * code it patches ever changes shape.
 */
export function tfjsWasmThreads(): Plugin {
  return {
    name: 'latent-lab:tfjs-wasm-threads',
    apply: 'build',
    transform(code, id) {
      if (!BACKEND_MODULE.test(id)) return null
      if (!FACTORY_AS_TEXT.test(code)) {
        this.error(
          `tfjs-backend-wasm changed: ${id} no longer builds its pthread script from toString(); revisit tooling/tfjsWasmThreads.ts`,
        )
      }
      const patched = code.replace(
        FACTORY_AS_TEXT,
        'new URL(__latentLabThreadedSimdScript, self.location.href).href',
      )
      return {
        code: `import __latentLabThreadedSimdScript from '../wasm-out/tfjs-backend-wasm-threaded-simd.js?url';\n${patched}`,
        map: null,
      }
    },
  }
}
