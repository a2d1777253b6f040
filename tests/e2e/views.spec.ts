import { readFile } from 'node:fs/promises'
import { expect, test, type Locator } from '@playwright/test'
import { FRAGMENT_FORMAT } from '../../app/editor/clipboard'
import type { GraphDocument } from '../../graph-core/document'
import { graph } from '../../graph-core/testing/graphBuilder'
import { PresetsPage } from './presetsPage'
import { gan2dFragment, TrainingPage } from './trainingPage'

test.use({ viewport: { width: 1440, height: 960 } })

/** A fragment of `document`, spread out on a grid so screenshots stay readable. */
function fragmentOf(document: GraphDocument, columns = 4): string {
  document.nodes.forEach((node, index) => {
    node.position = { x: (index % columns) * 260, y: Math.floor(index / columns) * 260 }
  })
  return JSON.stringify({ format: FRAGMENT_FORMAT, nodes: document.nodes, edges: document.edges })
}

/** A small autoencoder on MNIST digits with input/reconstruction pairs. */
function autoencoderWithPairs(): string {
  return fragmentOf(
    graph('autoencoder views', 3)
      .node('data', 'data.mnist', { batchSize: 32 })
      .node(
        'enc',
        'model.encoder',
        { form: 'mlp', hidden: [64], latentDim: 16 },
        { title: 'Encoder' },
      )
      .node(
        'dec',
        'model.decoder',
        { form: 'mlp', hidden: [64], outputShape: [28, 28, 1] },
        { title: 'Decoder' },
      )
      .node('mse', 'loss.mse')
      .node('opt', 'optim.adam', { learningRate: 3e-3 })
      .node('pairs', 'view.reconstruction', { count: 8, samples: 64 }, { title: 'Digit pairs' })
      .edge('data.images', 'enc.x')
      .edge('enc.z', 'dec.z')
      .edge('dec.x', 'mse.prediction')
      .edge('data.images', 'mse.target')
      .edge('mse.loss', 'opt.loss')
      .edge('data.images', 'pairs.original')
      .edge('dec.x', 'pairs.reconstruction')
      .build(),
    3,
  )
}

/** ArcFace on small SynthFaces with an MLP encoder, evaluated on 16 held-out identities. */
function arcFaceWithViews(): string {
  return fragmentOf(
    graph('arcface views', 5)
      .node('data', 'data.synthFaces', {
        size: 16,
        identities: 56,
        photos: 10,
        heldOutIdentities: 16,
        batchSize: 64,
      })
      .node(
        'enc',
        'model.encoder',
        { form: 'mlp', hidden: [64], latentDim: 16 },
        { title: 'Encoder' },
      )
      .node('arc', 'loss.arcFace', { classes: 40, scale: 16, margin: 0.3 })
      .node('opt', 'optim.adam', { learningRate: 3e-3 })
      .node('roc', 'view.verification', { samples: 160 })
      .node('map', 'view.embeddings', { samples: 160 })
      .edge('data.images', 'enc.x')
      .edge('enc.z', 'arc.embeddings')
      .edge('data.labels', 'arc.labels')
      .edge('arc.loss', 'opt.loss')
      .edge('enc.z', 'roc.embeddings')
      .edge('data.labels', 'roc.labels')
      .edge('enc.z', 'map.embeddings')
      .edge('data.labels', 'map.labels')
      .build(),
    3,
  )
}

async function stepOf(figure: Locator): Promise<number> {
  const value = await figure.getAttribute('data-step')
  return value === null || value === '' ? -1 : Number(value)
}

