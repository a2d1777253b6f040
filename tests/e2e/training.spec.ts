import { expect, test } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { divergingFragment, TrainingPage } from './trainingPage'

test.use({ viewport: { width: 1600, height: 1000 } })

const D_LOSS = 'D loss → Adam D'
const G_LOSS = 'G loss → Adam G'

/** Steps a backend must reach: software WebGPU runs a few steps a second, WASM hundreds. */
const TARGET_STEPS: Record<string, number> = { webgpu: 15, wasm: 150 }

for (const backend of ['webgpu', 'wasm']) {
  test(`the GAN on 2-D points trains with ?backend=${backend}, its charts growing`, async ({
    page,
  }, testInfo) => {
    const run = new TrainingPage(page)
    await run.open(backend)
    await run.pasteGan()
    await expect(run.button('Pause')).toBeDisabled()
    await run.button('Train').click()
    await expect(run.status).toContainText(/^running · step \d+ · backend: /)
    await expect(run.button('Train')).toBeDisabled()
    await expect(run.button('Pause')).toBeEnabled()
    const dLoss = run.chart(D_LOSS)
    await expect(dLoss).toBeVisible()
    await expect(run.chart(G_LOSS)).toBeVisible()
    await expect(run.chart('D(real) / D(fake) · D loss')).toBeVisible()

    const target = TARGET_STEPS[backend] ?? 10
    await run.reachStep(Math.floor(target / 3))
    const early = await run.points(dLoss)
    const started = { step: await run.step(), time: Date.now() }
    await run.reachStep(target)
    await expect.poll(() => run.points(dLoss)).toBeGreaterThan(early)
    const ended = { step: await run.step(), time: Date.now() }
    const rate = ((ended.step - started.step) * 1000) / (ended.time - started.time)
    await expect(page).toHaveTitle(/^▶ [\d,]+ · Latent Lab$/)
    await expect(run.dock).toContainText(/\d+ tensors · [\d.]+ (B|kB|MB)/)
    await page.screenshot({ path: `/tmp/training-${backend}.png` })
    testInfo.annotations.push({
      type: 'steps per second',
      description: `${backend}: ${rate.toFixed(1)} steps/s (GAN on 2-D points, batch 16, MLP 8)`,
    })

    await run.button('Stop').click()
    await expect(run.status).toContainText(/^finished · step \d+ · backend: /)
    await expect(page).toHaveTitle('Latent Lab')
    expect(run.lab.errors).toEqual([])
  })
}

test('pause, step, step D only (the step stays, D’s loss moves), resume', async ({ page }) => {
  const run = new TrainingPage(page)
  await run.open('wasm')
  await run.pasteGan()
  await run.button('Train').click()
  await run.reachStep(30)
  await run.button('Pause').click()
  await expect(run.status).toContainText(/^paused · step \d+/)
  await expect(run.button('Resume')).toBeEnabled()
  await expect(run.button('Pause')).toBeDisabled()
  await expect(page).toHaveTitle(/^⏸ [\d,]+ · Latent Lab$/)
  const paused = await run.step()

  await run.button('Step').click()
  await expect(run.status).toContainText(`paused · step ${paused + 1} ·`)

  const dLoss = run.chart(D_LOSS)
  const gLoss = run.chart(G_LOSS)
  const points = await run.settledPoints(dLoss)
  const before = { d: await run.latest(dLoss), g: await run.latest(gLoss), points }
  await run.button('Step only…').click()
  const menu = page.getByRole('menu', { name: 'Step only…' })
  await expect(menu.getByRole('menuitem')).toHaveCount(2)
  await menu.getByRole('menuitem', { name: 'Adam D · D loss' }).click()
  await expect.poll(() => run.points(dLoss)).toBe(before.points + 1)
  await expect.poll(() => run.latest(dLoss)).not.toBe(before.d)
  expect(await run.latest(gLoss)).toBe(before.g)
  expect(await run.step()).toBe(paused + 1)
  await expect(run.status).toContainText(`paused · step ${paused + 1} ·`)

  await run.button('Resume').click()
  await expect(run.status).toContainText(/^running · /)
  await run.reachStep(paused + 20)
  await run.button('Stop').click()
  await expect(run.status).toContainText(/^finished · /)
  expect(run.lab.errors).toEqual([])
})

