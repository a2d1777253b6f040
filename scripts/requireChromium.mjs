// First step of `npm test`: stop with one line when there is no browser for the e2e tests.
import { hasChromium, INSTALL_HINT } from './chromium.mjs'

if (!hasChromium()) {
  console.error(INSTALL_HINT)
  process.exit(1)
}