test('the 2-D GAN scatter view appears in the dock and in its node, and moves as G trains', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const lab = new TrainingPage(page)
  await lab.open('wasm')
  await lab.paste(gan2dFragment({ withView: true }))
  await lab.dock.getByRole('tab', { name: 'Views' }).click()
  const card = lab.dock.getByRole('figure', { name: 'GAN points' })
  // Pasting gives nodes fresh ids: find the view node by its type.
  const scatterNode = lab.nodes.and(page.locator('[data-node-type="view.scatter2d"]'))
  await expect(lab.dock).toContainText('Train or step to evaluate the views')
  await lab.button('Train').click()

  const plot = card.getByRole('img', {
    name: /^2-D scatter: 256 real points and 256 generated points over D’s decision surface$/,
  })
  await expect(plot).toBeVisible()
  const thumbnail = scatterNode.getByRole('img', { name: /^2-D scatter: 256 real points/ })
  await expect(thumbnail).toBeVisible()

  const firstStep = await stepOf(card)
  const before = await plot.screenshot()
  // A later evaluation, some steps on: the generated cloud has moved.
  await expect.poll(() => stepOf(card), { timeout: 120_000 }).toBeGreaterThan(firstStep + 40)
  // The canvas is redrawn on an animation frame after the data arrives: poll the picture too.
  await expect.poll(async () => (await plot.screenshot()).equals(before)).toBe(false)
  await expect
    .poll(async () =>
      Number(await scatterNode.locator('[data-view-thumbnail]').getAttribute('data-step')),
    )
    .toBeGreaterThan(firstStep)

  // The card's title shows its node on the canvas, thumbnail and all.
  await card.getByRole('button', { name: 'GAN points' }).click()
  await page.screenshot({ path: test.info().outputPath('gan-views.png') })
  await lab.button('Pause').click()
  await expect(lab.status).toContainText('paused')
  // Paused: one more evaluation at the paused step, then quiet.
  const pausedAt = await lab.step()
  await expect.poll(() => stepOf(card)).toBe(pausedAt)
  await page.screenshot({ path: test.info().outputPath('gan-views-paused.png') })
})

