import { describe, expect, it } from 'vitest'
import { graph } from '../graph-core/testing/graphBuilder'
import { scatterDiscriminators } from './decisionSurface'

describe('scatterDiscriminators', () => {
  it('finds the discriminator fed the same points as the view, through any application', () => {
    const document = graph('gan')
      .node('data', 'data.toy2d')
      .node('noise', 'data.noise', { dim: 2 })
      .node('gen', 'model.generator', { form: 'mlp', hidden: [8], outputShape: [2] })
      .node('disc', 'model.discriminator', { form: 'mlp', hidden: [8] }, { applications: 2 })
      .node('scatter', 'view.scatter2d')
      .node('alone', 'view.scatter2d')
      .node('other', 'data.toy2d')
      .edge('noise.z', 'gen.z')
      .edge('data.points', 'disc.x')
      .edge('gen.x', 'disc.x@1')
      .edge('gen.x', 'scatter.fake')
      .edge('other.points', 'scatter.real')
      .edge('other.points', 'alone.real')
      .build()
    expect([...scatterDiscriminators(document)]).toEqual([['scatter', 'disc']])
  })
})
