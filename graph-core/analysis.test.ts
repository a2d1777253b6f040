import { describe, expect, it } from 'vitest'
import { analyzeGraph } from './analysis'
import type { GraphDocument } from './document'
import { graph } from './testing/graphBuilder'
import { createRegistry } from './registry'
import { testRegistry, testScale, testSource } from './testing/testNodes'

const analyze = (document: GraphDocument) => analyzeGraph(document, testRegistry)
const codes = (document: GraphDocument) => analyze(document).diagnostics.map((d) => d.code)

/** source → scale → distance(scale.y, source.x) → sgd */
const chain = () =>
  graph()
    .node('src', 'test.source', { width: 4 })
    .node('scale', 'test.scale')
    .node('dist', 'test.distance')
    .node('opt', 'test.sgd')
    .edge('src.x', 'scale.x')
    .edge('scale.y', 'dist.a')
    .edge('src.x', 'dist.b')
    .edge('dist.loss', 'opt.loss')

describe('analyzeGraph on a valid graph', () => {
  const analysis = analyze(chain().build())

  it('has no diagnostics and orders nodes by data flow', () => {
    expect(analysis.diagnostics).toEqual([])
    expect(analysis.order).toEqual(['src', 'scale', 'dist', 'opt'])
  })

  it('infers shapes on every port and edge', () => {
    expect(analysis.nodes.get('scale')?.outputShapes).toEqual([{ y: [4] }])
    expect(analysis.nodes.get('dist')?.outputShapes).toEqual([{ loss: [] }])
    expect(Object.fromEntries(analysis.edgeShapes)).toEqual({ e0: [4], e1: [4], e2: [4], e3: [] })
  })

  it('knows what the optimizer trains and totals the cost', () => {
    expect(analysis.trainedBy.get('opt')).toEqual(['scale'])
    expect(analysis.totals).toEqual({ parameters: 1, flops: 1 })
  })
})

describe('analyzeGraph diagnostics point at node and port', () => {
  it('reports a missing input', () => {
    const document = graph().node('scale', 'test.scale').build()
    expect(analyze(document).diagnostics).toEqual([
      expect.objectContaining({
        code: 'MISSING_INPUT',
        node: 'scale',
        port: 'x',
        severity: 'error',
      }),
    ])
  })

  it('reports every node on a cycle and leaves them out of the order', () => {
    const document = graph()
      .node('a', 'test.scale')
      .node('b', 'test.scale')
      .edge('a.y', 'b.x')
      .edge('b.y', 'a.x')
      .build()
    const analysis = analyze(document)
    expect(analysis.order).toEqual([])
    expect(analysis.diagnostics.filter((d) => d.code === 'CYCLE').map((d) => d.node)).toEqual([
      'a',
      'b',
    ])
  })

  it('refuses incompatible kinds with expected and actual', () => {
    const document = graph()
      .node('src', 'test.source')
      .node('s', 'test.scale')
      .edge('src.labels', 's.x')
      .build()
    expect(analyze(document).diagnostics[0]).toMatchObject({
      code: 'INCOMPATIBLE_PORTS',
      node: 's',
      port: 'x',
      expected: 'tensor',
      actual: 'labels',
    })
  })

  it('reports unknown ports, unknown nodes and a second connection to one input', () => {
    const document = graph()
      .node('src', 'test.source')
      .node('s', 'test.scale')
      .edge('src.x', 's.x')
      .edge('src.x', 's.x')
      .edge('src.nope', 's.x')
      .edge('ghost.y', 's.x')
      .build()
    expect(codes(document)).toEqual(['DUPLICATE_INPUT', 'UNKNOWN_PORT', 'UNKNOWN_NODE'])
  })

  it('shows a shape mismatch with what was expected and what arrived', () => {
    const document = graph()
      .node('a', 'test.source', { width: 4 })
      .node('b', 'test.source', { width: 5 })
      .node('d', 'test.distance')
      .edge('a.x', 'd.a')
      .edge('b.x', 'd.b')
      .build()
    expect(analyze(document).diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'SHAPE_MISMATCH',
        node: 'd',
        port: 'b',
        expected: '[4]',
        actual: '[5]',
      }),
    )
  })

  it('checks a port rank before the node sees the shape', () => {
    const document = graph()
      .node('d', 'test.distance')
      .node('s', 'test.scale')
      .edge('d.loss', 's.x')
      .build()
    expect(codes(document)).toContain('INCOMPATIBLE_PORTS')
  })

  it('keeps unknown node types as placeholders with their connections unchecked', () => {
    const document = graph()
      .node('m', 'model.fromTheFuture')
      .node('s', 'test.scale')
      .edge('m.out', 's.x')
      .build()
    const analysis = analyze(document)
    expect(analysis.diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_NODE_TYPE'])
    expect(analysis.nodes.get('s')?.outputShapes).toEqual([])
  })

  it('reports invalid params and uses the default', () => {
    const document = graph().node('src', 'test.source', { width: 0 }).build()
    const analysis = analyze(document)
    expect(analysis.diagnostics[0]).toMatchObject({
      code: 'PARAM_INVALID',
      node: 'src',
      port: 'width',
    })
    expect(analysis.nodes.get('src')?.outputShapes).toEqual([{ x: [4], labels: [] }])
  })
})

