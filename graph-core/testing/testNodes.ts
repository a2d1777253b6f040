/**
 * Tiny node types for graph-core's own tests: graph-core may not import the real catalogue
 * (nodes/), so its loader, analysis and compiler are exercised with these.
 */
import { defineNode, fail, ok } from '../nodeDefinition'
import { param } from '../params'
import { labels, loss, tensor } from '../ports'
import { createRegistry } from '../registry'
import { formatShape, shapesEqual } from '../shapes'

/** Fixed pseudo-data: x [batch, width] drawn from the seed, labels = row index mod 3. */
export const testSource = defineNode({
  type: 'test.source',
  version: 1,
  category: 'data',
  label: 'Test source',
  description: 'Seeded random rows and labels.',
  inputs: {},
  outputs: { x: tensor(), labels: labels() },
  params: {
    width: param.int({ default: 4, min: 1, help: 'Row width.' }),
    batchSize: param.int({ default: 8, min: 1, help: 'Rows per batch.' }),
  },
  inferShapes: (_inputs, { width }) => ok({ x: [width], labels: [] }),
  dataInfo: ({ batchSize }) => ({ classes: 3, samplesPerClassPerBatch: Math.floor(batchSize / 3) }),
  build: ({ tf, params }) => ({
    forward: (_inputs, { seed, split }) => ({
      x: tf.randomNormal(
        [params.batchSize, params.width],
        split === 'train' ? 0 : 5,
        1,
        'float32',
        seed,
      ),
      labels: tf.tensor1d(
        Array.from({ length: params.batchSize }, (_, row) => row % 3),
        'int32',
      ),
    }),
  }),
})

/**
 * Rows built from a loaded resource (graph-core/resources.ts): x [batch, width] repeats the
 * resource's first `width` bytes / 256
 * (exact in float32).
 */
export const testResourceSource = defineNode({
  type: 'test.resourceSource',
  version: 1,
  category: 'data',
  label: 'Test resource source',
  description: "Rows made of a resource's bytes.",
  inputs: {},
  outputs: { x: tensor() },
  params: {
    resource: param.choice({ default: 'blob', options: ['blob', 'other'], help: 'Resource id.' }),
    width: param.int({ default: 4, min: 1, help: 'Bytes per row.' }),
    batchSize: param.int({ default: 2, min: 1, help: 'Rows per batch.' }),
  },
  resources: ({ resource }) => [resource],
  inferShapes: (_inputs, { width }) => ok({ x: [width] }),
  build: ({ tf, params, resource }) => {
    const bytes = resource(params.resource)
    if (bytes.length < params.width)
      throw new Error(`needs ${params.width} bytes, the resource has ${bytes.length}`)
    const row = Array.from(bytes.subarray(0, params.width), (byte) => byte / 256)
    return {
      forward: () => ({ x: tf.tensor2d([row], [1, params.width]).tile([params.batchSize, 1]) }),
    }
  },
})

/** y = factor · x with a trainable scalar `factor` (starts at the param). */
export const testScale = defineNode({
  type: 'test.scale',
  version: 2,
  category: 'model',
  label: 'Test scale',
  description: 'Multiplies by a learned scalar.',
  isShareable: true,
  inputs: { x: tensor({ rank: 1 }) },
  outputs: { y: tensor() },
  params: { factor: param.number({ default: 1, help: 'Initial factor.' }) },
  migrations: [
    {
      name: 'RenameGainToFactor',
      toVersion: 2,
      migrate: ({ gain, ...rest }) => (gain === undefined ? rest : { ...rest, factor: gain }),
    },
  ],
  inferShapes: ({ x }) =>
    x.length === 1
      ? ok({ y: x })
      : fail({ port: 'x', message: 'needs a vector', expected: '[n]', actual: formatShape(x) }),
  cost: () => ({ parameters: 1, flops: 1 }),
  build: ({ tf, params, variable }) => {
    const factor = variable('factor', [], { normal: { mean: params.factor, stddev: 0 } })
    return { forward: ({ x }) => ({ y: tf.mul(x, factor) }) }
  },
})

/** Mean squared distance between two tensors of one shape. */
export const testDistance = defineNode({
  type: 'test.distance',
  version: 1,
  category: 'loss',
  label: 'Test distance',
  description: 'Mean squared difference.',
  inputs: { a: tensor(), b: tensor() },
  outputs: { loss: loss() },
  params: {},
  inferShapes: ({ a, b }) =>
    shapesEqual(a, b)
      ? ok({ loss: [] })
      : fail({
          port: 'b',
          message: 'must match a',
          expected: formatShape(a),
          actual: formatShape(b),
        }),
  build: ({ tf }) => ({
    forward: ({ a, b }, { report }) => {
      const value = tf.mean(tf.squaredDifference(a, b))
      report('meanA', tf.mean(a))
      return { loss: value }
    },
  }),
})

/** A labelled loss with a class count, checked against its data like ArcFace's. */
export const testClassLoss = defineNode({
  type: 'test.classLoss',
  version: 1,
  category: 'loss',
  label: 'Test class loss',
  description: 'Mean of x; checks its class count.',
  inputs: { x: tensor(), labels: labels() },
  outputs: { loss: loss() },
  params: { classes: param.int({ default: 3, min: 2, help: 'Classes.' }) },
  inferShapes: () => ok({ loss: [] }),
  check: ({ params, dataInfo }) => {
    const classes = dataInfo('labels')?.classes
    if (classes === undefined || classes === params.classes) return []
    return [
      {
        code: 'CLASS_COUNT_MISMATCH',
        severity: 'error',
        port: 'labels',
        message: `separates ${params.classes} classes but its labels have ${classes}`,
        expected: String(params.classes),
        actual: String(classes),
      },
    ]
  },
  build: ({ tf }) => ({ forward: ({ x }) => ({ loss: tf.mean(x) }) }),
})

/** Plain SGD on one loss. */
export const testSgd = defineNode({
  type: 'test.sgd',
  version: 1,
  category: 'optim',
  label: 'Test SGD',
  description: 'Gradient descent.',
  inputs: { loss: loss() },
  outputs: {},
  params: {
    learningRate: param.number({ default: 0.1, min: 0, help: 'Step size.' }),
    steps: param.int({ default: 1, min: 1, help: 'Updates per iteration.' }),
    trains: param.nodeRefs({ default: [], help: 'Nodes to update; empty: all upstream.' }),
  },
  inferShapes: () => ok({}),
  createOptimizer: (tf, { learningRate }) => tf.train.sgd(learningRate),
})

/** A view: the mean and row count of its input on held-out data. */
export const testMeanView = defineNode({
  type: 'test.meanView',
  version: 1,
  category: 'view',
  label: 'Test mean view',
  description: 'Mean of a tensor.',
  inputs: { x: tensor() },
  outputs: {},
  params: {},
  inferShapes: () => ok({}),
  summarize: ({ x }) => {
    const data = Array.from(x?.data ?? [])
    const total = data.reduce((sum, value) => sum + value, 0)
    return { kind: 'mean', rows: x?.shape[0] ?? 0, mean: total / Math.max(1, data.length) }
  },
})

export const testRegistry = createRegistry([
  testSource,
  testScale,
  testDistance,
  testSgd,
  testMeanView,
  testClassLoss,
  testResourceSource,
])
