import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileGraph } from './compiler'
import { defineNode, ok } from './nodeDefinition'
import { buildNode, runNode } from './runNode'
import { requiredResources, type ResourceMap } from './resources'
import { graph } from './testing/graphBuilder'
import { testRegistry, testResourceSource } from './testing/testNodes'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const blob = new Uint8Array([255, 51, 102, 0, 7])
const loaded: ResourceMap = new Map([['blob', blob]])

/** resource rows → scale → distance to the rows themselves → SGD. */
const resourceChain = () =>
  graph('resources')
    .node('rows', 'test.resourceSource')
    .node('scale', 'test.scale', { factor: 3 })
    .node('dist', 'test.distance')
    .node('opt', 'test.sgd', { learningRate: 0.5 })
    .edge('rows.x', 'scale.x')
    .edge('scale.y', 'dist.a')
    .edge('rows.x', 'dist.b')
    .edge('dist.loss', 'opt.loss')
    .build()

describe('requiredResources', () => {
  it('lists what the nodes declare, sorted and once each', () => {
    const document = graph()
      .node('a', 'test.resourceSource', { resource: 'other' })
      .node('b', 'test.resourceSource')
      .node('c', 'test.resourceSource', { resource: 'other' })
      .node('d', 'test.source')
      .build()
    expect(requiredResources(document, testRegistry)).toEqual(['blob', 'other'])
  })

  it('needs nothing for nodes without resources or of unknown types', () => {
    const document = graph().node('a', 'test.source').node('b', 'no.suchType').build()
    expect(requiredResources(document, testRegistry)).toEqual([])
  })

  it('reads invalid params as their defaults, as the compiler does', () => {
    const document = graph().node('a', 'test.resourceSource', { resource: 42 }).build()
    expect(requiredResources(document, testRegistry)).toEqual(['blob'])
  })
})

describe('compileGraph with resources', () => {
  it('hands a node its resource and trains on it', async () => {
    const result = compileGraph(tf, resourceChain(), testRegistry, { resources: loaded })
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics))
    const rows = result.program.evaluate('rows', { split: 'train' })
    const row = [255 / 256, 51 / 256, 102 / 256, 0]
    expect(rows.x?.arraySync()).toEqual([row, row])
    tf.dispose(Object.values(rows))
    const first = await result.program.runIteration()
    const second = await result.program.runIteration()
    if (!first.ok || !second.ok) throw new Error('training failed')
    expect(second.losses.opt).toBeLessThan(first.losses.opt ?? 0)
    result.program.dispose()
  })

  it('fails the build on the node whose resource is missing, naming the resource', () => {
    const baseline = tf.memory().numTensors
    for (const resources of [undefined, new Map([['other', blob]])]) {
      const result = compileGraph(
        tf,
        resourceChain(),
        testRegistry,
        resources === undefined ? {} : { resources },
      )
      expect(result.ok).toBe(false)
      const failure = result.diagnostics.find((diagnostic) => diagnostic.code === 'BUILD_FAILED')
      expect(failure?.node).toBe('rows')
      expect(failure?.message).toContain('Test resource source (rows)')
      expect(failure?.message).toContain('the "blob" data is not loaded')
    }
    // The scale node built before the failure is freed with the rest.
    expect(tf.memory().numTensors).toBe(baseline)
  })
})

describe('buildNode with resources', () => {
  it('passes the resources to the build', () => {
    const run = runNode(tf, testResourceSource, {
      params: { width: 2, batchSize: 1 },
      inputs: {},
      resources: loaded,
    })
    expect(run.outputs.x?.arraySync()).toEqual([[255 / 256, 51 / 256]])
    run.dispose()
  })

  it('refuses a missing resource with a clear message', () => {
    expect(() => buildNode(tf, testResourceSource, { inputs: {} })).toThrow(
      'the "blob" data is not loaded',
    )
  })

  it('refuses a read of a resource the node did not declare', () => {
    const sneaky = defineNode({
      type: 'test.sneaky',
      version: 1,
      category: 'data',
      label: 'Sneaky',
      description: 'Reads what it does not declare.',
      inputs: {},
      outputs: {},
      params: {},
      inferShapes: () => ok({}),
      build: ({ resource }) => {
        resource('blob')
        return { forward: () => ({}) }
      },
    })
    expect(() => buildNode(tf, sneaky, { inputs: {}, resources: loaded })).toThrow(
      'test.sneaky reads resource "blob" without declaring it in its resources()',
    )
  })
})
