import { describe, expect, it } from 'vitest'
import { analyzeGraph } from '../../graph-core/analysis'
import type { GraphDocument } from '../../graph-core/document'
import { defineNode, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import { createRegistry } from '../../graph-core/registry'
import { graph } from '../../graph-core/testing/graphBuilder'
import { NODE_DEFINITIONS } from '../registry'

/** A data node that only describes itself: 6 identities, random or P×K batches of 24. */
const faces = defineNode({
  type: 'test.faces',
  version: 1,
  category: 'data',
  label: 'Faces',
  description: 'Describes its labels.',
  inputs: {},
  outputs: { images: tensor(), labels: labels() },
  params: {
    sampler: param.choice({ default: 'random', options: ['random', 'pk'], help: 'Sampling.' }),
  },
  inferShapes: () => ok({ images: [16], labels: [] }),
  dataInfo: ({ sampler }) => ({
    classes: 6,
    samplesPerClassPerBatch: sampler === 'pk' ? 4 : 24 / 600,
  }),
  build: () => ({ forward: () => ({}) }),
})
const registry = createRegistry([...NODE_DEFINITIONS, faces])
const diagnosticsOf = (document: GraphDocument, code: string) =>
  analyzeGraph(document, registry).diagnostics.filter((d) => d.code === code)

const withLoss = (type: string, params: Record<string, unknown>, sampler = 'random') =>
  graph()
    .node('data', 'test.faces', { sampler })
    .node('loss', type, params)
    .edge('data.images', 'loss.embeddings')
    .edge('data.labels', 'loss.labels')
    .build()

describe('class counts', () => {
  it.each(['loss.arcFace', 'loss.cosFace', 'loss.sphereFace', 'loss.center'])(
    '%s: too few classes is an error, too many a warning, equal is fine',
    (type) => {
      expect(diagnosticsOf(withLoss(type, { classes: 4 }), 'CLASS_COUNT_MISMATCH')).toEqual([
        expect.objectContaining({
          severity: 'error',
          node: 'loss',
          port: 'labels',
          expected: '4',
          actual: '6',
        }),
      ])
      expect(diagnosticsOf(withLoss(type, { classes: 9 }), 'CLASS_COUNT_MISMATCH')).toEqual([
        expect.objectContaining({ severity: 'warning' }),
      ])
      expect(diagnosticsOf(withLoss(type, { classes: 6 }), 'CLASS_COUNT_MISMATCH')).toEqual([])
    },
  )
})

describe('positive pairs', () => {
  it.each(['loss.triplet', 'loss.contrastive'])('%s needs P×K batches', (type) => {
    const [issue] = diagnosticsOf(withLoss(type, {}), 'TRIPLET_NEEDS_PK_BATCHES')
    expect(issue).toMatchObject({ severity: 'error', port: 'labels' })
    expect(issue?.message).toMatch(/P identities × K images/)
    expect(diagnosticsOf(withLoss(type, {}, 'pk'), 'TRIPLET_NEEDS_PK_BATCHES')).toEqual([])
  })
})

describe('VAE without KL', () => {
  const vae = (hasKl: boolean) => {
    const g = graph()
      .node('data', 'test.faces')
      .node('enc', 'model.encoder', { isVariational: true, latentDim: 4, hidden: [8] })
      .node('sample', 'model.reparameterize')
      .edge('data.images', 'enc.x')
      .edge('enc.z', 'sample.mean')
      .edge('enc.logVariance', 'sample.logVariance')
    if (hasKl)
      g.node('kl', 'loss.kl').edge('enc.z', 'kl.mean').edge('enc.logVariance', 'kl.logVariance')
    return g.build()
  }

  it('warns when nothing pulls the latents towards the prior', () => {
    expect(diagnosticsOf(vae(false), 'VAE_WITHOUT_KL')).toEqual([
      expect.objectContaining({ severity: 'warning', node: 'sample', port: 'logVariance' }),
    ])
    expect(diagnosticsOf(vae(true), 'VAE_WITHOUT_KL')).toEqual([])
  })
})