test('a reload in the middle of a run, then Resume, continues from the checkpointed step', async ({
  page,
}) => {
  const run = new TrainingPage(page)
  await run.open('wasm')
  await run.pasteGan()
  await run.dock.getByLabel('Checkpoint every').fill('20')
  await run.button('Train').click()
  // A checkpoint every 20 steps; wait for the second one to be sure one is stored.
  await expect(run.dock).toContainText(/checkpoint at step ([4-9]\d|\d{3,})/)
  expect((await run.state()).state).toBe('running')
  await page.reload()
  expect((await run.lab.readyBackend()).backend).toBe('wasm')

  // The canvas may come back empty (then the dock offers the run's own graph) or with the
  // graph (a library that reopens the last one): either way the run is offered.
  if ((await run.nodes.count()) === 0) await run.pasteGan()
  const offer = run.dock.getByRole('button', { name: /resume (run )?from step [\d,]+$/i })
  await expect(offer).toBeVisible()
  const checkpointed = Number(
    /step ([\d,]+)$/.exec((await offer.textContent()) ?? '')?.[1]?.replaceAll(',', ''),
  )
  expect(checkpointed).toBeGreaterThanOrEqual(40)
  expect(checkpointed % 20).toBe(0)
  await expect(offer).toHaveText(`Resume run from step ${checkpointed.toLocaleString('en-US')}`)

  await offer.click()
  await expect(run.status).toContainText(/^running · /)
  const first = await run.step()
  expect(first).toBeGreaterThanOrEqual(checkpointed)
  await run.reachStep(checkpointed + 30)
  await run.button('Pause').click()
  await expect(run.status).toContainText(/^paused · /)
  // The curve before the reload came back from IndexedDB: every step is on the chart.
  const stepNow = await run.step()
  await expect.poll(() => run.points(run.chart(D_LOSS))).toBe(stepNow)

  // One run in the history: resuming continued it, it did not start another.
  await run.dock.getByRole('tab', { name: 'Runs' }).click()
  const rows = run.dock.getByRole('table', { name: 'Runs' }).getByRole('row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(1)).toContainText('paused')

  // A stopped run continues from the Runs list, from its latest checkpoint (the pause).
  await run.button('Stop').click()
  await expect(run.status).toContainText(/^finished · /)
  const resume = run.dock.getByRole('button', { name: 'Resume', exact: true })
  await expect(resume).toBeDisabled()
  await rows.nth(1).getByRole('checkbox').check()
  await resume.click()
  await expect(run.status).toContainText(/^running · /)
  expect(await run.step()).toBeGreaterThanOrEqual(stepNow)
  await run.reachStep(stepNow + 20)
  await run.button('Stop').click()
  await expect(rows).toHaveCount(2)
  expect(run.lab.errors).toEqual([])
})

test('runs are kept: compare two (only what differs), export metrics and weights, delete', async ({
  page,
}) => {
  const run = new TrainingPage(page)
  await run.open('wasm')
  await run.pasteGan()
  const maxSteps = run.dock.getByRole('spinbutton', { name: 'Max steps' })
  await maxSteps.fill('40')
  await run.button('Train').click()
  await expect(run.status).toContainText(/^finished · step 40 · /)
  await maxSteps.fill('60')
  await run.button('Train').click()
  await expect(run.status).toContainText(/^finished · step 60 · /)

  const download = page.waitForEvent('download')
  await run.dock.getByRole('button', { name: 'Metrics CSV' }).click()
  const csv = await readFile(await (await download).path(), 'utf8')
  expect(csv.split('\n')[0]).toMatch(/^step,time_ms,loss\/adam1,/)
  expect(csv.trim().split('\n')).toHaveLength(61)

  const downloads: string[] = []
  page.on('download', (event) => downloads.push(event.suggestedFilename()))
  await run.dock.getByRole('button', { name: 'Export weights' }).click()
  await expect.poll(() => downloads.length).toBe(4)
  expect(downloads.sort()).toEqual([
    'discriminator1.model.json',
    'discriminator1.weights.bin',
    'generator1.model.json',
    'generator1.weights.bin',
  ])

  await run.dock.getByRole('tab', { name: 'Runs' }).click()
  const table = run.dock.getByRole('table', { name: 'Runs' })
  await expect(table.getByRole('row')).toHaveCount(3)
  await table.getByRole('checkbox', { name: /^Select #1 / }).check()
  await table.getByRole('checkbox', { name: /^Select #2 / }).check()
  await run.dock.getByRole('button', { name: 'Compare' }).click()
  const comparison = run.dock.getByRole('region', { name: 'Run comparison' })
  await expect(
    comparison.getByRole('figure', { name: 'Adam D loss of the compared runs' }),
  ).toBeVisible()
  const differs = comparison.getByRole('table', { name: 'What differs' })
  await expect(differs.getByRole('row')).toHaveCount(2)
  await expect(differs).toContainText('maxSteps')
  await expect(comparison.getByRole('table', { name: 'Final metrics' })).toContainText('60')
  await page.screenshot({ path: '/tmp/training-compare.png' })

  await table.getByRole('checkbox', { name: /^Select #2 / }).uncheck()
  await run.dock.getByRole('button', { name: 'Delete' }).click()
  await expect(table.getByRole('row')).toHaveCount(2)
  expect(run.lab.errors).toEqual([])
})

test('a NaN stops the run naming the loss; compile errors point at their nodes', async ({
  page,
}) => {
  const run = new TrainingPage(page)
  await run.open('wasm')
  await run.paste(divergingFragment())
  await run.button('Train').click()
  await expect(run.status).toContainText(/^failed · step \d+ · backend: wasm/)
  const failure = run.dock.getByRole('alert')
  await expect(failure).toContainText(
    /MSE loss became (NaN|-?Infinity) at step \d+; training stopped/,
  )
  await page.keyboard.press('Escape')
  await failure.getByRole('button', { name: 'Show mse1' }).click()
  await expect(run.node('mse1')).toHaveClass(/selected/)
  await expect(run.button('Train')).toBeEnabled()
  await expect(page).toHaveTitle(/^✕ \d+ · Latent Lab$/)

  // A second copy with the loss's target unplugged: the worker refuses to compile the graph.
  const broken = JSON.parse(divergingFragment()) as {
    nodes: unknown[]
    edges: { to: { port: string } }[]
  }
  broken.edges = broken.edges.filter((edge) => edge.to.port !== 'target')
  await run.paste(JSON.stringify(broken))
  await run.button('Train').click()
  await expect(run.status).toContainText(/^failed · step 0 · /)
  await expect(run.dock.getByRole('alert')).toContainText('The graph did not compile')
  const problems = run.dock.getByRole('region', { name: 'Compile diagnostics' })
  await page.keyboard.press('Escape')
  await problems.getByRole('button', { name: /^mse2\.target: / }).click()
  await expect(run.node('mse2')).toHaveClass(/selected/)
  expect(run.lab.errors).toEqual([])
})
