import { expect, type Locator, type Page } from '@playwright/test'
import { FRAGMENT_FORMAT } from '../../app/editor/clipboard'
import { graph } from '../../graph-core/testing/graphBuilder'
import { LabPage } from './labPage'

/**
 * The seminar's GAN on 2-D points (tests/graphs/seminarGraphs.ts `gan2d`) on the ring of
 * Gaussians, small enough for software WebGPU. Titles name what the dock shows.
 */
export function gan2dFragment({ withView = false } = {}): string {
  const builder = graph('gan 2-D', 7)
    .node('data', 'data.toy2d', { distribution: 'ring', batchSize: 16 })
    .node('noise', 'data.noise', { dim: 2, batchSize: 16 })
    .node(
      'gen',
      'model.generator',
      { form: 'mlp', hidden: [8], outputShape: [2], outputActivation: 'linear' },
      { title: 'G' },
    )
    .node(
      'disc',
      'model.discriminator',
      { form: 'mlp', hidden: [8] },
      { applications: 2, title: 'D' },
    )
    .node('dLoss', 'loss.gan', { term: 'discriminator' }, { title: 'D loss' })
    .node('gLoss', 'loss.gan', { term: 'generator' }, { title: 'G loss' })
    .node(
      'optD',
      'optim.adam',
      { learningRate: 2e-3, beta1: 0.5, trains: ['disc'], order: 0 },
      { title: 'Adam D' },
    )
    .node(
      'optG',
      'optim.adam',
      { learningRate: 2e-3, beta1: 0.5, trains: ['gen'], order: 1 },
      { title: 'Adam G' },
    )
    .edge('noise.z', 'gen.z')
    .edge('data.points', 'disc.x')
    .edge('gen.x', 'disc.x@1')
    .edge('disc.logit', 'dLoss.realLogits')
    .edge('disc.logit@1', 'dLoss.fakeLogits')
    .edge('disc.logit@1', 'gLoss.fakeLogits')
    .edge('dLoss.loss', 'optD.loss')
    .edge('gLoss.loss', 'optG.loss')
  // Optionally the real vs generated points over D's decision surface, asked of the worker
  // every 2 s while training and drawn inside its node.
  const document = withView
    ? builder
        .node('scatter', 'view.scatter2d', { samples: 256 }, { title: 'GAN points' })
        .edge('data.points', 'scatter.real')
        .edge('gen.x', 'scatter.fake')
        .build()
    : builder.build()
  // Spread out so the canvas stays readable in screenshots.
  document.nodes.forEach((node, index) => {
    node.position = { x: (index % 4) * 240, y: Math.floor(index / 4) * 200 }
  })
  return JSON.stringify({ format: FRAGMENT_FORMAT, nodes: document.nodes, edges: document.edges })
}

/** A linear map fitted to 2-D points by SGD with a learning rate far too high: it diverges. */
export function divergingFragment(): string {
  const document = graph('diverging')
    .node('data', 'data.toy2d', { batchSize: 16 })
    .node('dense', 'model.dense', { units: 2 })
    .node('mse', 'loss.mse')
    .node('opt', 'optim.sgd', { learningRate: 10 })
    .edge('data.points', 'dense.x')
    .edge('dense.y', 'mse.prediction')
    .edge('data.points', 'mse.target')
    .edge('mse.loss', 'opt.loss')
    .build()
  return JSON.stringify({ format: FRAGMENT_FORMAT, nodes: document.nodes, edges: document.edges })
}

/** Page object for training: the run controls, the status line and the run dock's charts. */
export class TrainingPage {
  readonly lab: LabPage
  readonly status: Locator
  readonly dock: Locator
  readonly nodes: Locator

  constructor(readonly page: Page) {
    this.lab = new LabPage(page)
    this.status = this.lab.status
    this.dock = this.lab.runDock
    this.nodes = page.getByRole('main', { name: 'Canvas' }).locator('[data-node-id]')
  }

  button(name: string): Locator {
    return this.page.getByRole('toolbar').getByRole('button', { name, exact: true })
  }

  /** Pastes the GAN into the editor, as a copy from another tab would arrive. */
  async pasteGan(): Promise<void> {
    await this.paste(gan2dFragment())
  }

  /** Pastes a fragment (`latent-lab.fragment` JSON) and waits for its nodes. */
  async paste(fragment: string): Promise<void> {
    const before = await this.nodes.count()
    const added = (JSON.parse(fragment) as { nodes: unknown[] }).nodes.length
    await this.page.evaluate((text) => {
      const data = new DataTransfer()
      data.setData('text/plain', text)
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }))
    }, fragment)
    await expect(this.nodes).toHaveCount(before + added)
  }

  node(id: string): Locator {
    return this.page.getByRole('main', { name: 'Canvas' }).locator(`[data-node-id="${id}"]`)
  }

  /** The state and step the status line reports. */
  async state(): Promise<{ state: string; step: number; stepsPerSecond?: number }> {
    const text = (await this.status.textContent()) ?? ''
    const match = /^(\w+) · step (\d+)/.exec(text)
    if (match === null) throw new Error(`the status says "${text}"`)
    const rate = / · ([\d.]+) steps\/s$/.exec(text)
    return {
      state: match[1] ?? '',
      step: Number(match[2]),
      ...(rate === null ? {} : { stepsPerSecond: Number(rate[1]) }),
    }
  }

  async step(): Promise<number> {
    return (await this.state()).step
  }

  /** Waits until the run reports at least this step. */
  async reachStep(step: number, timeout = 90_000): Promise<number> {
    await expect.poll(() => this.step(), { timeout }).toBeGreaterThanOrEqual(step)
    return this.step()
  }

  chart(name: string | RegExp): Locator {
    return this.dock.getByRole('figure', { name })
  }

  /** How many points a chart draws. */
  async points(chart: Locator): Promise<number> {
    const value = await chart.locator('[data-points]').getAttribute('data-points')
    return Number(value ?? 0)
  }

  /**
   * How many points a chart draws once it has caught up: charts redraw on their own schedule,
   * so right after the status line changes a chart may still be a batch behind. A new point can
   * take up to 1.5 s to be drawn (the dock hears of metrics every 500 ms, a chart redraws at
   * most once a second), so two reads agree only when they are further apart than that.
   */
  async settledPoints(chart: Locator): Promise<number> {
    let previous = -1
    await expect
      .poll(
        async () => {
          const now = await this.points(chart)
          const settled = now === previous
          previous = now
          return settled
        },
        { intervals: [1600] },
      )
      .toBe(true)
    return previous
  }

  /** The newest value a one-series chart shows beside its title. */
  async latest(chart: Locator): Promise<string> {
    const caption = chart.locator('figcaption span')
    return ((await caption.textContent()) ?? '').trim()
  }

  /** Starts a worker on a backend and waits until it proved itself. */
  async open(backend: string): Promise<void> {
    await this.lab.goto(`?backend=${backend}`)
    expect((await this.lab.readyBackend()).backend).toBe(backend)
  }
}
