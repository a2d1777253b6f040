import { expect, test, type Locator } from '@playwright/test'
import { EditorPage } from './editorPage'
import { LibraryPage } from './libraryPage'
import { PresetsPage, readPreset } from './presetsPage'
import { TrainingPage } from './trainingPage'

test.use({ viewport: { width: 1440, height: 900 } })

/** Every node lies inside the canvas: the view was fitted to the graph. */
async function expectAllInView(canvas: Locator, nodes: Locator): Promise<void> {
  await expect(nodes.first()).toBeVisible()
  // The fit waits until React Flow has measured the new nodes.
  await expect(async () => {
    const frame = await canvas.boundingBox()
    if (frame === null) throw new Error('the canvas is not on screen')
    const boxes = await nodes.evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect),
    )
    for (const box of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(frame.x - 1)
      expect(box.top).toBeGreaterThanOrEqual(frame.y - 1)
      expect(box.right).toBeLessThanOrEqual(frame.x + frame.width + 1)
      expect(box.bottom).toBeLessThanOrEqual(frame.y + frame.height + 1)
    }
  }).toPass({ timeout: 10_000 })
}

test('a preset opens as a new graph with its explainer; knobs point at their fields; the GAN trains', async ({
  page,
}) => {
  const run = new TrainingPage(page)
  const editor = new EditorPage(page)
  const library = new LibraryPage(page)
  const presets = new PresetsPage(page)
  const invalid = editor.canvas.locator('[aria-invalid="true"]')
  await run.open('wasm')

  // A graph of the user's own, saved in the library before any preset opens.
  await run.pasteGan()
  await library.expectSaveState('saved')
  const mine = (await library.currentGraph.locator('span').first().textContent()) ?? ''
  expect(mine).not.toBe('')

  // The menu: three families in the seminar's order, fourteen presets, each with a line.
  await presets.openMenu()
  const groups = presets.menu.getByRole('group')
  await expect(groups).toHaveCount(3)
  await expect(presets.menu.getByRole('group', { name: 'Metric learning' })).toBeVisible()
  await expect(
    presets.menu.getByRole('group', { name: 'Metric learning' }).getByRole('menuitem'),
  ).toHaveCount(6)
  await expect(
    presets.menu.getByRole('group', { name: 'Autoencoders' }).getByRole('menuitem'),
  ).toHaveCount(3)
  await expect(presets.menu.getByRole('group', { name: 'GANs' }).getByRole('menuitem')).toHaveCount(
    5,
  )
  await expect(
    presets.menu.getByRole('menuitem', { name: 'ArcFace', exact: true }),
  ).toHaveAccessibleDescription(/angular margin/)
  await page.screenshot({ path: '/tmp/presets-menu-light.png' })
  await page.keyboard.press('Escape')
  await expect(presets.menu).toBeHidden()
  await expect(presets.aboutButton).toHaveCount(0)

  // ArcFace opens as a new graph, fitted, with no diagnostic; the user's graph stays.
  const arcface = readPreset('arcface')
  await presets.choose('ArcFace')
  await expect(run.nodes).toHaveCount(arcface.nodes.length)
  await expect(library.currentGraph).toContainText('ArcFace')
  await library.expectSaveState('saved')
  await expect(invalid).toHaveCount(0)
  await expect(library.notifications).toContainText(
    'Opened “ArcFace” as a new graph in the library.',
  )
  await expectAllInView(editor.canvas, run.nodes)
  await expect(run.button('Undo')).toBeDisabled()

  // The explainer's sections, as text.
  for (const heading of [
    'The model',
    'The seminar’s point',
    'What to look at',
    'Knobs to try',
    'Training',
    'Quality target',
  ]) {
    await expect(presets.panel.getByRole('heading', { name: heading, exact: true })).toBeVisible()
  }
  await expect(presets.panel).toContainText(arcface.meta.explainer.model)
  const { steps, backend } = arcface.meta.explainer.training
  await expect(presets.panel).toContainText(
    `${steps.toLocaleString('en-US')} steps on ${backend.toUpperCase()}`,
  )
  await expect(presets.panel).toContainText('The run dock is set to these.')
  await expect(run.dock.getByLabel('Max steps')).toHaveValue(String(steps))
  await expect(presets.panel.getByRole('list', { name: 'Targets' })).toContainText(
    'held-out verification AUC',
  )
  await expect(presets.panel.getByRole('heading', { name: 'How it is measured' })).toBeVisible()
  await expect(presets.aboutButton).toHaveAttribute('aria-pressed', 'true')
  await page.screenshot({ path: '/tmp/presets-arcface-light.png' })

  // A knob selects its node on the canvas and focuses its field in the inspector.
  expect(arcface.meta.explainer.knobs[0]).toEqual({
    node: 'loss',
    param: 'margin',
    hint: expect.any(String),
  })
  await presets.knob('margin m on ArcFace loss').click()
  await expect(editor.node('loss')).toHaveClass(/\bselected\b/)
  await expect(editor.inspector.getByRole('heading', { name: 'ArcFace loss' })).toBeVisible()
  const margin = editor.inspector.getByLabel('margin m', { exact: true })
  await expect(margin).toBeFocused()
  // Typing goes into the field, and the knob shows the new value.
  await margin.fill('0.3')
  await expect(presets.knob('margin m on ArcFace loss')).toContainText('0.3')
  await page.screenshot({ path: '/tmp/presets-knob-light.png' })
  // Another knob on another node moves the focus there.
  await presets.knob('channels on Face encoder').click()
  await expect(editor.node('encoder')).toHaveClass(/\bselected\b/)
  await expect(editor.inspector.getByLabel('channels', { exact: true })).toBeFocused()

  // Closed, and reopened from the toolbar.
  await presets.panel.getByRole('button', { name: 'Close About this preset' }).click()
  await expect(presets.panel).toBeHidden()
  await expect(presets.aboutButton).toHaveAttribute('aria-pressed', 'false')
  await presets.aboutButton.click()
  await expect(presets.panel).toBeVisible()

  // Both graphs are in the library.
  const names = await library.graphNames()
  expect(names).toContain('ArcFace')
  expect(names).toContain(mine)
  await library.toolbarButton('Library').click()
  await expect(library.panel).toBeHidden()

  // The GAN on 2-D points opens the same way and trains a few steps on WASM.
  const gan = readPreset('gan-2d')
  await presets.choose('GAN on 2-D points')
  await expect(run.nodes).toHaveCount(gan.nodes.length)
  await expect(invalid).toHaveCount(0)
  await expectAllInView(editor.canvas, run.nodes)
  await expect(run.dock.getByLabel('Max steps')).toHaveValue(
    String(gan.meta.explainer.training.steps),
  )
  expect((await run.lab.readyBackend()).backend).toBe('wasm')
  await run.button('Train').click()
  await expect(run.status).toContainText(/^running · step \d+ · backend: wasm/)
  await run.reachStep(5)
  await run.button('Stop').click()
  await expect(run.status).toContainText(/^finished · step \d+ · backend: wasm/)
  expect(await library.graphNames()).toEqual(
    expect.arrayContaining(['GAN on 2-D points', 'ArcFace', mine]),
  )
  await library.toolbarButton('Library').click()
  await page.screenshot({ path: '/tmp/presets-gan-light.png' })

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: '/tmp/presets-gan-dark.png' })
  await presets.openMenu()
  await page.screenshot({ path: '/tmp/presets-menu-dark.png' })
  await page.keyboard.press('Escape')
  expect(run.lab.errors).toEqual([])
})

