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

test('graph JSON pasted or dropped on the canvas, and a pasted share link, open as new graphs', async ({
  page,
}) => {
  const { lab, editor, library } = await open(page)
  await library.paste(graphFile('Pasted graph'))
  await expect(library.currentGraph).toContainText('Pasted graph')
  await library.expectSaveState('saved')

  await library.dropFile(editor.canvas, 'dropped.json', graphFile('Dropped graph'))
  await expect(library.currentGraph).toContainText('Dropped graph')
  await library.expectSaveState('saved')

  const link = await library.shareLink()
  await library.paste(`Have a look: ${link}`)
  await expect(library.notifications).toContainText('Opened “Dropped graph” as a new graph')
  // Ordinary text is left alone.
  await library.paste('hello')
  expect(await library.graphNames()).toEqual(['Dropped graph', 'Dropped graph', 'Pasted graph'])
  await expect(editor.nodes).toHaveCount(1)
  expect(lab.errors).toEqual([])
})

test('unknown node types open as placeholders, with the loader’s diagnostics in a notice', async ({
  page,
}) => {
  const { editor, library } = await open(page)
  await library.importFile(
    'future.json',
    graphFile('From the future', [
      noiseNode(),
      { ...noiseNode({ id: 'future1', type: 'model.fromTheFuture' }), position: { x: 400, y: 40 } },
    ]),
  )
  await expect(library.currentGraph).toContainText('From the future')
  await expect(editor.node('future1')).toHaveAttribute('data-node-type', 'model.fromTheFuture')
  const notice = library.alerts.filter({ hasText: 'opened with 1 problem' })
  await expect(notice).toContainText('"model.fromTheFuture" is not a node type this version knows')
  // Kept, not dropped: it goes back out exactly as it came in.
  const exported = JSON.parse((await library.exportJson()).text) as { nodes: { type: string }[] }
  expect(exported.nodes.map((node) => node.type)).toEqual(['data.noise', 'model.fromTheFuture'])
})

test('names and titles from a shared graph render as text, never as markup', async ({ page }) => {
  const { editor, library } = await open(page)
  const markup = '<img src=x onerror=window.__pwned=1>'
  await library.importFile('markup.json', graphFile(markup, [noiseNode({ title: markup })]))
  await expect(editor.node('noise1')).toContainText(markup)
  await expect(library.currentGraph).toContainText(markup)
  await library.openLibrary()
  await expect(library.graph(markup)).toBeVisible()
  await library.graph(markup).getByRole('button', { name: 'History' }).click()
  await library.panel.getByRole('list', { name: 'Revisions' }).getByRole('button').first().click()
  await expect(library.panel.getByRole('region', { name: 'Revision preview' })).toContainText(
    markup,
  )
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
  await expect(page.locator('img[src="x"]')).toHaveCount(0)
  // Even markup that got into the page could not run: the CSP refuses inline scripts.
  const violated = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => {
          resolve(event.effectiveDirective)
        })
        const script = document.createElement('script')
        script.textContent = 'window.__pwned = 2'
        document.head.append(script)
      }),
  )
  expect(violated).toBe('script-src-elem')
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
})

test('a full disk gives the message and loses nothing', async ({ page }) => {
  // IndexedDB refuses every write once the test says the disk is full.
  await page.addInitScript(() => {
    const flags = window as { __diskFull?: boolean }
    for (const method of ['put', 'add'] as const) {
      const original = Reflect.get(IDBObjectStore.prototype, method) as (
        this: IDBObjectStore,
        ...args: Parameters<IDBObjectStore['put']>
      ) => IDBRequest<IDBValidKey>
      IDBObjectStore.prototype[method] = function (
        this: IDBObjectStore,
        ...args: Parameters<IDBObjectStore['put']>
      ) {
        if (flags.__diskFull === true) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        }
        return original.apply(this, args)
      }
    }
  })
  const { editor, library } = await open(page)
  const { noise } = await buildGraph(editor)
  await library.expectSaveState('saved')

  await page.evaluate(() => {
    ;(window as { __diskFull?: boolean }).__diskFull = true
  })
  await editor.select(noise)
  await editor.inspector.getByLabel('dimensions', { exact: true }).fill('5')
  await library.expectSaveState('failed')
  await expect(library.alerts.filter({ hasText: 'storage is full' })).toContainText(
    "Your browser's storage is full: saving “Untitled graph” failed; nothing was changed.",
  )
  // The edit is still in the editor and can be exported; the library keeps the last save.
  const edited = await library.exportJson()
  expect(edited.text).toContain('"dim": 5')
  await library.openLibrary()
  await library.graph('Untitled graph').getByRole('button', { name: 'History' }).click()
  const revisions = library.panel.getByRole('list', { name: 'Revisions' }).getByRole('button')
  await revisions.first().click()
  await expect(library.panel.getByRole('region', { name: 'Revision preview' })).toContainText(
    '2 nodes, 1 edge',
  )

  // Space freed: Save stores the edit, and a reload brings it back.
  await page.evaluate(() => {
    ;(window as { __diskFull?: boolean }).__diskFull = false
  })
  await library.toolbarButton('Save').click()
  await library.expectSaveState('saved')
  await expect(library.alerts.filter({ hasText: 'storage is full' })).toHaveCount(0)
  await page.reload()
  await library.expectSaveState('saved')
  expect((await library.exportJson()).text).toBe(edited.text)
})

