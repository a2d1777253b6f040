/**
 * What the browser benchmarks share: the built app served by `vite preview` (with the COOP/COEP
 * headers of vite.config.ts, so WASM gets its threads) and the system Chromium with the flags
 * of scripts/chromium.mjs (software WebGPU and WebGL).
 *
 * `BENCH_DIST` names the build to serve (default `dist`, built when missing; any other directory
 * must exist: `CHUNK_REPORT_DIR=.reports/dist-bench npx vite build --outDir dist-bench`), and
 * `BENCH_PORT` moves the server off a script's default port.
 */
import { execSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromium, type Browser } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'

export const BENCH_DIST = process.env.BENCH_DIST ?? 'dist'

/** Where a build's chunk reports are: `.reports` for `dist`, else `.reports/<dist>`. */
export function chunkReportDir(dist = BENCH_DIST): string {
  return dist === 'dist' ? '.reports' : `.reports/${dist}`
}

/** Builds `dist` when it is missing; another directory must have been built already. */
export function ensureBuild(dist = BENCH_DIST): void {
  if (existsSync(`${dist}/index.html`)) return
  if (dist !== 'dist') throw new Error(`${dist}/index.html is missing: build it first`)
  execSync('npx vite build', { stdio: 'inherit' })
}

export interface Preview {
  /** The app's address, ending in `/`. */
  url: string
  stop: () => void
}

/** Serves the build with `vite preview` and resolves when it answers. */
export async function startPreview(defaultPort: number, dist = BENCH_DIST): Promise<Preview> {
  ensureBuild(dist)
  const port = Number(process.env.BENCH_PORT ?? defaultPort)
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', dist, '--port', String(port), '--strictPort'],
    { stdio: 'ignore', detached: true },
  )
  const stop = () => {
    // The whole process group: npx and the vite it started.
    if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid)
  }
  const url = `http://localhost:${String(port)}/`
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      if ((await fetch(url)).ok) return { url, stop }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  stop()
  throw new Error(`vite preview did not start on port ${String(port)}`)
}

/** The system Chromium, headless, with software WebGPU and WebGL. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
}

/**
 * tsx keeps function names through a `__name` helper that code sent to the page does not have;
 * pass this to `page.addInitScript` before `page.evaluate` of a function with inner functions.
 */
export const PAGE_NAME_SHIM = 'window.__name = (fn) => fn'
