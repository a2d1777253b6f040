// Where the system Chromium is and how to start it here (DESIGN §10). Shared by the test
// command's pre-check and playwright.config.ts; never a downloaded browser.
import { existsSync } from 'node:fs'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const INSTALL_HINT = `Chromium not found at ${chromiumPath}: install it with "apt-get install chromium" (Debian) or set CHROMIUM_PATH to a Chromium binary.`

/** Flags for this closed-network machine, plus software WebGPU/WebGL for headless runs. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
]

export function hasChromium() {
  return existsSync(chromiumPath)
}
