import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initialValue, seedFor } from '../../graph-core/initializers'
import type { ForwardContext } from '../../graph-core/nodeDefinition'
import {
  BATCH_NORM_MOMENTUM,
  NORMALIZATION_EPSILON,
  buildLayer,
  buildNormalization,
  buildStack,
  layerBuilder,
  imageIssue,
  layerCost,
  layerOutputShape,
  stackOutputShape,
  stackSteps,
  stepsCost,
  upsampleNearest,
  vectorOrImageIssue,
  type LayerSpec,
  type VariableFactory,
} from './layers'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Variables as BuildContext creates them, and contexts whose afterStep updates can be run. */
function harness() {
  const variables = new Map<string, tf.Variable>()
  const variable: VariableFactory = (name, shape, init, options) => {
    const created = tf.tidy(() =>
      tf.variable(initialValue(tf, shape, init, seedFor(1, name)), options?.isTrainable ?? true),
    )
    variables.set(name, created)
    return created
  }
  const builder = layerBuilder(tf, variable)
  const updates: (() => void)[] = []
  const context = (split: 'train' | 'heldOut' = 'train', step = 0): ForwardContext => ({
    tf,
    split,
    step,
    seed: 1,
    report: () => undefined,
    afterStep: (update) => updates.push(update),
  })
  const runAfterStep = () => {
    for (const update of updates.splice(0)) tf.tidy(update)
  }
  const dispose = () => {
    builder.dispose()
    tf.dispose([...variables.values()])
  }
  return { variables, builder, context, updates, runAfterStep, dispose }
}

const close = (actual: unknown, expected: readonly number[], digits = 5) => {
  const values = [actual].flat(5) as number[]
  expect(values).toHaveLength(expected.length)
  values.forEach((value, index) => {
    expect(value).toBeCloseTo(expected[index] ?? Number.NaN, digits)
  })
}

const trainableSize = (variables: ReadonlyMap<string, tf.Variable>) =>
  [...variables.values()]
    .filter((variable) => variable.trainable)
    .reduce((total, variable) => total + variable.size, 0)

describe('layerOutputShape', () => {
  it.each<[LayerSpec, number[], number[]]>([
    [{ kind: 'dense', name: 'a', units: 7 }, [10], [7]],
    [{ kind: 'conv2d', name: 'a', filters: 4, kernelSize: 3, stride: 1 }, [8, 6, 2], [8, 6, 4]],
    [{ kind: 'conv2d', name: 'a', filters: 4, kernelSize: 4, stride: 2 }, [8, 8, 1], [4, 4, 4]],
    // Same padding rounds up: ⌈5/2⌉ = 3.
    [{ kind: 'conv2d', name: 'a', filters: 2, kernelSize: 3, stride: 2 }, [5, 7, 1], [3, 4, 2]],
    [
      { kind: 'conv2dTranspose', name: 'a', filters: 3, kernelSize: 4, stride: 2 },
      [4, 5, 8],
      [8, 10, 3],
    ],
    [
      { kind: 'resizeConv2d', name: 'a', filters: 5, kernelSize: 3, scale: 2 },
      [4, 3, 8],
      [8, 6, 5],
    ],
    [{ kind: 'flatten' }, [4, 4, 3], [48]],
    [{ kind: 'reshape', shape: [2, 2, 3] }, [12], [2, 2, 3]],
  ])('%j on %j → %j', (spec, input, output) => {
    expect(layerOutputShape(spec, input)).toEqual(output)
  })

  it('chains a stack', () => {
    const specs: LayerSpec[] = [
      { kind: 'conv2d', name: 'layer0', filters: 2, kernelSize: 4, stride: 2 },
      { kind: 'flatten' },
      { kind: 'dense', name: 'z', units: 3 },
    ]
    expect(stackSteps(specs, [8, 8, 1]).map((step) => step.input)).toEqual([
      [8, 8, 1],
      [4, 4, 2],
      [32],
    ])
    expect(stackOutputShape(specs, [8, 8, 1])).toEqual([3])
  })
})

