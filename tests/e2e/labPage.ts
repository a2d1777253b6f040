import { expect, type Locator, type Page } from '@playwright/test'

/** Page object for the Latent Lab shell: the named controls of DESIGN §9. */
export class LabPage {
  readonly status: Locator
  readonly runDock: Locator
  readonly backendSelect: Locator
  /** Console errors and uncaught exceptions seen since construction. */
  readonly errors: string[] = []

  constructor(readonly page: Page) {
    this.status = page.getByRole('status')
    this.runDock = page.getByRole('region', { name: 'Run dock' })
    this.backendSelect = this.runDock.getByRole('combobox', { name: 'Backend' })
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text())
    })
    page.on('pageerror', (error) => {
      this.errors.push(error.message)
    })
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/${query}`)
  }

  /** Waits until the worker has proven a backend, then returns it and the self-check losses. */
  async readyBackend(): Promise<{ backend: string; firstLoss: number; lastLoss: number }> {
    await expect(this.status).toContainText(/self-check loss|failed/)
    const text = (await this.status.textContent()) ?? ''
    const match = /backend: (\w+) · self-check loss (\S+) → (\S+) \(/.exec(text)
    if (match === null) throw new Error(`status does not report a trained backend: "${text}"`)
    const [, backend = '', first = '', last = ''] = match
    return { backend, firstLoss: Number(first), lastLoss: Number(last) }
  }
}