test('without IndexedDB the editor still works: autosave off, a notice, Export JSON', async ({
  page,
}) => {
  await page.addInitScript(() => {
    // As in private windows of some browsers: no IndexedDB at all.
    Reflect.deleteProperty(window, 'indexedDB')
    if ('indexedDB' in window) Object.defineProperty(window, 'indexedDB', { value: undefined })
  })
  const { lab, editor, library } = await open(page)
  expect(await page.evaluate(() => typeof window.indexedDB)).toBe('undefined')
  await library.expectSaveState('off')
  await expect(library.alerts.filter({ hasText: 'Autosave is off' })).toContainText(
    'IndexedDB is missing',
  )
  await expect(library.alerts.filter({ hasText: 'Autosave is off' })).toContainText(
    'Export the graph as JSON to keep it. Your edits stay in this tab only.',
  )
  // The notice floats over the top of the canvas, where buildGraph drops a node.
  await library.alerts
    .filter({ hasText: 'Autosave is off' })
    .getByRole('button', { name: 'Dismiss' })
    .click()

  await buildGraph(editor)
  await library.expectSaveState('off')
  const exported = JSON.parse((await library.exportJson()).text) as { nodes: unknown[] }
  expect(exported.nodes).toHaveLength(2)
  await library.openLibrary()
  await expect(library.panel).toContainText('no storage')
  expect(lab.errors).toEqual([])
})

test('two tabs on one graph: live updates, and a notice instead of a silent overwrite', async ({
  context,
}) => {
  const a = await open(await context.newPage())
  const { noise } = await buildGraph(a.editor)
  await a.library.expectSaveState('saved')
  const b = await open(await context.newPage())
  await b.library.expectSaveState('saved')
  await expect(b.editor.nodes).toHaveCount(2)

  // An edit saved in one tab shows in the other, which has no edits of its own.
  await a.editor.select(noise)
  await a.editor.inspector.getByLabel('dimensions', { exact: true }).fill('7')
  await a.library.expectSaveState('saved')
  await expect(b.library.notifications).toContainText('was updated from another tab')
  expect((await b.library.exportJson()).text).toContain('"dim": 7')

  // Both edit at once: whichever saves second is refused with a notice, never overwrites.
  await b.editor.select(noise)
  const field = (tab: typeof a) => tab.editor.inspector.getByLabel('dimensions', { exact: true })
  await Promise.all([field(a).fill('22'), field(b).fill('11')])
  const conflict = (tab: typeof a) => tab.library.alerts.filter({ hasText: 'another tab' })
  await expect
    .poll(async () => (await conflict(a).count()) + (await conflict(b).count()))
    .toBeGreaterThan(0)
  const [loser, winner, mine, theirs] =
    (await conflict(a).count()) > 0 ? [a, b, '22', '11'] : [b, a, '11', '22']
  await expect(conflict(winner)).toHaveCount(0)
  await loser.library.expectSaveState('conflict')
  await expect(conflict(loser).getByRole('button', { name: 'Load theirs' })).toBeVisible()
  await conflict(loser).getByRole('button', { name: 'Keep mine as a copy' }).click()
  await loser.library.expectSaveState('saved')
  await expect(loser.library.currentGraph).toContainText('Untitled graph (my copy)')
  expect((await loser.library.exportJson()).text).toContain(`"dim": ${mine}`)
  expect((await winner.library.exportJson()).text).toContain(`"dim": ${theirs}`)
  expect(await winner.library.graphNames()).toEqual(['Untitled graph (my copy)', 'Untitled graph'])
})

test('the Library searches, sorts, renames, duplicates, and deletes with Undo', async ({
  page,
}) => {
  const { lab, editor, library } = await open(page)
  for (const name of ['Beta', 'alpha', 'Gamma']) {
    await library.importFile(`${name}.json`, graphFile(name))
    await expect(library.currentGraph).toContainText(name)
  }
  await library.expectSaveState('saved')
  expect(await library.graphNames()).toEqual(['Gamma', 'alpha', 'Beta'])
  await library.panel.getByRole('combobox', { name: 'Sort by' }).selectOption('Name')
  await expect(library.graphs.first()).toHaveAccessibleName('alpha')
  expect(await library.graphNames()).toEqual(['alpha', 'Beta', 'Gamma'])
  await library.panel.getByRole('searchbox', { name: 'Search graphs' }).fill('MM')
  await expect(library.graphs).toHaveCount(1)
  await library.panel.getByRole('searchbox', { name: 'Search graphs' }).fill('')
  await expect(library.graphs).toHaveCount(3)

  // Renaming the open graph renames it in the editor too.
  await library.graph('Gamma').getByRole('button', { name: 'Rename' }).click()
  await library.panel.getByRole('textbox', { name: 'New name' }).fill('Delta')
  await library.panel.getByRole('button', { name: 'Save name' }).click()
  await expect(library.graph('Delta')).toBeVisible()
  await expect(library.currentGraph).toContainText('Delta')

  await library.graph('Beta').getByRole('button', { name: 'Duplicate' }).click()
  await expect(library.graph('Beta (copy)')).toBeVisible()

  // Deleting the open graph leaves an empty one; Undo brings it back into the editor.
  await library.graph('Delta').getByRole('button', { name: 'Delete' }).click()
  await expect(library.graph('Delta')).toHaveCount(0)
  await expect(editor.nodes).toHaveCount(0)
  await library.notifications.getByRole('button', { name: 'Undo' }).click()
  await expect(library.graph('Delta')).toBeVisible()
  await expect(library.currentGraph).toContainText('Delta')
  await expect(editor.nodes).toHaveCount(1)

  await library.graph('alpha').getByRole('button', { name: 'Open' }).click()
  await expect(library.currentGraph).toContainText('alpha')
  await expect(library.graph('alpha').getByRole('button', { name: 'Open' })).toBeDisabled()
  // Escape inside the panel closes it.
  await library.panel.getByRole('searchbox', { name: 'Search graphs' }).press('Escape')
  await expect(library.panel).toBeHidden()
  expect(lab.errors).toEqual([])
})