describe('layerCost', () => {
  it.each<[LayerSpec, number[], number, number]>([
    // 10·4 weights + 4 bias; 2·40 FLOPs.
    [{ kind: 'dense', name: 'a', units: 4 }, [10], 44, 80],
    [{ kind: 'dense', name: 'a', units: 4, hasBias: false }, [10], 40, 80],
    // Normalisation replaces the bias by γ and β: 40 + 2·4.
    [{ kind: 'dense', name: 'a', units: 4, normalization: 'batchNorm' }, [10], 48, 80],
    [{ kind: 'dense', name: 'a', units: 4, normalization: 'layerNorm' }, [10], 48, 80],
    // 3·3·2·4 = 72 weights + 4; 2·72 per output pixel × 8·8.
    [{ kind: 'conv2d', name: 'a', filters: 4, kernelSize: 3, stride: 1 }, [8, 8, 2], 76, 9216],
    // Stride 2: 4·4 output pixels.
    [{ kind: 'conv2d', name: 'a', filters: 4, kernelSize: 3, stride: 2 }, [8, 8, 2], 76, 2304],
    // 4·4·3·2 = 96 weights + 2; 2·96 per input pixel × 4·4.
    [
      { kind: 'conv2dTranspose', name: 'a', filters: 2, kernelSize: 4, stride: 2 },
      [4, 4, 3],
      98,
      3072,
    ],
    // 3·3·3·2 = 54 weights + 2; 2·54 per output pixel × 8·8 (the resize is not counted).
    [{ kind: 'resizeConv2d', name: 'a', filters: 2, kernelSize: 3, scale: 2 }, [4, 4, 3], 56, 6912],
    [{ kind: 'flatten' }, [4, 4, 3], 0, 0],
    [{ kind: 'reshape', shape: [12] }, [3, 4], 0, 0],
  ])('%j on %j: %d parameters, %d FLOPs', (spec, input, parameters, flops) => {
    expect(layerCost(spec, input)).toEqual({ parameters, flops })
  })

  it('counts exactly the trainable scalars a stack creates', () => {
    const specs: LayerSpec[] = [
      {
        kind: 'conv2d',
        name: 'layer0',
        filters: 3,
        kernelSize: 4,
        stride: 2,
        normalization: 'batchNorm',
      },
      {
        kind: 'conv2dTranspose',
        name: 'layer1',
        filters: 2,
        kernelSize: 4,
        stride: 2,
        normalization: 'layerNorm',
      },
      { kind: 'flatten' },
      { kind: 'dense', name: 'out', units: 5 },
    ]
    const { variables, builder, dispose } = harness()
    buildStack(builder, specs, [4, 4, 2])
    // 4·4·2·3 + 2·3 = 102; 4·4·3·2 + 2·2 = 100; 4·4·2·5 + 5 = 165.
    expect(stepsCost(stackSteps(specs, [4, 4, 2])).parameters).toBe(102 + 100 + 165)
    expect(trainableSize(variables)).toBe(102 + 100 + 165)
    dispose()
  })
})

