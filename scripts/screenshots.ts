/**
 * `npm run screenshots`: the README's user-guide pictures, taken of the real built app in the
 * system Chromium, so they can be refreshed whenever the app changes. Each shot opens a preset
 * from the Presets menu, trains it in the browser for a while on WASM (as a user would), and
 * photographs what the guide talks about:
 *
 *   docs/screenshots/editor-dcgan.png     the editor with the DCGAN preset and its explainer
 *   docs/screenshots/gan-2d.png           the GAN on 2-D points: the scatter over D's surface
 *   docs/screenshots/arcface-views.png    ArcFace's verification and embedding map
 *   docs/screenshots/vae-latent.png       the VAE's latent tools
 *
 *   npm run screenshots                         # builds dist/ when it is missing
 *   SHOTS_DIST=dist-x SHOTS_PORT=4399 npx tsx scripts/screenshots.ts arcface-views
 *
 * Training here is short (seconds to a few minutes per shot): the pictures show the app
 * working, not a model at its best quality (that is `npm run bench:quality`).
 */
import { mkdirSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'
import { launchChromium, startPreview } from '../bench/browser'

const DIST = process.env.SHOTS_DIST ?? 'dist'
const PORT = Number(process.env.SHOTS_PORT ?? 4398)
const OUT = 'docs/screenshots'
const VIEWPORT = { width: 1440, height: 1000 }

interface Shot {
  /** The preset's title in the Presets menu. */
  preset: string
  /** Steps to train before the picture (0: none). */
  steps: number
  /** The run dock's height (its top edge dragged up), for shots of the views. */
  dockHeight?: number
  /** What to photograph once trained. */
  take: (page: Page, path: string) => Promise<void>
}

const dock = (page: Page) => page.getByRole('region', { name: 'Run dock' })
const toolbarButton = (page: Page, name: string) =>
  page.getByRole('toolbar').getByRole('button', { name, exact: true })

async function showViews(page: Page): Promise<void> {
  await dock(page).getByRole('tab', { name: 'Views' }).click()
}

/** The Views tab, photographed once the view titled `title` shows an evaluation. */
function viewsShot(title: string): Shot['take'] {
  return async (page, path) => {
    await showViews(page)
    const card = dock(page).getByRole('figure', { name: title })
    await expect(card.getByRole('img').first()).toBeVisible({ timeout: 120_000 })
    await card.scrollIntoViewIfNeeded()
    await page.screenshot({ path })
  }
}

const SHOTS: Record<string, Shot> = {
  'editor-dcgan': {
    preset: 'DCGAN on digits',
    steps: 0,
    dockHeight: 160,
    take: async (page, path) => {
      // The editor itself: the explainer closed so the canvas has room, the generator selected
      // so the inspector shows its parameters, the graph fitted to the canvas.
      await page.getByRole('button', { name: 'Close About this preset' }).click()
      await page.locator('[data-node-id="gen"]').click()
      await page.getByRole('button', { name: 'Fit View' }).click()
      // The worker has proved its backend (the status line says so) and the fit has settled.
      await expect(page.getByRole('status')).toContainText('self-check loss')
      await page.waitForTimeout(500)
      await page.screenshot({ path })
    },
  },
  'gan-2d': {
    preset: 'GAN on 2-D points',
    steps: 3000,
    dockHeight: 500,
    take: viewsShot('Real vs generated'),
  },
  'arcface-views': {
    preset: 'ArcFace',
    steps: 600,
    dockHeight: 500,
    take: viewsShot('Verification'),
  },
  'vae-latent': {
    preset: 'Variational autoencoder',
    steps: 3000,
    dockHeight: 500,
    take: viewsShot('Latent tools'),
  },
}

/** The step the status line reports ("running · step 120 · backend: wasm"). */
async function currentStep(page: Page): Promise<number> {
  const text = (await page.getByRole('status').textContent()) ?? ''
  return Number(/step (\d+)/.exec(text)?.[1] ?? 0)
}

async function takeShot(page: Page, url: string, name: string, shot: Shot): Promise<void> {
  await page.goto(`${url}?backend=wasm`)
  await toolbarButton(page, 'Presets').click()
  const menu = page.getByRole('menu', { name: 'Presets' })
  await menu.getByRole('menuitem', { name: shot.preset, exact: true }).click()
  await expect(menu).toBeHidden()
  // The "opened as a new graph" notice would cover the status line in every picture.
  await page.getByRole('button', { name: 'Dismiss' }).first().click()
  if (shot.steps > 0) {
    await toolbarButton(page, 'Train').click()
    await expect
      .poll(() => currentStep(page), { timeout: 15 * 60_000, intervals: [1000] })
      .toBeGreaterThanOrEqual(shot.steps)
    // A preset whose default steps are fewer has finished by now; a longer one is paused.
    const pause = toolbarButton(page, 'Pause')
    if (await pause.isEnabled()) await pause.click()
    await expect(page.getByRole('status')).toContainText(/^(paused|finished)/)
  }
  const path = `${OUT}/${name}.png`
  await shot.take(page, path)
  console.log(`${path}: ${shot.preset}, ${await currentStep(page)} steps`)
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((name) => !(name in SHOTS))
  if (unknown.length > 0) {
    throw new Error(`no shot named ${unknown.join(', ')}; known: ${Object.keys(SHOTS).join(', ')}`)
  }
  mkdirSync(OUT, { recursive: true })
  const preview = await startPreview(PORT, DIST)
  const browser = await launchChromium()
  try {
    for (const [name, shot] of Object.entries(SHOTS)) {
      if (wanted.length > 0 && !wanted.includes(name)) continue
      // A fresh context per shot: an empty library, no run or graph of the previous shot.
      const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' })
      if (shot.dockHeight !== undefined) {
        await context.addInitScript((height) => {
          window.localStorage.setItem('latent-lab.dockHeight', String(height))
        }, shot.dockHeight)
      }
      try {
        await takeShot(await context.newPage(), preview.url, name, shot)
      } finally {
        await context.close()
      }
    }
  } finally {
    await browser.close()
    preview.stop()
  }
}

await main()
