import { expect, test, type Locator } from '@playwright/test'
import { EditorPage } from './editorPage'
import { LabPage } from './labPage'

test.use({ viewport: { width: 1800, height: 1100 } })

/** Builds the seminar's GAN by hand: palette drags, handle-to-handle wires, inspector edits. */
async function buildGan(editor: EditorPage) {
  const noise = await editor.dragFromPalette('Noise', 40, 40)
  const generator = await editor.dragFromPalette('Generator', 300, 40)
  const mnist = await editor.dragFromPalette('MNIST digits', 40, 420)
  const discriminator = await editor.dragFromPalette('Discriminator', 560, 260)
  const dLoss = await editor.dragFromPalette('GAN loss', 840, 40)
  const gLoss = await editor.dragFromPalette('GAN loss', 840, 480)
  const adamD = await editor.dragFromPalette('Adam', 1100, 40)
  const adamG = await editor.dragFromPalette('Adam', 1100, 480)

  await editor.connect([noise, 'z'], [generator, 'z'])
  await editor.connect([mnist, 'images'], [discriminator, 'x'])
  // The dashed row applies D once more with the same weights: D(fake).
  await editor.connect([generator, 'x'], [discriminator, 'x@1'])
  await editor.connect([discriminator, 'logit'], [dLoss, 'realLogits'])
  await editor.connect([discriminator, 'logit@1'], [dLoss, 'fakeLogits'])
  await editor.connect([discriminator, 'logit@1'], [gLoss, 'fakeLogits'])
  await editor.connect([dLoss, 'loss'], [adamD, 'loss'])
  await editor.connect([gLoss, 'loss'], [adamG, 'loss'])
  await expect(editor.edges).toHaveCount(8)

  await editor.select(gLoss)
  await editor.inspector.getByLabel('term').selectOption('generator')
  await editor.select(adamD)
  await editor.inspector.getByRole('checkbox', { name: discriminator }).check()
  await editor.select(adamG)
  await editor.inspector.getByRole('checkbox', { name: generator }).check()
  return { noise, generator, mnist, discriminator, dLoss, gLoss, adamD, adamG }
}

async function expectNoDiagnostics(editor: EditorPage) {
  await editor.page.keyboard.press('Escape')
  await editor.canvas.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await expect(editor.inspector.getByRole('region', { name: 'Graph totals' })).toContainText(
    'No errors',
  )
  await expect(editor.inspector.getByRole('region', { name: 'Diagnostics' })).toHaveCount(0)
  await expect(editor.canvas.locator('[aria-invalid="true"]')).toHaveCount(0)
}

/** How many pairs of nodes overlap on screen. */
async function overlappingPairs(nodes: Locator): Promise<number> {
  const boxes = await nodes.evaluateAll((elements) =>
    elements.map((element) => element.getBoundingClientRect()),
  )
  let pairs = 0
  for (const [index, a] of boxes.entries()) {
    for (const b of boxes.slice(index + 1)) {
      if (a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom) pairs++
    }
  }
  return pairs
}

