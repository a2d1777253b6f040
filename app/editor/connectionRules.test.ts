import { describe, expect, it } from 'vitest'
import { analyzeGraph } from '../../graph-core/analysis'
import { graph } from '../../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../../nodes/registry'
import { connectionRefusal } from './connectionRules'

const analysis = analyzeGraph(
  graph()
    .node('noise', 'data.noise')
    .node('gen', 'model.generator')
    .node('disc', 'model.discriminator')
    .node('loss', 'loss.gan')
    .node('adam', 'optim.adam')
    .node('ghost', 'some.unknownType')
    .build(),
  nodeRegistry,
)

const refusal = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
  connectionRefusal(analysis, { source, sourceHandle, target, targetHandle })

describe('connection rules', () => {
  it('accepts matching kinds, including the next application of a shared block', () => {
    expect(refusal('noise', 'z', 'gen', 'z')).toBeUndefined()
    expect(refusal('gen', 'x', 'disc', 'x@1')).toBeUndefined()
    expect(refusal('loss', 'loss', 'adam', 'loss')).toBeUndefined()
  })

  it('refuses other kinds with a reason that names the port and what it takes', () => {
    expect(refusal('loss', 'loss', 'disc', 'x')).toMatch(
      /^Refused: a loss output cannot feed a tensor input \(Discriminator “.+” takes a tensor/,
    )
  })

  it('refuses a node feeding itself and inputs used as outputs', () => {
    expect(refusal('gen', 'x', 'gen', 'z')).toBe('A node cannot feed itself.')
    expect(refusal('gen', 'z', 'disc', 'x')).toMatch(/output \(right\) to an input/)
  })

  it('lets placeholders keep their wires', () => {
    expect(refusal('ghost', 'anything', 'adam', 'loss')).toBeUndefined()
  })
})
