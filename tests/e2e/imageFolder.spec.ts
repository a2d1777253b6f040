import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { zipSync } from 'fflate'
import { encodePng } from '../../cli/png'
import { EditorPage } from './editorPage'
import { LabPage } from './labPage'
import { stepInWorker } from './workerStep'

test.use({ viewport: { width: 1800, height: 1100 } })

/**
 * A folder `shapes/` with two labels of 20×12 PNGs (not square: the import centre-crops), RGB
 * for "circle" and grayscale for "square"; one corrupt ".png", a text file and an image outside
 * the label folders, which are skipped and reported.
 */
function writeShapesFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'latent-lab-folder-')), 'shapes')
  const [width, height] = [20, 12]
  for (const label of ['circle', 'square']) mkdirSync(join(root, label), { recursive: true })
  for (let index = 0; index < 6; index++) {
    const circle = new Uint8Array(width * height * 3)
    const square = new Uint8Array(width * height)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = Math.hypot(x - 10, y - 6) < 3 + index * 0.4
        circle.set(inside ? [230, 40 + index * 30, 40] : [20, 20, 60], (y * width + x) * 3)
        square[y * width + x] =
          Math.abs(x - 10) < 2 + index / 2 && Math.abs(y - 6) < 2 + index / 2 ? 240 : 15
      }
    }
    writeFileSync(join(root, 'circle', `c${index}.png`), encodePng(width, height, 3, circle))
    writeFileSync(join(root, 'square', `s${index}.png`), encodePng(width, height, 1, square))
  }
  writeFileSync(join(root, 'square', 'broken.png'), 'this is not a PNG')
  writeFileSync(join(root, 'notes.txt'), 'labels are folder names')
  writeFileSync(join(root, 'loose.png'), encodePng(1, 1, 1, Uint8Array.of(0)))
  return root
}

/** The label folders of `root` zipped inside one wrapping folder, as "Zip" tools make them. */
function zipFolder(root: string): string {
  const entries: Record<string, Uint8Array> = {}
  for (const label of ['circle', 'square']) {
    for (const name of readdirSync(join(root, label)))
      entries[`shapes/${label}/${name}`] = readFileSync(join(root, label, name))
  }
  const path = join(root, '..', 'shapes.zip')
  writeFileSync(path, zipSync(entries))
  return path
}

async function openDatasets(page: Page) {
  await page
    .getByRole('complementary', { name: 'Palette' })
    .getByRole('button', { name: 'Datasets' })
    .click()
  const panel = page.getByRole('dialog', { name: 'Datasets' })
  await expect(panel).toBeVisible()
  return panel
}

