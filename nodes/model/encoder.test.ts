import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AnyNodeDefinition } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import { buildNode, nodeGradients, runNode, type RunNodeOptions } from '../../graph-core/runNode'
import { encoder } from './encoder'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const params = (saved: Record<string, unknown> = {}) => resolveParams(encoder.params, saved).values

const close = (actual: unknown, expected: readonly number[], digits = 4) => {
  const values = [actual].flat(5) as number[]
  expect(values).toHaveLength(expected.length)
  values.forEach((value, index) => {
    expect(value).toBeCloseTo(expected[index] ?? Number.NaN, digits)
  })
}

function trainable(definition: AnyNodeDefinition, options: RunNodeOptions) {
  const node = buildNode(tf, definition, options)
  const entries = [...node.variables].filter(([, variable]) => variable.trainable)
  const result = {
    names: entries.map(([name]) => name),
    size: entries.reduce((total, [, variable]) => total + variable.size, 0),
  }
  node.dispose()
  return result
}

/** Every trainable variable gets a finite gradient, non-zero for at least one of the outputs. */
function expectUsefulGradients(options: RunNodeOptions, outputs: readonly string[]) {
  const { names } = trainable(encoder, options)
  const magnitudes = new Map(names.map((name) => [name, 0]))
  for (const output of outputs) {
    const grads = nodeGradients(tf, encoder, { ...options, output, wrt: names })
    for (const [name, grad] of Object.entries(grads)) {
      expect(grad.dataSync().every(Number.isFinite), name).toBe(true)
      magnitudes.set(name, (magnitudes.get(name) ?? 0) + (grad.abs().sum().dataSync()[0] ?? 0))
    }
    tf.dispose(Object.values(grads))
  }
  for (const [name, magnitude] of magnitudes) expect(magnitude, name).toBeGreaterThan(0)
}

describe('model.encoder shapes', () => {
  it.each([
    [{ x: [20] }, {}, { z: [32], logVariance: [0] }],
    [{ x: [8, 8, 1] }, { latentDim: 4, isVariational: true }, { z: [4], logVariance: [4] }],
    [{ x: [8, 8, 1] }, { form: 'conv' }, { z: [32], logVariance: [0] }],
    [{ x: [12, 8, 3] }, { form: 'conv', latentDim: 2 }, { z: [2], logVariance: [0] }],
    [{ x: [8, 8, 1] }, { form: 'conv', channels: [2, 2, 2] }, { z: [32], logVariance: [0] }],
    [{ x: [5] }, { hidden: [], isVariational: true }, { z: [32], logVariance: [32] }],
  ])('%j with %j → %j', (inputs, saved, outputs) => {
    expect(encoder.inferShapes(inputs, params(saved))).toEqual({ outputs })
  })

  it.each([
    [{ x: [4, 4] }, {}, '[n] or [h, w, c]', '[4, 4]'],
    [{ x: [] }, {}, '[n] or [h, w, c]', '[]'],
    [{ x: [64] }, { form: 'conv' }, '[h, w, c]', '[64]'],
    [{ x: [6, 8, 1] }, { form: 'conv' }, '[h, w, c] with h and w divisible by 4', '[6, 8, 1]'],
    [
      { x: [8, 12, 1] },
      { form: 'conv', channels: [4, 4, 4] },
      '[h, w, c] with h and w divisible by 8',
      '[8, 12, 1]',
    ],
  ])('refuses %j with %j', (inputs, saved, expected, actual) => {
    expect(encoder.inferShapes(inputs, params(saved))).toEqual({
      issues: [expect.objectContaining({ port: 'x', expected, actual })],
    })
  })

  it('names the port in the build error', () => {
    expect(() =>
      runNode(tf, encoder, { params: { form: 'conv' }, inputs: { x: tf.zeros([1, 6, 6, 1]) } }),
    ).toThrow(
      /input x: .*divide by 4.*expected \[h, w, c\] with h and w divisible by 4, got \[6, 6, 1\]/,
    )
  })
})