describe('buildLayer', () => {
  it('names variables by layer and keeps batch-norm statistics out of training', () => {
    const { variables, builder, dispose } = harness()
    buildLayer(
      builder,
      { kind: 'dense', name: 'layer0', units: 3, normalization: 'batchNorm' },
      [5],
    )
    buildLayer(builder, { kind: 'dense', name: '', units: 2 }, [3])
    const described = [...variables].map(([name, v]) => [name, v.shape, v.trainable])
    expect(described).toEqual([
      ['layer0/kernel', [5, 3], true],
      ['layer0/gamma', [3], true],
      ['layer0/beta', [3], true],
      ['layer0/movingMean', [3], false],
      ['layer0/movingVariance', [3], false],
      ['bias', [2], true],
      ['kernel', [3, 2], true],
    ])
    dispose()
  })

  it('starts kernels Glorot-uniform and biases at zero', () => {
    const { variables, builder, dispose } = harness()
    buildLayer(builder, { kind: 'dense', name: 'a', units: 40 }, [60])
    const kernel = variables.get('a/kernel')?.dataSync() ?? []
    const limit = Math.sqrt(6 / (60 + 40))
    expect(Math.max(...kernel)).toBeLessThanOrEqual(limit)
    expect(Math.max(...kernel)).toBeGreaterThan(limit * 0.9)
    expect(Math.min(...kernel)).toBeLessThan(-limit * 0.9)
    expect([...(variables.get('a/bias')?.dataSync() ?? [1])].every((value) => value === 0)).toBe(
      true,
    )
    dispose()
  })

  it('convolves with same padding (3×3 kernel, stride 1)', () => {
    const { variables, builder, context, dispose } = harness()
    const layer = buildLayer(
      builder,
      { kind: 'conv2d', name: '', filters: 1, kernelSize: 3, stride: 1, activation: 'relu' },
      [2, 2, 1],
    )
    variables.get('kernel')?.assign(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]))
    variables.get('bias')?.assign(tf.tensor1d([-40]))
    const y = layer(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), context())
    // x = [[1, 2], [3, 4]] sits under kernel rows/cols 1..2 for the top-left output:
    // 1·5 + 2·6 + 3·8 + 4·9 = 77; top-right 1·4 + 2·5 + 3·7 + 4·8 = 67; bottom row 47, 37.
    close(y.arraySync(), [77 - 40, 67 - 40, 47 - 40, 0])
    dispose()
  })

  it('upsamples with a transposed convolution (4×4 kernel, stride 2)', () => {
    const { variables, builder, context, dispose } = harness()
    const layer = buildLayer(
      builder,
      { kind: 'conv2dTranspose', name: 'up', filters: 1, kernelSize: 4, stride: 2 },
      [1, 1, 1],
    )
    variables.get('up/kernel')?.assign(
      tf.tensor4d(
        Array.from({ length: 16 }, (_, index) => index),
        [4, 4, 1, 1],
      ),
    )
    variables.get('up/bias')?.assign(tf.tensor1d([0.5]))
    const y = layer(tf.tensor4d([2], [1, 1, 1, 1]), context())
    expect(y.shape).toEqual([1, 2, 2, 1])
    // Same padding puts the input under kernel rows/cols 1..2: y[i][j] = 2·K[i+1][j+1] + 0.5.
    close(y.arraySync(), [2 * 5 + 0.5, 2 * 6 + 0.5, 2 * 9 + 0.5, 2 * 10 + 0.5])
    dispose()
  })

  it('upsamples by nearest neighbour, then convolves (3×3 kernel, stride 1)', () => {
    const { variables, builder, context, dispose } = harness()
    const layer = buildLayer(
      builder,
      { kind: 'resizeConv2d', name: 'up', filters: 1, kernelSize: 3, scale: 2 },
      [1, 2, 1],
    )
    // Only the centre tap and its right neighbour: y[i][j] = 2·u[i][j] + u[i][j+1] − 1.
    variables.get('up/kernel')?.assign(tf.tensor4d([0, 0, 0, 0, 2, 1, 0, 0, 0], [3, 3, 1, 1]))
    variables.get('up/bias')?.assign(tf.tensor1d([-1]))
    const y = layer(tf.tensor4d([3, 5], [1, 1, 2, 1]), context())
    expect(y.shape).toEqual([1, 2, 4, 1])
    // u rows are [3, 3, 5, 5] twice; the last column's neighbour is padding (0).
    close(y.arraySync(), [8, 10, 14, 9, 8, 10, 14, 9])
    dispose()
  })

  it('flattens and reshapes per sample', () => {
    const { builder, context, dispose } = harness()
    const stack = buildStack(
      builder,
      [{ kind: 'flatten' }, { kind: 'reshape', shape: [3, 2] }],
      [2, 3],
    )
    const y = stack(tf.range(0, 12).reshape([2, 2, 3]), context())
    expect(y.shape).toEqual([2, 3, 2])
    expect((y.arraySync() as number[][][])[1]).toEqual([
      [6, 7],
      [8, 9],
      [10, 11],
    ])
    dispose()
  })
})

describe('upsampleNearest', () => {
  it('copies each pixel into an s×s block, channels kept apart', () => {
    // One sample, 2×1 pixels, 2 channels: pixel 0 = (1, 10), pixel 1 = (2, 20).
    const x = tf.tensor4d([1, 10, 2, 20], [1, 2, 1, 2])
    const y = upsampleNearest(tf, x, 3)
    expect(y.shape).toEqual([1, 6, 3, 2])
    const rows = (y.arraySync() as number[][][][])[0] ?? []
    expect(rows.map((row) => row.map((pixel) => pixel.join('/')).join(' '))).toEqual([
      ...Array<string>(3).fill('1/10 1/10 1/10'),
      ...Array<string>(3).fill('2/20 2/20 2/20'),
    ])
  })

  it('sums the gradient of each s×s block back onto its pixel', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [2, 1, 2, 1])
    const weights = tf.range(0, 16).reshape([2, 2, 4, 1])
    const gradient = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(upsampleNearest(tf, input, 2), weights)),
    )(x)
    // Sample 0: blocks of columns 0–1 and 2–3 of rows 0–1: 0+1+4+5 = 10, 2+3+6+7 = 18;
    // sample 1: 8+9+12+13 = 42, 10+11+14+15 = 50.
    close(gradient.arraySync(), [10, 18, 42, 50])
  })

  it('is the identity for scale 1', () => {
    const x = tf.tensor4d([1, 2], [1, 1, 2, 1])
    expect(upsampleNearest(tf, x, 1)).toBe(x)
  })
})