test('import a folder of images, see the report and counts, train a step on it', async ({
  page,
}) => {
  const lab = new LabPage(page)
  const editor = new EditorPage(page)
  await lab.goto('?backend=cpu')

  // Import: 16×16 grayscale, through the folder input.
  const panel = await openDatasets(page)
  await expect(panel.getByText('No datasets yet.')).toBeVisible()
  await panel.getByLabel('Dataset name').fill('Shapes')
  await panel.getByLabel('Image size').selectOption('16')
  const folderPath = writeShapesFolder()
  await panel.getByLabel('Import image folder').setInputFiles(folderPath)

  const report = panel.getByRole('region', { name: 'Import report' })
  await expect(report).toContainText('Imported “Shapes”: 12 images in 2 labels (16×16 grayscale,')
  await expect(report).toContainText('Skipped 3 files:')
  const skipped = report.getByRole('list', { name: 'Skipped files' })
  await expect(skipped.getByRole('listitem')).toHaveText([
    'shapes/loose.png: not in a label folder',
    'shapes/notes.txt: not an image file (PNG, JPEG, GIF, BMP, WebP, AVIF)',
    'shapes/square/broken.png: not a readable image',
  ])

  const item = panel.getByRole('listitem', { name: 'Shapes', exact: true })
  const counts = item.getByRole('list', { name: 'Images per label in Shapes' })
  await expect(counts.getByRole('listitem')).toHaveText(['circle: 6', 'square: 6'])
  await expect(item.getByRole('img', { name: /^Preview of Shapes: circle, square/ })).toBeVisible()

  // The same images as a zip, in colour at 28×28: the wrapping folder is not a label.
  await panel.getByLabel('Image size').selectOption('28')
  await panel.getByLabel('Colour').selectOption('RGB')
  await panel.getByLabel('Import zip').setInputFiles(zipFolder(folderPath))
  await expect(report).toContainText('Imported “shapes”: 12 images in 2 labels (28×28 RGB,')
  await expect(report.getByRole('listitem')).toHaveText([
    'shapes/square/broken.png: not a readable image',
  ])
  const list = panel.getByRole('list', { name: 'Imported datasets' })
  await expect(list.getByRole('listitem', { name: 'shapes', exact: true })).toBeVisible()
  await expect(list.getByRole('listitem', { name: 'Shapes', exact: true })).toBeVisible()
  await panel.screenshot({ path: '/tmp/datasets-panel.png' })
  await panel.getByRole('button', { name: 'Delete shapes', exact: true }).click()
  await panel.getByRole('button', { name: 'Yes, delete' }).click()
  await expect(list.getByRole('listitem', { name: 'shapes', exact: true })).toHaveCount(0)

  // Rename, then close.
  await item.getByRole('button', { name: 'Rename Shapes' }).click()
  await panel.getByLabel('New name for Shapes').fill('Shapes 16')
  await panel.getByRole('button', { name: 'Save name' }).click()
  await expect(list.getByRole('listitem', { name: 'Shapes 16', exact: true })).toBeVisible()
  await panel.getByRole('button', { name: 'Close' }).click()
  await expect(panel).toBeHidden()

  // Image folder → encoder → classifier head → softmax CE ← labels; Adam on the loss.
  const folder = await editor.dragFromPalette('Image folder', 40, 40)
  const encoder = await editor.dragFromPalette('Encoder', 330, 40)
  const head = await editor.dragFromPalette('Classifier head', 620, 40)
  const loss = await editor.dragFromPalette('Softmax cross-entropy', 900, 220)
  const adam = await editor.dragFromPalette('Adam', 900, 480)
  await editor.connect([folder, 'images'], [encoder, 'x'])
  await editor.connect([encoder, 'z'], [head, 'x'])
  await editor.connect([head, 'logits'], [loss, 'logits'])
  await editor.connect([folder, 'labels'], [loss, 'labels'])
  await editor.connect([loss, 'loss'], [adam, 'loss'])
  await expect(editor.edges).toHaveCount(5)

  // No dataset picked yet: a diagnostic on the node, not a crash.
  await expect(editor.node(folder).getByRole('img', { name: /problem/ })).toContainText('1')
  await editor.select(folder)
  await editor.inspector
    .getByLabel('dataset', { exact: true })
    .selectOption({ label: 'Shapes 16 (16×16 grayscale · 2 labels, 12 images)' })
  await expect(editor.canvas.getByText('[16, 16, 1]').first()).toBeVisible()
  const preview = editor.node(folder).getByRole('img', { name: /^Preview of Shapes 16/ })
  await expect(preview).toHaveAttribute('data-preview', 'ready')
  await editor.select(head)
  await editor.inspector.getByLabel('classes', { exact: true }).fill('2')
  await editor.page.keyboard.press('Escape')
  await expect(editor.inspector.getByRole('region', { name: 'Graph totals' })).toContainText(
    'No errors',
  )
  await editor.node(folder).screenshot({ path: '/tmp/image-folder-node.png' })

  // The graph as built, through the worker API: the worker reads the dataset from IndexedDB.
  await lab.readyBackend()
  const download = page.waitForEvent('download')
  await editor.toolbarButton('Export JSON').click()
  const graph: unknown = JSON.parse(await readFile(await (await download).path(), 'utf8'))
  const direct = await stepInWorker(page, graph)
  expect(direct).toMatchObject({ opened: true, diagnostics: [], step: { ok: true, step: 1 } })
  // Two labels, untrained: the softmax cross-entropy starts near ln 2.
  expect(direct.step?.losses?.[adam]).toBeGreaterThan(0.3)
  expect(direct.step?.losses?.[adam]).toBeLessThan(1.5)

  // And from the toolbar, as a person would.
  const step = editor.toolbarButton('Step')
  await expect(step).toBeEnabled()
  await step.click()
  await expect(lab.status).toContainText(/step 1\b/)
  expect(lab.errors).toEqual([])
})

test('every dataset node shows a preview strip', async ({ page }) => {
  const lab = new LabPage(page)
  const editor = new EditorPage(page)
  await lab.goto('?backend=cpu')
  const mnist = await editor.dragFromPalette('MNIST digits', 60, 40)
  const faces = await editor.dragFromPalette('SynthFaces', 360, 40)
  const toy = await editor.dragFromPalette('Toy 2-D', 660, 40)
  const folder = await editor.dragFromPalette('Image folder', 960, 40)
  await expect(
    editor
      .node(mnist)
      .getByRole('img', { name: 'Preview of MNIST digits: 0, 1, 2, 3, 4, 5, 6, 7' }),
  ).toHaveAttribute('data-preview', 'ready')
  await expect(
    editor.node(faces).getByRole('img', { name: /^Preview of SynthFaces: id 0, id 0, id 1/ }),
  ).toHaveAttribute('data-preview', 'ready')
  await expect(
    editor.node(toy).getByRole('img', { name: 'Preview of Toy 2-D points: ring · 8 modes' }),
  ).toHaveAttribute('data-preview', 'ready')
  await expect(editor.node(folder)).toContainText('Pick a dataset in the inspector.')

  // A param change redraws: the moons instead of the ring.
  await editor.select(toy)
  await editor.inspector.getByLabel('distribution', { exact: true }).selectOption('moons')
  await expect(
    editor.node(toy).getByRole('img', { name: 'Preview of Toy 2-D points: two moons · 2 modes' }),
  ).toBeVisible()
  await editor.select(faces)
  await editor.inspector.getByLabel('channels', { exact: true }).selectOption('3')
  await page.keyboard.press('Escape')
  await editor.canvas.screenshot({ path: '/tmp/dataset-previews.png' })
  expect(lab.errors).toEqual([])
})
