import { expect, test, type Page } from '@playwright/test'
import { EditorPage } from './editorPage'
import { LabPage } from './labPage'
import { LibraryPage } from './libraryPage'

test.use({ viewport: { width: 1600, height: 1000 } })

/** Noise → Generator with one param changed: a small graph made by hand. */
async function buildGraph(editor: EditorPage) {
  const noise = await editor.dragFromPalette('Noise', 80, 80)
  const generator = await editor.dragFromPalette('Generator', 420, 80)
  await editor.connect([noise, 'z'], [generator, 'z'])
  await expect(editor.edges).toHaveCount(1)
  await editor.select(noise)
  await editor.inspector.getByLabel('dimensions', { exact: true }).fill('16')
  await editor.inspector.getByLabel('dimensions', { exact: true }).blur()
  return { noise, generator }
}

/** A graph file's text, written as another tool (or a hand) might. */
function graphFile(name: string, nodes: Record<string, unknown>[] = [noiseNode()]): string {
  return JSON.stringify(
    {
      format: 'latent-lab.graph',
      schemaVersion: 1,
      name,
      seed: 1,
      nodes,
      edges: [],
      meta: {},
    },
    null,
    2,
  )
}

function noiseNode(extra: Record<string, unknown> = {}) {
  return {
    id: 'noise1',
    type: 'data.noise',
    typeVersion: 1,
    position: { x: 40, y: 40 },
    params: {},
    ...extra,
  }
}

async function open(page: Page) {
  const lab = new LabPage(page)
  const editor = new EditorPage(page)
  const library = new LibraryPage(page)
  await lab.goto('?backend=cpu')
  // Saved or new: the workspace has opened the last graph (or none).
  await expect(library.currentGraph).toHaveAttribute('data-save-state', /new|saved|off/)
  return { lab, editor, library }
}

test('a graph built by hand is saved, and after a reload reopens from the Library identical', async ({
  page,
}) => {
  const { lab, editor, library } = await open(page)
  await library.expectSaveState('new')
  await buildGraph(editor)
  await library.expectSaveState('saved')
  const built = await library.exportJson()
  expect(built.fileName).toBe('untitled-graph.latent-lab.json')
  expect(JSON.parse(built.text)).toMatchObject({
    format: 'latent-lab.graph',
    name: 'Untitled graph',
  })

  // Another graph becomes the open one, so the first must come back from the Library.
  await library.importFile('other.json', graphFile('Other graph'))
  await expect(library.currentGraph).toContainText('Other graph')
  await library.expectSaveState('saved')

  await page.reload()
  await expect(library.currentGraph).toContainText('Other graph')
  await library.expectSaveState('saved')
  expect(await library.graphNames()).toEqual(['Other graph', 'Untitled graph'])
  await library.graph('Untitled graph').getByRole('button', { name: 'Open' }).click()
  await expect(library.currentGraph).toContainText('Untitled graph')
  await expect(editor.nodes).toHaveCount(2)
  await expect(editor.edges).toHaveCount(1)
  expect((await library.exportJson()).text).toBe(built.text)
  expect(lab.errors).toEqual([])
})

test('a share link opened in a fresh browser with empty storage reproduces the document exactly', async ({
  page,
  browser,
}) => {
  const { editor, library } = await open(page)
  await buildGraph(editor)
  await library.expectSaveState('saved')
  const link = await library.shareLink()
  await expect(library.notifications).toContainText(
    `Share link copied (${link.length.toLocaleString('en-US')} characters)`,
  )
  expect(link).toMatch(/^http:\/\/localhost:\d+\/#graph=v1\.[\w-]+$/)
  const original = await library.exportJson()

  const fresh = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  try {
    const other = await fresh.newPage()
    const otherLibrary = new LibraryPage(other)
    const otherLab = new LabPage(other)
    await other.goto(link)
    await otherLibrary.expectSaveState('saved')
    await expect(otherLibrary.notifications).toContainText('as a new graph in the library')
    // The fragment is read once: a reload does not import it again.
    expect(new URL(other.url()).hash).toBe('')
    expect((await otherLibrary.exportJson()).text).toBe(original.text)
    expect(await otherLibrary.graphNames()).toEqual(['Untitled graph'])
    expect(otherLab.errors).toEqual([])
  } finally {
    await fresh.close()
  }
})

test('a corrupted or cut link and bad files each give a message; the library and graph stay', async ({
  page,
}) => {
  const { editor, library } = await open(page)
  await buildGraph(editor)
  await library.expectSaveState('saved')
  const link = await library.shareLink()
  const before = await library.exportJson()

  const at = link.indexOf('#graph=v1.') + 40
  const corrupted = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1)
  await page.goto(corrupted)
  await expect(
    library.alerts.filter({ hasText: 'This share link could not be opened' }),
  ).toContainText('This share link is damaged')
  await page.goto(link.slice(0, Math.floor(link.length * 0.6)))
  await expect(
    library.alerts.filter({ hasText: 'This share link could not be opened' }),
  ).toContainText(/damaged, perhaps cut off/)

  const newer = graphFile('Future').replace('"schemaVersion": 1', '"schemaVersion": 99')
  const cases: [string, string | Buffer, RegExp][] = [
    ['broken.json', '{"format": "latent-lab.graph", "nodes": [', /not valid JSON/],
    ['drawing.json', '{"type": "excalidraw", "elements": []}', /is not a Latent Lab graph/],
    ['future.json', newer, /saved by a newer Latent Lab \(schema 99\)/],
    ['huge.json', Buffer.alloc(5_100_000, 32), /is 5\.1 MB; a graph is at most 5\.0 MB/],
  ]
  for (const [name, contents, reason] of cases) {
    await library.importFile(name, contents)
    const alert = library.alerts.filter({ hasText: `The file “${name}” could not be opened` })
    await expect(alert).toContainText(reason)
    await expect(alert).toContainText('Your graph and the library are unchanged.')
  }

  expect(await library.graphNames()).toEqual(['Untitled graph'])
  await library.expectSaveState('saved')
  expect((await library.exportJson()).text).toBe(before.text)
})

test('an old revision is previewed and restored', async ({ page }) => {
  const { editor, library } = await open(page)
  const { noise } = await buildGraph(editor)
  await library.expectSaveState('saved')
  const first = await library.exportJson()

  await editor.select(noise)
  await editor.inspector.getByLabel('dimensions', { exact: true }).fill('3')
  await library.toolbarButton('Save').click()
  await library.expectSaveState('saved')
  expect((await library.exportJson()).text).not.toBe(first.text)

  await library.openLibrary()
  await library.graph('Untitled graph').getByRole('button', { name: 'History' }).click()
  const revisions = library.panel.getByRole('list', { name: 'Revisions' }).getByRole('button')
  await expect(revisions.first()).toContainText('latest')
  // The newest is the Save above; the one before it is what the first export held.
  const revisionCount = await revisions.count()
  await revisions.nth(1).click()
  const preview = library.panel.getByRole('region', { name: 'Revision preview' })
  await expect(preview.getByRole('img', { name: 'Preview: 2 nodes, 1 edge' })).toBeVisible()
  await expect(preview).toContainText('2 nodes, 1 edge, seed 1')
  await preview.getByRole('button', { name: 'Restore' }).click()

  await expect(library.notifications).toContainText('Restored “Untitled graph” as it was on')
  await library.expectSaveState('saved')
  expect((await library.exportJson()).text).toBe(first.text)
  // Restoring appends; the history keeps everything.
  await expect(revisions).toHaveCount(revisionCount + 1)
  await expect(revisions.first()).toContainText('Restored the version of')
})
