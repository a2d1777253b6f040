import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs'

// Several engineers may run suites side by side: E2E_PORT and E2E_DIST (a build made with
// `vite build --outDir <dir>`) keep their servers apart. Defaults serve dist/ on 4317.
const port = Number(process.env.E2E_PORT ?? 4317)
const outDir = process.env.E2E_DIST ?? 'dist'

/**
 * End-to-end tests against the built app (`npm run build` first; `npm test` does it), served by
 * `vite preview` with the COOP/COEP headers, in the system Chromium.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  // Software WebGPU compiles shaders on the CPU; two cores are shared by the browser and server.
  timeout: 120_000,
  expect: { timeout: 90_000 },
  workers: 1,
  forbidOnly: true,
  reporter: 'list',
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    // A failed test keeps its trace (DOM snapshots per action) but no screencast: the
    // screencast encodes every frame in the browser, a third of a core on this machine, and
    // halved training speed in the worker. Tests take the screenshots they need themselves.
    trace: { mode: 'retain-on-failure', screenshots: false },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --outDir ${outDir}`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
})
