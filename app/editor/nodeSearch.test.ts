import { describe, expect, it } from 'vitest'
import { NODE_DEFINITIONS } from '../../nodes/registry'
import { compatiblePort, createNode, searchNodes } from './nodeSearch'

const types = (query: string, wire?: Parameters<typeof searchNodes>[2]) =>
  searchNodes(NODE_DEFINITIONS, query, wire).map((definition) => definition.type)

describe('node search', () => {
  it('finds by label, type id and description, label prefix first', () => {
    expect(types('arcface')[0]).toBe('loss.arcFace')
    expect(types('model.gen')).toEqual(['model.generator'])
    expect(types('gen')[0]).toBe('model.generator')
    expect(types('angular margin')).toContain('loss.arcFace')
    expect(types('no such node anywhere')).toEqual([])
  })

  it('keeps catalogue order for an empty query', () => {
    expect(types('')).toEqual(NODE_DEFINITIONS.map((definition) => definition.type))
  })

  it('offers only nodes that can take a dropped wire', () => {
    const forLoss = types('', { kind: 'loss', from: 'output' })
    expect(forLoss).toContain('optim.adam')
    expect(forLoss).toContain('op.weightedSum')
    expect(forLoss).not.toContain('model.generator')
    const forLabelsInput = types('', { kind: 'labels', from: 'input' })
    expect(forLabelsInput.every((type) => type.startsWith('data.'))).toBe(true)
  })

  it('picks the first compatible port', () => {
    const adam = NODE_DEFINITIONS.find((definition) => definition.type === 'optim.adam')
    if (adam === undefined) throw new Error('no adam')
    expect(compatiblePort(adam, { kind: 'loss', from: 'output' })).toBe('loss')
    expect(compatiblePort(adam, { kind: 'tensor', from: 'output' })).toBeUndefined()
  })

  it('creates nodes with defaults, their version and fresh readable ids', () => {
    const generator = NODE_DEFINITIONS.find((definition) => definition.type === 'model.generator')
    if (generator === undefined) throw new Error('no generator')
    const node = createNode(generator, { x: 10.4, y: 20.6 }, new Set(['generator1']))
    expect(node).toMatchObject({ id: 'generator2', typeVersion: generator.version })
    expect(node.position).toEqual({ x: 10, y: 21 })
    expect(Object.keys(node.params)).toEqual(Object.keys(generator.params))
  })
})