test('the ArcFace preset (a convolutional encoder) trains on WASM in the worker and shows its views', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const run = new TrainingPage(page)
  const presets = new PresetsPage(page)
  await run.open('wasm')
  await presets.choose('ArcFace')
  await expect(run.nodes).toHaveCount(readPreset('arcface').nodes.length)
  // WASM has no filter-gradient kernel for convolutions: the worker registers its own.
  await run.button('Step').click()
  await expect(run.status).toContainText(/^paused · step 1 · backend: wasm/, { timeout: 180_000 })
  await run.dock.getByRole('tab', { name: 'Views' }).click()
  await expect(run.dock.getByRole('img', { name: /^Verification: AUC 0\.\d+/ })).toBeVisible({
    timeout: 120_000,
  })
  expect(run.lab.errors).toEqual([])
})

test('the VAE’s latent tools decode faces: pick a face, slide the smile strength; the denoiser has a noise slider', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const run = new TrainingPage(page)
  const presets = new PresetsPage(page)
  await run.open('wasm')
  await presets.choose('Variational autoencoder')
  await run.dock.getByRole('tab', { name: 'Views' }).click()
  await run.button('Step').click()
  await expect(run.status).toContainText(/paused · step 1\b/)

  const tools = run.dock.getByRole('figure', { name: 'Latent tools' })
  await expect(
    tools.getByRole('group', {
      name: /decoded by decoder: 8 prior samples, 12 held-out faces to pick from, an interpolation of 8 images from face 1 to face 2, face 1 with the attribute vector at 9 strengths$/,
    }),
  ).toBeVisible()
  await expect(tools.getByRole('img', { name: /^Prior samples decoded · 8 draws/ })).toBeVisible()

  // Picks go to the worker at once: face 3 as the smile face, face 5 as the path's end.
  await tools.getByRole('radio', { name: 'Smile face (S)' }).check()
  await tools.getByRole('button', { name: /^Face 3\b/ }).click()
  await tools.getByRole('radio', { name: 'End (B)' }).check()
  await tools.getByRole('button', { name: /^Face 5\b/ }).click()
  await expect(tools.getByRole('img', { name: /face 1 \(A\) → face 5 \(B\)$/ })).toBeVisible()
  const picture = (strength: string) =>
    tools.getByRole('img', { name: `Face 3 with smile strength ${strength}`, exact: true })
  await expect(picture('0')).toBeVisible()
  const neutral = await picture('0').screenshot()
  const slider = tools.getByRole('slider', { name: 'Smile strength' })
  await slider.focus()
  for (let press = 0; press < 4; press++) await page.keyboard.press('ArrowRight')
  await expect(picture('+2')).toBeVisible()
  expect((await picture('+2').screenshot()).equals(neutral)).toBe(false)
  await tools.screenshot({ path: test.info().outputPath('vae-latent-tools.png') })
  const downloading = page.waitForEvent('download')
  await tools.getByRole('button', { name: 'Download PNG' }).click()
  expect((await downloading).suggestedFilename()).toBe('Latent-tools-step1.png')

  await run.button('Stop').click()
  await expect(run.status).toContainText(/^finished/)
  await presets.choose('Denoising autoencoder')
  await run.button('Step').click()
  await expect(run.status).toContainText(/paused · step 1\b/)
  const denoised = run.dock.getByRole('figure', { name: 'Denoised' })
  await expect(
    denoised.getByRole('group', {
      name: /^Denoising at noise σ = 0\.1: PSNR of the noisy input \d+\.\d dB, of the output \d+\.\d dB$/,
    }),
  ).toBeVisible()
  await denoised.getByRole('slider', { name: 'Noise σ' }).fill('6')
  await expect(
    denoised.getByRole('group', { name: /^Denoising at noise σ = 0\.6: / }),
  ).toBeVisible()
  await expect(
    run.dock.getByRole('figure', { name: 'Noisy input' }).getByRole('slider'),
  ).toHaveCount(0)
  await denoised.screenshot({ path: test.info().outputPath('dae-noise-levels.png') })
  expect(run.lab.errors).toEqual([])
})