describe('node definitions that break the contract', () => {
  it('reports an output the node forgot to infer instead of failing later', () => {
    const forgetful = { ...testScale, type: 'test.forgetful', inferShapes: () => ({ outputs: {} }) }
    const registry = createRegistry([testSource, forgetful])
    const document = graph()
      .node('src', 'test.source')
      .node('f', 'test.forgetful')
      .edge('src.x', 'f.x')
      .build()
    expect(analyzeGraph(document, registry).diagnostics).toEqual([
      expect.objectContaining({
        code: 'BUILD_FAILED',
        node: 'f',
        message: expect.stringMatching(/shape of y/) as string,
      }),
    ])
  })
})

describe('weight sharing', () => {
  const shared = (secondWidth: number) =>
    graph()
      .node('a', 'test.source', { width: 4 })
      .node('b', 'test.source', { width: secondWidth })
      .node('s', 'test.scale', {}, { applications: 2 })
      .edge('a.x', 's.x')
      .edge('b.x', 's.x@1')
      .build()

  it('gives each application its own output with its own shape', () => {
    const analysis = analyze(shared(4))
    expect(analysis.diagnostics).toEqual([])
    expect(analysis.nodes.get('s')?.outputShapes).toEqual([{ y: [4] }, { y: [4] }])
    expect(analysis.totals).toEqual({ parameters: 1, flops: 2 })
  })

  it('requires the same input shapes for every application', () => {
    expect(analyze(shared(5)).diagnostics).toEqual([
      expect.objectContaining({
        code: 'SHARED_SHAPE_MISMATCH',
        node: 's',
        port: 'x@1',
        expected: '[4]',
        actual: '[5]',
      }),
    ])
  })

  it('orders applications, not nodes: A feeds B, B’s second application feeds A’s second', () => {
    // CycleGAN's shape: a loop between nodes that is no loop between applications.
    const document = graph()
      .node('src', 'test.source', { width: 3 })
      .node('a', 'test.scale', {}, { applications: 2 })
      .node('b', 'test.scale', {}, { applications: 2 })
      .edge('src.x', 'a.x')
      .edge('a.y', 'b.x')
      .edge('src.x', 'b.x@1')
      .edge('b.y@1', 'a.x@1')
      .build()
    const analysis = analyze(document)
    expect(analysis.diagnostics).toEqual([])
    expect(analysis.nodes.get('a')?.outputShapes).toEqual([{ y: [3] }, { y: [3] }])
    expect(analysis.order).toEqual(['src', 'a', 'b'])
  })

  it('still finds a loop through applications', () => {
    const document = graph()
      .node('a', 'test.scale', {}, { applications: 2 })
      .edge('a.y', 'a.x@1')
      .edge('a.y@1', 'a.x')
      .build()
    expect(codes(document)).toEqual(['CYCLE'])
  })

  it('has no second application on a node that is not shareable', () => {
    const document = graph()
      .node('a', 'test.source')
      .node('d', 'test.distance', {}, { applications: 2 })
      .edge('a.x', 'd.a@1')
      .build()
    expect(codes(document)).toContain('UNKNOWN_PORT')
  })
})

describe('training setup', () => {
  it('warns about a loss no optimizer minimises', () => {
    const document = graph()
      .node('src', 'test.source')
      .node('d', 'test.distance')
      .edge('src.x', 'd.a')
      .edge('src.x', 'd.b')
      .build()
    expect(analyze(document).diagnostics).toEqual([
      expect.objectContaining({ code: 'LOSS_WITHOUT_OPTIMIZER', node: 'd', severity: 'warning' }),
    ])
  })

  it('flags an optimizer with nothing to train', () => {
    const document = graph()
      .node('src', 'test.source')
      .node('d', 'test.distance')
      .node('opt', 'test.sgd')
      .edge('src.x', 'd.a')
      .edge('src.x', 'd.b')
      .edge('d.loss', 'opt.loss')
      .build()
    expect(codes(document)).toEqual(['OPTIMIZER_NOTHING_TO_TRAIN'])
  })

  it('trains only the chosen nodes when the optimizer names them', () => {
    const document = chain().node('other', 'test.scale').edge('src.x', 'other.x').build()
    const withChoice = structuredClone(document)
    const optimizer = withChoice.nodes.find((node) => node.id === 'opt')
    if (optimizer !== undefined) optimizer.params = { trains: ['scale', 'missing'] }
    const analysis = analyze(withChoice)
    expect(analysis.trainedBy.get('opt')).toEqual(['scale'])
    expect(analysis.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_NODE', severity: 'warning' }),
    )
  })
})

describe('semantic checks', () => {
  const withClasses = (classes: number) =>
    graph()
      .node('src', 'test.source')
      .node('loss', 'test.classLoss', { classes })
      .edge('src.x', 'loss.x')
      .edge('src.labels', 'loss.labels')
      .build()

  it('pass when the loss and its data agree', () => {
    expect(codes(withClasses(3))).not.toContain('CLASS_COUNT_MISMATCH')
  })

  it('report a mismatch at the node and port with both numbers', () => {
    expect(analyze(withClasses(10)).diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'CLASS_COUNT_MISMATCH',
        node: 'loss',
        port: 'labels',
        expected: '10',
        actual: '3',
        severity: 'error',
      }),
    )
  })
})