test('an autoencoder shows digit pairs in the dock and its node, and they download as PNG', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const lab = new TrainingPage(page)
  await lab.open('wasm')
  await lab.paste(autoencoderWithPairs())
  await lab.dock.getByRole('tab', { name: 'Views' }).click()
  const card = lab.dock.getByRole('figure', { name: 'Digit pairs' })
  const pairsNode = lab.nodes.and(page.locator('[data-node-type="view.reconstruction"]'))
  await expect(card.getByRole('button', { name: 'Download PNG' })).toHaveCount(0)
  await lab.button('Step').click()
  await expect(lab.status).toContainText(/paused · step 1\b/)

  const pairs = card.getByRole('img', {
    name: /^Reconstructions: 8 pairs, mean squared error 0\.\d+ over 64 held-out samples$/,
  })
  await expect(pairs).toBeVisible()
  await expect(card).toHaveAttribute('data-step', '1')
  await expect(pairsNode.getByRole('img', { name: /^Reconstructions: 8 pairs/ })).toBeVisible()

  const downloading = page.waitForEvent('download')
  await card.getByRole('button', { name: 'Download PNG' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('Digit-pairs-step1.png')
  const bytes = await readFile(await download.path())
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  // 8 pairs of 28×28 in rows of 3 pairs, magnified: wider than the thumbnail ever is.
  expect(bytes.readUInt32BE(16)).toBeGreaterThan(300)
  await card.getByRole('button', { name: 'Digit pairs' }).click()
  await page.screenshot({ path: test.info().outputPath('autoencoder-views.png') })
})

test('metric learning shows verification numbers and an embedding map of held-out faces', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const lab = new TrainingPage(page)
  await lab.open('wasm')
  await lab.paste(arcFaceWithViews())
  await lab.dock.getByRole('tab', { name: 'Views' }).click()
  await lab.button('Train').click()
  await lab.reachStep(30)
  await lab.button('Pause').click()
  await expect(lab.status).toContainText('paused')
  const pausedAt = await lab.step()
  const verification = lab.dock.getByRole('figure', { name: 'Verification (ROC)' })
  await expect(verification).toHaveAttribute('data-step', String(pausedAt))
  await expect(
    verification.getByRole('img', {
      name: /^Verification: AUC 0\.\d{3}, TAR@FAR 10⁻¹ [01]\.\d{3}, TAR@FAR 10⁻² ([01]\.\d{3}|n\/a), best-threshold accuracy 0\.\d{3}, top-1 [01]\.\d{3}, on 160 images of 16 identities$/,
    }),
  ).toBeVisible()
  await expect(
    lab.dock.getByRole('img', {
      name: /^Embedding map \(PCA\): 160 held-out points of 16 identities, axes keep \d+% of the variance$/,
    }),
  ).toBeVisible()
  await expect(
    lab.nodes
      .and(page.locator('[data-node-type="view.verification"]'))
      .getByRole('img', { name: /^Verification: AUC/ }),
  ).toBeVisible()
  await verification.getByRole('button', { name: 'Verification (ROC)' }).click()
  await page.screenshot({ path: test.info().outputPath('metric-views.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: test.info().outputPath('metric-views-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })

  // Stopped, the run keeps its verification numbers; a second, longer run beside it.
  await lab.button('Stop').click()
  await expect(lab.status).toContainText(/^finished · /)
  const maxSteps = lab.dock.getByRole('spinbutton', { name: 'Max steps' })
  await lab.dock.getByRole('tab', { name: 'Live' }).click()
  await maxSteps.fill('80')
  await lab.button('Train').click()
  await expect(lab.status).toContainText(/^finished · step 80 · /)
  await lab.dock.getByRole('tab', { name: 'Views' }).click()
  await expect(verification).toHaveAttribute('data-step', '80')

  await lab.dock.getByRole('tab', { name: 'Runs' }).click()
  const runs = lab.dock.getByRole('table', { name: 'Runs' })
  await runs.getByRole('checkbox', { name: /^Select #1 / }).check()
  await runs.getByRole('checkbox', { name: /^Select #2 / }).check()
  await lab.dock.getByRole('button', { name: 'Compare' }).click()
  const compare = lab.dock.getByRole('table', { name: 'Compare' })
  const auc = compare.getByRole('row', { name: /^AUC / })
  await expect(auc).toHaveText(/^AUC0\.\d{3}0\.\d{3}$/)
  await expect(compare.getByRole('row', { name: /^Top-1 identification / })).toBeVisible()
  await compare.scrollIntoViewIfNeeded()
  await page.screenshot({ path: test.info().outputPath('metric-compare.png') })
})

/** Opens a preset, shows the Views tab and steps `steps` times by hand. */
async function stepPreset(lab: TrainingPage, title: string, steps: number): Promise<void> {
  await new PresetsPage(lab.page).choose(title)
  await lab.dock.getByRole('tab', { name: 'Views' }).click()
  for (let step = 1; step <= steps; step++) {
    await lab.button('Step').click()
    await expect(lab.status).toContainText(new RegExp(`paused · step ${step}\\b`))
  }
}

test('super-resolution rows show the 14×14 input, bicubic, output and target with both PSNRs', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const lab = new TrainingPage(page)
  await lab.open('wasm')
  await stepPreset(lab, 'Super-resolution 14×14 → 28×28', 2)
  const card = lab.dock.getByRole('figure', { name: '14×14 → bicubic, generated, original' })
  await expect(card).toHaveAttribute('data-step', '2')
  await expect(
    card.getByRole('img', {
      name: /^Reconstructions: 6 rows of input, bicubic ×2, output, target, PSNR \d+\.\d\d dB \(bicubic \d+\.\d\d dB\), mean squared error 0\.\d{3} over 256 held-out samples$/,
    }),
  ).toBeVisible()
  await expect(card).toContainText(
    /Rows: input, bicubic ×2, output, target · held-out PSNR: output \d+\.\d\d dB, bicubic \d+\.\d\d dB · MSE 0\.\d{3}/,
  )
  await card.screenshot({ path: test.info().outputPath('super-resolution-rows.png') })
})

test('DCGAN’s filmstrip keeps the same samples at each evaluated step', async ({ page }) => {
  test.setTimeout(180_000)
  const lab = new TrainingPage(page)
  await lab.open('wasm')
  await stepPreset(lab, 'DCGAN on digits', 2)
  const card = lab.dock.getByRole('figure', { name: 'Samples' })
  await expect(card).toHaveAttribute('data-step', '2')
  const filmstrip = card.getByRole('group', { name: 'Filmstrip' })
  // A column per evaluation: steps 1 and 2, and step 0 when the view was asked for at the start.
  const steps = filmstrip.getByRole('list', { name: 'Steps' }).getByRole('listitem')
  await expect(steps.last()).toHaveText('2')
  await expect(steps.nth(-2)).toHaveText('1')
  await expect(
    filmstrip.getByRole('img', {
      name: /^Filmstrip: the first 4 samples at [23] steps, [01] to 2$/,
    }),
  ).toBeVisible()
  const downloading = page.waitForEvent('download')
  await filmstrip.getByRole('button', { name: 'Download filmstrip PNG' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('Samples-filmstrip-step2.png')
  const bytes = await readFile(await download.path())
  expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
  await card.screenshot({ path: test.info().outputPath('dcgan-filmstrip.png') })
})