describe('model.encoder cost', () => {
  it.each([
    // 8·8·1 = 64 → 16 → 4: 64·16 + 16 + 16·4 + 4.
    [{ x: [8, 8, 1] }, { hidden: [16], latentDim: 4 }, 1108, 2 * (64 * 16 + 16 * 4)],
    // A second head: + 16·4 + 4.
    [
      { x: [8, 8, 1] },
      { hidden: [16], latentDim: 4, isVariational: true },
      1176,
      2 * (64 * 16 + 2 * 16 * 4),
    ],
    // Norm replaces the hidden bias by γ, β: 64·16 + 32 + 16·4 + 4.
    [{ x: [8, 8, 1] }, { hidden: [16], latentDim: 4, normalization: 'layerNorm' }, 1124, 2176],
    // Conv 4×4 1→2 (34) at 4×4, 2→4 (132) at 2×2, flatten 16, dense → 3 (51).
    [
      { x: [8, 8, 1] },
      { form: 'conv', channels: [2, 4], latentDim: 3 },
      217,
      2 * (16 * 2 * 16) + 2 * (16 * 2 * 4 * 4) + 2 * 16 * 3,
    ],
    // Batch norm: 32 + 4, 128 + 8, 51.
    [
      { x: [8, 8, 1] },
      { form: 'conv', channels: [2, 4], latentDim: 3, normalization: 'batchNorm' },
      223,
      2144,
    ],
  ])('%j with %j: %d parameters, %d FLOPs', (inputs, saved, parameters, flops) => {
    expect(encoder.cost?.(inputs, params(saved))).toEqual({ parameters, flops })
    expect(
      trainable(encoder, { params: saved, inputs: { x: tf.zeros([2, ...inputs.x]) } }).size,
    ).toBe(parameters)
  })

  it('costs nothing it cannot build', () => {
    expect(encoder.cost?.({ x: [6, 6, 1] }, params({ form: 'conv' }))).toEqual({
      parameters: 0,
      flops: 0,
    })
  })
})

describe('model.encoder variables', () => {
  it('names layers in order and heads after their outputs', () => {
    const node = buildNode(tf, encoder, {
      params: { form: 'conv', channels: [2, 4], normalization: 'batchNorm', isVariational: true },
      inputs: { x: tf.zeros([1, 8, 8, 1]) },
    })
    expect([...node.variables.keys()].sort()).toEqual(
      [
        'layer0/kernel',
        'layer0/gamma',
        'layer0/beta',
        'layer0/movingMean',
        'layer0/movingVariance',
        'layer1/kernel',
        'layer1/gamma',
        'layer1/beta',
        'layer1/movingMean',
        'layer1/movingVariance',
        'z/kernel',
        'z/bias',
        'logVariance/kernel',
        'logVariance/bias',
      ].sort(),
    )
    expect(node.variables.get('layer1/kernel')?.shape).toEqual([4, 4, 2, 4])
    expect(node.variables.get('layer1/movingMean')?.trainable).toBe(false)
    node.dispose()
  })
})

describe('model.encoder forward', () => {
  it('computes z = x·W + b and log σ² = x·V + c', () => {
    const run = runNode(tf, encoder, {
      params: { hidden: [], latentDim: 2, isVariational: true },
      inputs: { x: tf.tensor2d([[1, 2, 3]]) },
      weights: {
        'z/kernel': tf.tensor2d([
          [1, 0],
          [0, 1],
          [1, -1],
        ]),
        'z/bias': tf.tensor1d([0.5, 0]),
        'logVariance/kernel': tf.tensor2d([
          [0, 0],
          [1, 0],
          [0, -2],
        ]),
        'logVariance/bias': tf.tensor1d([0, 1]),
      },
    })
    // z = [1 + 3 + 0.5, 2 − 3]; log σ² = [2, −6 + 1].
    close(run.outputs.z?.arraySync(), [4.5, -1])
    close(run.outputs.logVariance?.arraySync(), [2, -5])
    run.dispose()
  })

  it('gives a zero-width log σ² when not variational', () => {
    const run = runNode(tf, encoder, {
      params: { hidden: [3], latentDim: 2 },
      inputs: { x: tf.ones([3, 4]) },
    })
    expect(run.outputs.z?.shape).toEqual([3, 2])
    expect(run.outputs.logVariance?.shape).toEqual([3, 0])
    run.dispose()
  })

  it('convolves, flattens and maps to z (one stride-2 4×4 layer)', () => {
    const run = runNode(tf, encoder, {
      params: { form: 'conv', channels: [1], latentDim: 1 },
      inputs: { x: tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]) },
      weights: {
        'layer0/kernel': tf.tensor4d(
          Array.from({ length: 16 }, (_, index) => index),
          [4, 4, 1, 1],
        ),
        'layer0/bias': tf.tensor1d([-4]),
        'z/kernel': tf.tensor2d([[0.5]]),
        'z/bias': tf.tensor1d([1]),
      },
    })
    // Same padding puts the 2×2 image under kernel rows/cols 1..2: 1·5 + 2·6 + 3·9 + 4·10 = 84;
    // relu(84 − 4) = 80; z = 0.5·80 + 1.
    close(run.outputs.z?.arraySync(), [41])
    run.dispose()
  })

  it('handles a batch of one in both forms', () => {
    for (const form of ['mlp', 'conv']) {
      const run = runNode(tf, encoder, {
        params: { form, channels: [2], hidden: [4], latentDim: 3, normalization: 'batchNorm' },
        inputs: { x: tf.randomUniform([1, 4, 4, 1], 0, 1, 'float32', 3) },
      })
      expect(run.outputs.z?.shape).toEqual([1, 3])
      expect(run.outputs.z?.dataSync().every(Number.isFinite)).toBe(true)
      run.dispose()
    }
  })
})

