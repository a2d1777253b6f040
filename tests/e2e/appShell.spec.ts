import { expect, test } from '@playwright/test'
import { LabPage } from './labPage'

const TOOLBAR = [
  'Train',
  'Pause',
  'Resume',
  'Step',
  'Stop',
  'Undo',
  'Redo',
  'Auto layout',
  'Save',
  'Share link',
  'Export JSON',
  'Import JSON',
  'Presets',
  'Library',
]

test('the shell loads with its panes, named controls and no console errors', async ({ page }) => {
  const lab = new LabPage(page)
  await lab.goto()
  await expect(page).toHaveTitle('Latent Lab')
  for (const name of ['Palette', 'Inspector']) {
    await expect(page.getByRole('complementary', { name })).toBeVisible()
  }
  await expect(page.getByRole('main', { name: 'Canvas' })).toBeVisible()
  await expect(lab.runDock).toBeVisible()
  await expect(page.getByRole('searchbox', { name: 'Search nodes' })).toBeVisible()
  for (const name of TOOLBAR) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible()
  }
  // Auto mode proves some backend by training on it before the page counts as loaded.
  const { lastLoss, firstLoss } = await lab.readyBackend()
  expect(lastLoss).toBeLessThan(firstLoss)
  expect(lab.errors).toEqual([])
})

test('the layout follows the OS colour scheme', async ({ page }) => {
  const lab = new LabPage(page)
  const background = () =>
    page.evaluate(
      () =>
        getComputedStyle(document.querySelector('#root > div') ?? document.body).backgroundColor,
    )
  await page.emulateMedia({ colorScheme: 'light' })
  await lab.goto()
  const light = await background()
  await page.emulateMedia({ colorScheme: 'dark' })
  const dark = await background()
  expect(light).not.toEqual(dark)
  const luminance = (color: string) =>
    (color.match(/[\d.]+/g) ?? []).slice(0, 3).reduce((sum, channel) => sum + Number(channel), 0)
  expect(luminance(dark)).toBeLessThan(luminance(light))
})

test('the run dock resizes by its top edge, by keys, and keeps its height after a reload', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 })
  const lab = new LabPage(page)
  await lab.goto()
  const edge = page.getByRole('separator', { name: 'Resize run dock' })
  const dockHeight = async () => (await lab.runDock.boundingBox())?.height ?? 0
  expect(await dockHeight()).toBe(288)

  const box = await edge.boundingBox()
  if (box === null) throw new Error('the dock edge is not drawn')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 200, { steps: 5 })
  await page.mouse.up()
  expect(await dockHeight()).toBe(488)
  await expect(edge).toHaveAttribute('aria-valuenow', '488')

  await edge.press('ArrowDown')
  expect(await dockHeight()).toBe(464)
  // The canvas keeps 200 px of the 900 px window however far the edge goes.
  await edge.press('End')
  expect(await dockHeight()).toBe(700)
  await expect(page.getByRole('main', { name: 'Canvas' })).toBeVisible()

  await page.reload()
  await expect(lab.runDock).toBeVisible()
  expect(await dockHeight()).toBe(700)
  await edge.dblclick()
  expect(await dockHeight()).toBe(160)
})

test('the minimap shows on a roomy canvas and steps aside on a small one', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 })
  const lab = new LabPage(page)
  await lab.goto()
  const minimap = page.getByRole('main', { name: 'Canvas' }).getByLabel('Minimap')
  await expect(minimap).toBeVisible()
  await page.setViewportSize({ width: 1000, height: 700 })
  await expect(minimap).toHaveCount(0)
})

test('the node palette folds into a rail, widening the canvas, and stays folded after a reload', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 1000 })
  const lab = new LabPage(page)
  await lab.goto()
  const canvas = page.getByRole('main', { name: 'Canvas' })
  const canvasWidth = async () => (await canvas.boundingBox())?.width ?? 0
  const wide = await canvasWidth()
  await page.getByRole('button', { name: 'Hide the node palette' }).click()
  await expect(page.getByRole('searchbox', { name: 'Search nodes' })).toHaveCount(0)
  // The 240 px palette leaves a 36 px rail.
  await expect.poll(canvasWidth).toBe(wide + 204)

  await page.reload()
  await expect(page.getByRole('button', { name: 'Show the node palette' })).toBeVisible()
  expect(await canvasWidth()).toBe(wide + 204)
  await page.getByRole('button', { name: 'Show the node palette' }).click()
  await expect(page.getByRole('searchbox', { name: 'Search nodes' })).toBeVisible()
  await expect.poll(canvasWidth).toBe(wide)
})
