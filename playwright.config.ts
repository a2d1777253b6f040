import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs'

const port = 4317

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
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
})