describe('model.encoder gradients', () => {
  it.each([
    { form: 'mlp', hidden: [6, 5], latentDim: 3, isVariational: true, normalization: 'layerNorm' },
    {
      form: 'conv',
      channels: [3, 4],
      latentDim: 3,
      isVariational: true,
      normalization: 'batchNorm',
    },
    { form: 'conv', channels: [2], latentDim: 2, activation: 'tanh' },
  ])('reach every trainable variable: %j', (saved) => {
    const options = {
      params: saved,
      inputs: { x: tf.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 5) },
    }
    expectUsefulGradients(options, saved.isVariational === true ? ['z', 'logVariance'] : ['z'])
  })
})

describe('model.encoder weight sharing and batch norm', () => {
  const options = (split: 'train' | 'heldOut') => ({
    params: { hidden: [4], latentDim: 2, normalization: 'batchNorm' },
    inputs: { x: tf.randomNormal([4, 3], 0, 1, 'float32', 7) },
    split,
  })

  it('applies the same variables to every input', () => {
    const node = buildNode(tf, encoder, options('heldOut'))
    const anchor = tf.randomNormal([2, 3], 0, 1, 'float32', 8)
    const positive = tf.randomNormal([3, 3], 0, 1, 'float32', 9)
    const tensors = tf.memory().numTensors
    const first = node.forward({ x: anchor }).outputs
    const second = node.forward({ x: positive }).outputs
    const joined = tf.concat([anchor, positive])
    const both = node.forward({ x: joined }).outputs
    close(both.z?.arraySync(), [first.z?.arraySync(), second.z?.arraySync()].flat(3) as number[])
    expect(node.variables.size).toBe(7)
    // Changing one variable changes every application.
    const shifted = tf.tensor1d([10, 10])
    node.variables.get('z/bias')?.assign(shifted)
    const again = node.forward({ x: positive }).outputs
    close(
      again.z?.arraySync(),
      (second.z?.arraySync() as number[][]).flat().map((value) => value + 10),
    )
    tf.dispose([first, second, both, again].flatMap((outputs) => Object.values(outputs)))
    tf.dispose([joined, shifted])
    // Forward creates no variables: nothing but what the test made is left.
    expect(tf.memory().numTensors).toBe(tensors)
    node.dispose()
  })

  it('uses batch statistics in training and running ones on held-out data', () => {
    const train = runNode(tf, encoder, options('train'))
    const heldOut = runNode(tf, encoder, {
      ...options('heldOut'),
      weights: Object.fromEntries(train.variables),
    })
    const difference = tf.abs(
      tf.sub(train.outputs.z ?? tf.scalar(0), heldOut.outputs.z ?? tf.scalar(0)),
    )
    expect(difference.max().dataSync()[0]).toBeGreaterThan(1e-3)
    const before = train.variables.get('layer0/movingMean')?.arraySync()
    expect(before).toEqual([0, 0, 0, 0])
    train.runAfterStep()
    const after = train.variables.get('layer0/movingMean')?.arraySync() as number[]
    expect(after.some((value) => Math.abs(value) > 1e-4)).toBe(true)
    tf.dispose([difference])
    train.dispose()
    heldOut.dispose()
  })

  it('keeps the tensor count flat over repeated passes', () => {
    const node = buildNode(tf, encoder, {
      ...options('train'),
      params: {
        form: 'conv',
        channels: [2],
        latentDim: 2,
        normalization: 'batchNorm',
        isVariational: true,
      },
      inputs: { x: tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 4) },
    })
    const input = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 4)
    const pass = () => {
      const { outputs, metrics } = node.forward({ x: input })
      tf.dispose([...Object.values(outputs), ...Object.values(metrics)])
      node.runAfterStep()
    }
    pass()
    const tensors = tf.memory().numTensors
    for (let index = 0; index < 4; index++) pass()
    expect(tf.memory().numTensors).toBe(tensors)
    input.dispose()
    node.dispose()
  })
})
