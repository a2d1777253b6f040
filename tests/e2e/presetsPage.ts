import { readFileSync } from 'node:fs'
import { expect, type Locator, type Page } from '@playwright/test'

/** What a spec needs of a preset file: its node ids and explainer (read from `presets/`). */
export interface PresetFile {
  nodes: { id: string }[]
  meta: {
    explainer: {
      title: string
      model: string
      knobs: { node: string; param: string }[]
      training: { steps: number; backend: string }
    }
  }
}

export function readPreset(id: string): PresetFile {
  const url = new URL(`../../presets/${id}.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as PresetFile
}

/** Page object for presets: the toolbar's Presets menu and the "About this preset" panel. */
export class PresetsPage {
  readonly menuButton: Locator
  readonly menu: Locator
  readonly aboutButton: Locator
  readonly panel: Locator

  constructor(readonly page: Page) {
    const toolbar = page.getByRole('toolbar')
    this.menuButton = toolbar.getByRole('button', { name: 'Presets', exact: true })
    this.menu = page.getByRole('menu', { name: 'Presets' })
    this.aboutButton = toolbar.getByRole('button', { name: 'About this preset', exact: true })
    this.panel = page.getByRole('complementary', { name: 'About this preset' })
  }

  async openMenu(): Promise<void> {
    await this.menuButton.click()
    // The catalogue loads on demand: wait for its entries, not the loading line.
    await expect(this.menu.getByRole('menuitem').first()).toBeVisible()
  }

  /** Chooses a preset by its exact title and waits for its explainer. */
  async choose(title: string): Promise<void> {
    await this.openMenu()
    await this.menu.getByRole('menuitem', { name: title, exact: true }).click()
    await expect(this.menu).toBeHidden()
    await expect(this.panel.getByRole('heading', { level: 2 })).toHaveText(title)
  }

  knob(name: string): Locator {
    return this.panel.getByRole('button', { name, exact: true })
  }
}