describe('batch norm', () => {
  const x = () =>
    tf.tensor2d([
      [1, 10],
      [3, 30],
    ])
  // Batch mean [2, 20], biased variance [1, 100].
  const normalized = (value: number, mean: number, variance: number) =>
    (value - mean) / Math.sqrt(variance + NORMALIZATION_EPSILON)

  it('uses batch statistics while training and running ones on held-out data', () => {
    const { builder, context, updates, dispose } = harness()
    const norm = buildNormalization(builder, 'layer0', 'batchNorm', 2)
    close(norm(x(), context('train')).arraySync(), [
      normalized(1, 2, 1),
      normalized(10, 20, 100),
      normalized(3, 2, 1),
      normalized(30, 20, 100),
    ])
    updates.splice(0)
    // Running statistics start at mean 0, variance 1.
    close(norm(x(), context('heldOut')).arraySync(), [
      normalized(1, 0, 1),
      normalized(10, 0, 1),
      normalized(3, 0, 1),
      normalized(30, 0, 1),
    ])
    expect(updates).toHaveLength(0)
    dispose()
  })

  it('moves the running statistics after the step, momentum 0.9', () => {
    const { variables, builder, context, runAfterStep, dispose } = harness()
    const norm = buildNormalization(builder, 'layer0', 'batchNorm', 2)
    const pass = context('train')
    norm(x(), pass)
    // Not before the optimizer step.
    close(variables.get('layer0/movingMean')?.arraySync(), [0, 0])
    runAfterStep()
    const momentum = BATCH_NORM_MOMENTUM
    close(variables.get('layer0/movingMean')?.arraySync(), [
      (1 - momentum) * 2,
      (1 - momentum) * 20,
    ])
    close(variables.get('layer0/movingVariance')?.arraySync(), [
      momentum + (1 - momentum) * 1,
      momentum + (1 - momentum) * 100,
    ])
    close(norm(x(), context('heldOut')).arraySync(), [
      normalized(1, 0.2, 1),
      normalized(10, 2, 10.9),
      normalized(3, 0.2, 1),
      normalized(30, 2, 10.9),
    ])
    dispose()
  })

  it('folds in every application of a shared layer in one pass', () => {
    const { variables, builder, context, runAfterStep, dispose } = harness()
    const norm = buildNormalization(builder, 'n', 'batchNorm', 1)
    // The compiler gives each application its own context within one step.
    norm(tf.tensor2d([[1], [3]]), context('train', 4)) // mean 2
    norm(tf.tensor2d([[10], [10]]), context('train', 4)) // mean 10
    runAfterStep()
    close(variables.get('n/movingMean')?.arraySync(), [0.9 * 0.1 * 2 + 0.1 * 10])
    dispose()
  })

  it('normalises images per channel over batch, height and width', () => {
    const { builder, context, dispose } = harness()
    const norm = buildNormalization(builder, 'n', 'batchNorm', 2)
    // Channel 0 holds 0..3, channel 1 is constant 5: after the norm 0 everywhere.
    const images = tf.tensor4d([0, 5, 1, 5, 2, 5, 3, 5], [1, 2, 2, 2])
    const y = norm(images, context()).arraySync()
    const variance = 1.25
    close(
      y,
      [0, 1, 2, 3].flatMap((value) => [normalized(value, 1.5, variance), 0]),
    )
    dispose()
  })

  it('keeps the tensor count flat, with or without the after-step updates', () => {
    const { builder, context, runAfterStep, updates, dispose } = harness()
    const norm = buildNormalization(builder, 'n', 'batchNorm', 2)
    const input = x()
    let step = 0
    const pass = (isStepped: boolean) => {
      tf.dispose(tf.tidy(() => norm(input, context('train', step))))
      if (isStepped) runAfterStep()
      else updates.splice(0) // an abandoned pass: its kept statistics must not pile up
      step += 1
    }
    pass(true)
    const before = tf.memory().numTensors
    for (let index = 0; index < 5; index++) pass(true)
    expect(tf.memory().numTensors).toBe(before)
    pass(false)
    const pending = tf.memory().numTensors
    // Mean and variance of one abandoned pass wait; the next step's pass frees them.
    expect(pending).toBe(before + 2)
    for (let index = 0; index < 5; index++) pass(false)
    expect(tf.memory().numTensors).toBe(pending)
    pass(true)
    expect(tf.memory().numTensors).toBe(before)
    input.dispose()
    dispose()
  })

  it('frees statistics still waiting when the node is disposed', () => {
    const { builder, context, updates, dispose } = harness()
    const norm = buildNormalization(builder, 'n', 'batchNorm', 2)
    const input = x()
    const before = tf.memory().numTensors
    tf.dispose(tf.tidy(() => norm(input, context('train'))))
    expect(tf.memory().numTensors).toBe(before + 2)
    builder.dispose()
    expect(tf.memory().numTensors).toBe(before)
    // A late update finds nothing to fold and does not throw.
    for (const update of updates.splice(0)) update()
    input.dispose()
    dispose()
  })
})

