import { expect, type Locator, type Page } from '@playwright/test'

/** Page object for the editor: palette, canvas nodes and ports, inspector, toolbar. */
export class EditorPage {
  readonly palette: Locator
  readonly canvas: Locator
  readonly inspector: Locator
  readonly nodes: Locator
  readonly edges: Locator

  constructor(readonly page: Page) {
    this.palette = page.getByRole('complementary', { name: 'Palette' })
    this.canvas = page.getByRole('main', { name: 'Canvas' })
    this.inspector = page.getByRole('complementary', { name: 'Inspector' })
    this.nodes = this.canvas.locator('[data-node-id]')
    this.edges = this.canvas.locator('.react-flow__edge')
  }

  toolbarButton(name: string): Locator {
    return this.page.getByRole('toolbar').getByRole('button', { name, exact: true })
  }

  node(id: string): Locator {
    return this.canvas.locator(`[data-node-id="${id}"]`)
  }

  port(nodeId: string, port: string): Locator {
    return this.node(nodeId).locator(`[data-port="${port}"]`)
  }

  /** Drags a palette entry to a point of the canvas and returns the new node's id. */
  async dragFromPalette(label: string, x: number, y: number): Promise<string> {
    const before = await this.nodeIds()
    await this.palette
      .getByRole('button', { name: label, exact: true })
      .dragTo(this.canvas, { targetPosition: { x, y } })
    await expect(this.nodes).toHaveCount(before.length + 1)
    const after = await this.nodeIds()
    const added = after.find((id) => !before.includes(id))
    if (added === undefined) throw new Error(`dropping ${label} added no node`)
    return added
  }

  /** Drags a wire from an output handle to an input handle with the mouse. */
  async connect(from: [string, string], to: [string, string]): Promise<void> {
    await this.port(...from).dragTo(this.port(...to))
  }

  async nodeIds(): Promise<string[]> {
    return this.nodes.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-node-id') ?? ''),
    )
  }

  /** Selects a node by clicking its header. */
  async select(id: string): Promise<void> {
    await this.node(id).locator('header').click()
  }

  async problems(): Promise<number> {
    const totals = this.inspector.getByRole('region', { name: 'Graph totals' })
    const text = (await totals.textContent()) ?? ''
    const match = /(\d+) errors?/.exec(text)
    return match === null ? 0 : Number(match[1])
  }
}
