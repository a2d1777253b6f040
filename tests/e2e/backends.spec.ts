import { expect, test } from '@playwright/test'
import { LabPage } from './labPage'

for (const backend of ['webgpu', 'wasm', 'webgl', 'cpu']) {
  test(`?backend=${backend} trains the self-check model on ${backend}`, async ({ page }) => {
    const lab = new LabPage(page)
    await lab.goto(`?backend=${backend}`)
    const result = await lab.readyBackend()
    expect(result.backend).toBe(backend)
    expect(Number.isFinite(result.firstLoss)).toBe(true)
    expect(Number.isFinite(result.lastLoss)).toBe(true)
    expect(result.lastLoss).toBeLessThan(result.firstLoss)
    await expect(lab.backendSelect).toHaveValue(backend)
    expect(lab.errors).toEqual([])
  })
}

test('WASM loads its threaded SIMD build because the page is cross-origin isolated', async ({
  page,
}) => {
  const lab = new LabPage(page)
  await lab.goto('?backend=wasm')
  await lab.readyBackend()
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  await expect(lab.runDock).toContainText(
    /wasm · SIMD · threaded build · \d+ threads? · cross-origin isolated/,
  )
})

test('an unknown backend in the address is explained and auto is used', async ({ page }) => {
  const lab = new LabPage(page)
  await lab.goto('?backend=tpu')
  await expect(lab.runDock).toContainText('Unknown backend "tpu"')
  await expect(lab.backendSelect).toHaveValue('auto')
  await lab.readyBackend()
})

test('choosing a backend in the run dock restarts the worker on it', async ({ page }) => {
  const lab = new LabPage(page)
  await lab.goto('?backend=wasm')
  expect((await lab.readyBackend()).backend).toBe('wasm')
  await lab.backendSelect.selectOption('cpu')
  await expect(lab.status).toContainText('backend: cpu')
  expect((await lab.readyBackend()).backend).toBe('cpu')
  expect(new URL(page.url()).searchParams.get('backend')).toBe('cpu')
})
