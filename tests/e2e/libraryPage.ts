import { readFile } from 'node:fs/promises'
import { expect, type Locator, type Page } from '@playwright/test'

/** The save states the toolbar shows (app/library/workspace.ts `SaveState`). */
export type SaveState = 'new' | 'saved' | 'unsaved' | 'saving' | 'failed' | 'conflict' | 'off'

/**
 * Page object for keeping and sharing: the toolbar's Save / Share link / Export JSON / Import
 * JSON / Library, the graph's save state, the Library panel and the notices.
 */
export class LibraryPage {
  readonly currentGraph: Locator
  readonly panel: Locator
  readonly graphs: Locator
  readonly notifications: Locator
  readonly alerts: Locator
  readonly importInput: Locator

  constructor(readonly page: Page) {
    this.currentGraph = page.getByRole('group', { name: 'Current graph' })
    this.panel = page.getByRole('complementary', { name: 'Library' })
    this.graphs = this.panel.getByRole('list', { name: 'Graphs' }).getByRole('listitem')
    this.notifications = page.getByRole('region', { name: 'Notifications' })
    this.alerts = this.notifications.getByRole('alert')
    this.importInput = page.getByLabel('Import JSON file')
  }

  toolbarButton(name: string): Locator {
    return this.page.getByRole('toolbar').getByRole('button', { name, exact: true })
  }

  /** Waits for the open graph to reach a save state (shown beside its name). */
  async expectSaveState(state: SaveState): Promise<void> {
    await expect(this.currentGraph).toHaveAttribute('data-save-state', state)
  }

  /** Downloads Export JSON and returns the file's text. */
  async exportJson(): Promise<{ fileName: string; text: string }> {
    const download = this.page.waitForEvent('download')
    await this.toolbarButton('Export JSON').click()
    const file = await download
    return { fileName: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') }
  }

  /** Clicks Share link and returns the link shown in its notice. */
  async shareLink(): Promise<string> {
    await this.toolbarButton('Share link').click()
    const field = this.notifications.getByRole('textbox', { name: 'Share link' })
    await expect(field).toHaveValue(/#graph=v1\./)
    return field.inputValue()
  }

  /** Chooses a file in Import JSON's picker. */
  async importFile(name: string, contents: string | Buffer): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser')
    await this.toolbarButton('Import JSON').click()
    await (
      await chooser
    ).setFiles({
      name,
      mimeType: 'application/json',
      buffer: typeof contents === 'string' ? Buffer.from(contents) : contents,
    })
  }

  async openLibrary(): Promise<void> {
    if (await this.panel.isVisible()) return
    await this.toolbarButton('Library').click()
    await expect(this.panel).toBeVisible()
  }

  graph(name: string): Locator {
    return this.panel.getByRole('listitem', { name, exact: true })
  }

  /** The names in the Library list, in its order. */
  async graphNames(): Promise<string[]> {
    await this.openLibrary()
    await expect(this.panel.getByText('Reading the library…')).toHaveCount(0)
    return this.graphs.evaluateAll((items) =>
      items.map((item) => item.getAttribute('aria-label') ?? ''),
    )
  }

  /** Dispatches a paste of `text` on the page, as Ctrl+V outside a text field would. */
  async paste(text: string): Promise<void> {
    await this.page.evaluate((pasted) => {
      const data = new DataTransfer()
      data.setData('text/plain', pasted)
      document.body.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, text)
  }

  /** Drops a file on `target` as a drag from the desktop would. */
  async dropFile(target: Locator, name: string, contents: string): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      ([fileName, text]) => {
        const data = new DataTransfer()
        data.items.add(new File([text], fileName, { type: 'application/json' }))
        return data
      },
      [name, contents] as const,
    )
    await target.dispatchEvent('dragover', { dataTransfer })
    await target.dispatchEvent('drop', { dataTransfer })
  }
}