describe('layer norm', () => {
  it('normalises each sample over all its features', () => {
    const { variables, builder, context, updates, dispose } = harness()
    const norm = buildNormalization(builder, 'n', 'layerNorm', 2)
    const y = norm(
      tf.tensor2d([
        [1, 3],
        [10, 30],
      ]),
      context(),
    )
    const scale = (variance: number) => 1 / Math.sqrt(variance + NORMALIZATION_EPSILON)
    close(y.arraySync(), [-scale(1), scale(1), -10 * scale(100), 10 * scale(100)])
    expect([...variables.keys()]).toEqual(['n/gamma', 'n/beta'])
    expect(updates).toHaveLength(0)
    dispose()
  })

  it('applies gain and offset per channel on images', () => {
    const { variables, builder, context, dispose } = harness()
    const norm = buildNormalization(builder, 'n', 'layerNorm', 2)
    variables.get('n/gamma')?.assign(tf.tensor1d([2, 3]))
    variables.get('n/beta')?.assign(tf.tensor1d([0, 1]))
    // One sample [1, 1, 2]: values 1 and 3, mean 2, variance 1.
    const y = norm(tf.tensor4d([1, 3], [1, 1, 1, 2]), context())
    const unit = 1 / Math.sqrt(1 + NORMALIZATION_EPSILON)
    close(y.arraySync(), [-2 * unit, 3 * unit + 1])
    dispose()
  })
})

describe('shape issues', () => {
  it.each([
    [[8, 8, 1], 2, undefined],
    [[8, 12, 3], 2, undefined],
    [[6, 8, 1], 2, { expected: '[h, w, c] with h and w divisible by 4', actual: '[6, 8, 1]' }],
    [[8, 8, 1], 4, { expected: '[h, w, c] with h and w divisible by 16', actual: '[8, 8, 1]' }],
    [[64], 1, { expected: '[h, w, c]', actual: '[64]' }],
  ])('imageIssue %j after %d halvings', (shape, halvings, issue) => {
    const result = imageIssue('x', shape, halvings, 'This')
    if (issue === undefined) expect(result).toBeUndefined()
    else expect(result).toEqual(expect.objectContaining({ port: 'x', ...issue }))
  })

  it.each([
    [[3], true],
    [[2, 2, 1], true],
    [[2, 2], false],
    [[], false],
  ])('vectorOrImageIssue %j accepts: %s', (shape, isAccepted) => {
    expect(vectorOrImageIssue('x', shape, 'This') === undefined).toBe(isAccepted)
  })
})

describe('gradients', () => {
  it('reach every trainable variable through normalised layers', () => {
    const { variables, builder, context, dispose } = harness()
    const stack = buildStack(
      builder,
      [
        {
          kind: 'conv2d',
          name: 'layer0',
          filters: 3,
          kernelSize: 3,
          stride: 2,
          activation: 'relu',
          normalization: 'batchNorm',
        },
        {
          kind: 'conv2dTranspose',
          name: 'layer1',
          filters: 2,
          kernelSize: 4,
          stride: 2,
          activation: 'tanh',
          normalization: 'layerNorm',
        },
        { kind: 'flatten' },
        { kind: 'dense', name: 'out', units: 1, activation: 'sigmoid' },
      ],
      [4, 4, 1],
    )
    const input = tf.randomNormal([3, 4, 4, 1], 0, 1, 'float32', 2)
    const trainable = [...variables.values()].filter((v) => v.trainable)
    const { value, grads } = tf.variableGrads(
      () => tf.sum<tf.Scalar>(stack(input, context())),
      trainable,
    )
    expect(Object.keys(grads)).toHaveLength(trainable.length)
    for (const variable of trainable) {
      const grad = grads[variable.name]
      expect(grad?.dataSync().every(Number.isFinite)).toBe(true)
      expect(grad?.abs().sum().dataSync()[0]).toBeGreaterThan(0)
    }
    // layer0: kernel, γ, β; layer1: kernel, γ, β; out: kernel, bias.
    expect(trainable).toHaveLength(8)
    tf.dispose([value, input, ...Object.values(grads)])
    dispose()
  })
})