test('build a GAN by hand, refuse a bad wire, undo to empty, redo, copy-paste, auto layout', async ({
  page,
}) => {
  const lab = new LabPage(page)
  const editor = new EditorPage(page)
  await lab.goto('?backend=cpu')
  await expect(editor.nodes).toHaveCount(0)

  const ids = await buildGan(editor)
  await expect(editor.nodes).toHaveCount(8)
  await expectNoDiagnostics(editor)
  // Shapes flow along the edges: MNIST images are 28×28×1.
  await expect(editor.canvas.locator(`[data-edge-label]`).first()).toBeVisible()
  await expect(editor.canvas.getByText('[28, 28, 1]').first()).toBeVisible()

  // A loss cannot feed an image input: refused while dragging and when dropped, with the reason.
  await editor.port(ids.dLoss, 'loss').hover()
  await page.mouse.down()
  await editor.port(ids.generator, 'z').hover()
  await editor.port(ids.generator, 'z').hover({ position: { x: 3, y: 3 } })
  await expect(page.getByRole('tooltip')).toContainText('a loss output cannot feed a tensor input')
  await page.mouse.up()
  await expect(page.getByRole('alert')).toContainText('a loss output cannot feed a tensor input')
  await expect(editor.edges).toHaveCount(8)

  // Undo all the way back to the empty canvas, then redo to the full graph.
  const undo = editor.toolbarButton('Undo')
  while (await undo.isEnabled()) await page.keyboard.press('Control+z')
  await expect(editor.nodes).toHaveCount(0)
  await expect(editor.edges).toHaveCount(0)
  const redo = editor.toolbarButton('Redo')
  while (await redo.isEnabled()) await page.keyboard.press('Control+Shift+z')
  await expect(editor.nodes).toHaveCount(8)
  await expect(editor.edges).toHaveCount(8)
  await expectNoDiagnostics(editor)

  // Copy noise + generator (shift-click adds to the selection) and paste: two nodes, one edge.
  await editor.select(ids.noise)
  await editor
    .node(ids.generator)
    .locator('header')
    .click({ modifiers: ['Shift'] })
  await expect(editor.canvas.locator('.react-flow__node.selected')).toHaveCount(2)
  await page.keyboard.press('Control+c')
  await page.keyboard.press('Control+v')
  await expect(editor.nodes).toHaveCount(10)
  await expect(editor.edges).toHaveCount(9)
  await expect(editor.node('noise2')).toBeVisible()
  await expect(editor.node('generator2')).toBeVisible()

  // Auto layout: left to right by data flow, nothing overlapping, one undo step.
  await editor.toolbarButton('Auto layout').click()
  await expect.poll(() => overlappingPairs(editor.nodes), { timeout: 10_000 }).toBe(0)
  const noise = await editor.node(ids.noise).boundingBox()
  const adam = await editor.node(ids.adamD).boundingBox()
  expect(noise?.x ?? Infinity).toBeLessThan(adam?.x ?? -Infinity)
  expect(lab.errors).toEqual([])
})

test('quick add: double-click searches at the cursor; a wire dropped on empty canvas offers what takes it', async ({
  page,
}) => {
  const lab = new LabPage(page)
  const editor = new EditorPage(page)
  await lab.goto('?backend=cpu')
  await editor.canvas.locator('.react-flow__pane').dblclick({ position: { x: 200, y: 200 } })
  const search = page.getByRole('combobox', { name: 'Search nodes to add' })
  await search.fill('gan loss')
  await search.press('Enter')
  await expect(editor.nodes).toHaveCount(1)
  const [loss = ''] = await editor.nodeIds()

  await editor.port(loss, 'loss').hover()
  await page.mouse.down()
  await page.mouse.move(700, 300, { steps: 5 })
  await page.mouse.up()
  const options = page.getByRole('listbox', { name: 'Matching nodes' }).getByRole('option')
  await expect(options.first()).toBeVisible()
  // Only nodes with a loss input are offered.
  await expect(options.filter({ hasText: 'Generator' })).toHaveCount(0)
  await page.getByRole('combobox', { name: 'Search nodes to add' }).fill('adam')
  await page.keyboard.press('Enter')
  await expect(editor.nodes).toHaveCount(2)
  await expect(editor.edges).toHaveCount(1)

  // The inspector edits params with limits: a bad value says why and is not applied.
  await editor.select(loss)
  const weight = editor.inspector.getByLabel('weight', { exact: true })
  await weight.fill('-3')
  await expect(editor.inspector.getByRole('alert')).toContainText('must be at least 0')
  await weight.fill('0.5')
  await expect(
    editor.inspector.getByRole('button', { name: 'Reset weight to default' }),
  ).toBeVisible()
  await weight.blur()
  await page.keyboard.press('?')
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
  expect(lab.errors).toEqual([])
})

test('keyboard: palette entries add nodes, Tab reaches nodes, Enter selects, arrows move, Delete removes', async ({
  page,
}) => {
  const lab = new LabPage(page)
  const editor = new EditorPage(page)
  await lab.goto('?backend=cpu')
  await editor.palette.getByRole('button', { name: 'Noise', exact: true }).press('Enter')
  await editor.palette.getByRole('button', { name: 'Generator', exact: true }).press('Enter')
  await expect(editor.nodes).toHaveCount(2)
  await page.keyboard.press('Escape')

  // Focus the first node as Tab would and select it with the keyboard.
  const node = editor.node('noise1')
  await node.focus()
  await expect(node).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(editor.inspector.getByRole('heading', { name: 'Noise' })).toBeVisible()
  const before = await node.boundingBox()
  await page.keyboard.press('ArrowRight')
  await expect.poll(async () => (await node.boundingBox())?.x).toBeGreaterThan(before?.x ?? 0)
  await page.keyboard.press('Delete')
  await expect(editor.nodes).toHaveCount(1)
  expect(lab.errors).toEqual([])
})
