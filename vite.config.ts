import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'
import { chunkReport } from './tooling/chunkReport.ts'
import { mnistAsset } from './tooling/mnistAsset.ts'
import { tfjsWasmThreads } from './tooling/tfjsWasmThreads.ts'

/** WASM threads need SharedArrayBuffer, which needs a cross-origin isolated page. */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

/**
 * Where the chunk reports go: `.reports/` for the usual build, which `npm test` checks; a build
 * into another directory for a benchmark sets `CHUNK_REPORT_DIR` so it does not overwrite them.
 */
const chunkReportDir = process.env.CHUNK_REPORT_DIR ?? '.reports'

export default defineConfig({
  plugins: [react(), tailwindcss(), chunkReport('main', chunkReportDir), mnistAsset()],
  worker: {
    format: 'es',
    plugins: () => [tfjsWasmThreads(), chunkReport('worker', chunkReportDir), mnistAsset()],
  },
  build: {
    target: 'es2022',
    // TF.js lives in the worker chunk and is large by nature; the main chunk is checked by
    // scripts/checkBundle.mjs instead.
    chunkSizeWarningLimit: 4096,
  },
  server: { host: 'localhost', headers: crossOriginIsolation },
  preview: { host: 'localhost', port: 4173, headers: crossOriginIsolation },
  test: {
    include: ['{app,graph-core,nodes,workers,presets,cli,tests,tooling,bench}/**/*.test.{ts,tsx}'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    environment: 'node',
    // Some tests load big modules (ELK, TF.js backends); 5 s was too short on a busy machine.
    testTimeout: 30_000,
  },
})
