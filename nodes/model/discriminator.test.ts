import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockTestKit, close } from '../testing/blockTestKit'
import { loadDocument } from '../../graph-core/loader'
import { createRegistry } from '../../graph-core/registry'
import { buildNode, runNode } from '../../graph-core/runNode'
import { graph } from '../../graph-core/testing/graphBuilder'
import type { Shape } from '../../graph-core/shapes'
import { discriminator } from './discriminator'

const { params, trainable, expectUsefulGradients, expectSharedApplications } = blockTestKit(
  tf,
  discriminator,
)

/** inferShapes as the analysis calls it: an unconnected optional port has no shape. */
const infer = (inputs: { x: Shape; condition?: Shape }, saved: Record<string, unknown>) =>
  discriminator.inferShapes(inputs as { x: Shape; condition: Shape }, params(saved))

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.discriminator shapes', () => {
  it.each([
    [{ x: [2] }, {}],
    [{ x: [8, 8, 1] }, {}],
    [{ x: [8, 8, 1], condition: [3] }, {}],
    [{ x: [8, 8, 1] }, { form: 'conv', channels: [2, 4] }],
    [{ x: [8, 4, 3] }, { form: 'conv', channels: [2, 4] }],
    [
      { x: [8, 8, 1], condition: [8, 8, 2] },
      { form: 'conv', channels: [2, 4] },
    ],
  ])('%j with %j → logit [1]', (inputs, saved) => {
    expect(infer(inputs, saved)).toEqual({ outputs: { logit: [1], classLogits: [0] } })
  })

  it.each([
    [{ x: [2] }, { classes: 10 }],
    [{ x: [8, 8, 1] }, { form: 'conv', channels: [2, 4], classes: 3 }],
  ])('%j with %j → logit [1] and a class logit per class', (inputs, saved) => {
    expect(infer(inputs, saved)).toEqual({
      outputs: { logit: [1], classLogits: [saved.classes] },
    })
  })

  it.each([
    [{ x: [8, 8, 1] }, { form: 'conv', channels: [2, 4], output: 'patches' }, [2, 2, 1]],
    [{ x: [32, 16, 3] }, { form: 'conv', channels: [2, 4, 8], output: 'patches' }, [4, 2, 1]],
    // The MLP form has no patches: one logit.
    [{ x: [8, 8, 1] }, { output: 'patches' }, [1]],
  ])('%j with %j → logit %j', (inputs, saved, logit) => {
    expect(infer(inputs, saved)).toEqual({ outputs: { logit, classLogits: [0] } })
  })

  it.each([
    [{ x: [2, 2] }, {}, 'x', '[n] or [h, w, c]', '[2, 2]'],
    [{ x: [4], condition: [3, 3] }, {}, 'condition', '[n] or [h, w, c]', '[3, 3]'],
    [{ x: [2] }, { form: 'conv' }, 'x', '[h, w, c]', '[2]'],
    [{ x: [6, 6, 1] }, { form: 'conv' }, 'x', '[h, w, c] with h and w divisible by 4', '[6, 6, 1]'],
    [
      { x: [8, 8, 1], condition: [4, 4, 1] },
      { form: 'conv' },
      'condition',
      '[8, 8, c]',
      '[4, 4, 1]',
    ],
    [{ x: [8, 8, 1], condition: [64] }, { form: 'conv' }, 'condition', '[8, 8, c]', '[64]'],
    [
      { x: [8, 8, 1] },
      { form: 'conv', output: 'patches', classes: 10 },
      'x',
      'output: single',
      'output: patches',
    ],
  ])('refuses %j with %j', (inputs, saved, port, expected, actual) => {
    expect(infer(inputs, saved)).toEqual({
      issues: [expect.objectContaining({ port, expected, actual })],
    })
  })
})

describe('model.discriminator cost', () => {
  it.each([
    // 2 → 4 (12) → 1 (5).
    [{ x: [2] }, { hidden: [4] }, 17, 2 * (8 + 4)],
    // Flattened x and condition joined: 16 + 4 = 20 → 3 (63) → 1 (4).
    [{ x: [4, 4, 1], condition: [4] }, { hidden: [3] }, 67, 2 * (60 + 3)],
    // x and condition on channels: 4×4 conv 2→2 (66) at 4×4, flatten 32 → 1 (33).
    [
      { x: [8, 8, 1], condition: [8, 8, 1] },
      { form: 'conv', channels: [2] },
      99,
      2 * 64 * 16 + 2 * 32,
    ],
    // Batch norm after the first layer: 4×4 conv 2→2 64 + 2 bias, then 4×4 conv 2→4 128 + 8
    // (γ, β) at 2×2, flatten 16 → 1 (17).
    [
      { x: [8, 8, 2] },
      { form: 'conv', channels: [2, 4], normalization: 'batchNorm' },
      66 + 136 + 17,
      2 * 64 * 16 + 2 * 128 * 4 + 2 * 16,
    ],
    // Also on the first layer: γ, β instead of its bias, 64 + 4.
    [
      { x: [8, 8, 2] },
      { form: 'conv', channels: [2, 4], normalization: 'batchNorm', isFirstLayerNormalized: true },
      68 + 136 + 17,
      2 * 64 * 16 + 2 * 128 * 4 + 2 * 16,
    ],
    // Patches: 4×4 conv 1→2 (34) to 4×4, then a 3×3 conv 2→1 (19) at every one of the 16
    // positions instead of flatten and dense.
    [
      { x: [8, 8, 1] },
      { form: 'conv', channels: [2], output: 'patches' },
      34 + 19,
      2 * 32 * 16 + 2 * 18 * 16,
    ],
    // The MLP form alike: 2 → 4 (12, no normalisation) → 3 (12 + 6) → 1 (4).
    [{ x: [2] }, { hidden: [4, 3], normalization: 'layerNorm' }, 12 + 18 + 4, 2 * (8 + 12 + 3)],
    // Three classes: 2 → 4 (12) → 3 class logits (15); the log-sum-exp has no weights.
    [{ x: [2] }, { hidden: [4], classes: 3 }, 12 + 15, 2 * (8 + 12)],
  ])('%j with %j: %d parameters, %d FLOPs', (inputs, saved, parameters, flops) => {
    expect(discriminator.cost?.(inputs as { x: Shape; condition: Shape }, params(saved))).toEqual({
      parameters,
      flops,
    })
    const tensors = Object.fromEntries(
      Object.entries(inputs).map(([port, shape]) => [port, tf.zeros([2, ...shape])]),
    )
    expect(trainable({ params: saved, inputs: tensors }).size).toBe(parameters)
  })
})

describe('model.discriminator forward', () => {
  it('gives a raw logit from the joined input (no sigmoid)', () => {
    const run = runNode(tf, discriminator, {
      params: { hidden: [] },
      inputs: { x: tf.tensor2d([[1, 2]]), condition: tf.tensor2d([[3]]) },
      weights: { 'logit/kernel': tf.tensor2d([[1], [-2], [-1]]), 'logit/bias': tf.tensor1d([0.5]) },
    })
    // 1 − 4 − 3 + 0.5.
    close(run.outputs.logit?.arraySync(), [-5.5])
    run.dispose()
  })

  it('gives class logits and their log-sum-exp as the logit when semi-supervised', () => {
    const run = runNode(tf, discriminator, {
      params: { hidden: [], classes: 3 },
      inputs: { x: tf.tensor2d([[1, 2]]) },
      weights: {
        'logit/kernel': tf.tensor2d([
          [1, 0, -1],
          [0, 1, 1],
        ]),
        'logit/bias': tf.tensor1d([0, 0, -1]),
      },
    })
    // Class logits 1, 2, 0; log(e + e² + 1) = 2.4076059644.
    close(run.outputs.classLogits?.arraySync(), [1, 2, 0])
    close(run.outputs.logit?.arraySync(), [2.4076059644])
    run.dispose()
  })

  it('keeps the logit finite for class logits far from 0', () => {
    const run = runNode(tf, discriminator, {
      params: { hidden: [], classes: 2 },
      inputs: { x: tf.tensor2d([[1]]) },
      weights: { 'logit/kernel': tf.tensor2d([[100, 100]]), 'logit/bias': tf.tensor1d([0, 0]) },
    })
    // log(2·e¹⁰⁰) = 100 + log 2, where exp(100) alone overflows float32.
    close(run.outputs.logit?.arraySync(), [100.6931471806], 3)
    run.dispose()
  })

  it('joins the condition on channels in the conv form', () => {
    const run = runNode(tf, discriminator, {
      params: { form: 'conv', channels: [1], activation: 'linear' },
      inputs: {
        x: tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]),
        condition: tf.tensor4d([1, 1, 1, 1], [1, 2, 2, 1]),
      },
      weights: {
        // Channel 0 (x) by K[r][c] = 4r + c; channel 1 (condition) by 10 at the top-left tap.
        'layer0/kernel': tf.tensor4d(
          Array.from({ length: 16 }, (_, index) => [index, index === 5 ? 10 : 0]).flat(),
          [4, 4, 2, 1],
        ),
        'layer0/bias': tf.tensor1d([0]),
        'logit/kernel': tf.tensor2d([[-1]]),
        'logit/bias': tf.tensor1d([0]),
      },
    })
    // x: 1·5 + 2·6 + 3·9 + 4·10 = 84; condition: 10 at the tap over pixel (0, 0).
    close(run.outputs.logit?.arraySync(), [-94])
    run.dispose()
  })

  it('scores every patch with a 3×3 convolution of the last feature map', () => {
    const run = runNode(tf, discriminator, {
      params: { form: 'conv', channels: [1], activation: 'linear', output: 'patches' },
      inputs: {
        x: tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]),
      },
      weights: {
        // Only the tap over the top-left pixel of each 2×2 block (same padding puts it at [1][1]).
        'layer0/kernel': tf.tensor4d(
          Array.from({ length: 16 }, (_, index) => (index === 5 ? 1 : 0)),
          [4, 4, 1, 1],
        ),
        'layer0/bias': tf.tensor1d([0]),
        // The patch logit: 2 × the centre, − the right neighbour, + 0.5.
        'logit/kernel': tf.tensor4d([0, 0, 0, 0, 2, -1, 0, 0, 0], [3, 3, 1, 1]),
        'logit/bias': tf.tensor1d([0.5]),
      },
    })
    // Features: the top-left pixel of each block, [[1, 3], [9, 11]]; the right column has a
    // zero-padded neighbour. Logits: 2·1 − 3, 2·3 − 0, 2·9 − 11, 2·11 − 0, each + 0.5.
    expect(run.outputs.logit?.shape).toEqual([1, 2, 2, 1])
    close(run.outputs.logit?.arraySync(), [-0.5, 6.5, 7.5, 22.5])
    run.dispose()
  })

  it('handles a batch of one in both forms, with and without a condition', () => {
    for (const form of ['mlp', 'conv']) {
      for (const hasCondition of [false, true]) {
        const image = () => tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 4)
        const run = runNode(tf, discriminator, {
          params: {
            form,
            channels: [2],
            hidden: [3],
            normalization: 'batchNorm',
            isFirstLayerNormalized: true,
          },
          inputs: hasCondition ? { x: image(), condition: image() } : { x: image() },
        })
        expect(run.outputs.logit?.shape).toEqual([1, 1])
        expect(run.outputs.logit?.dataSync().every(Number.isFinite)).toBe(true)
        run.dispose()
      }
    }
  })
})

describe('model.discriminator gradients', () => {
  it.each([
    [{ hidden: [5, 4] }, false],
    [{ form: 'conv', channels: [2, 3], normalization: 'batchNorm' }, true],
    [
      { form: 'conv', channels: [2], normalization: 'layerNorm', isFirstLayerNormalized: true },
      false,
    ],
  ] as const)('reach every trainable variable: %j, condition %s', (saved, hasCondition) => {
    const image = (seed: number) => tf.randomNormal([3, 4, 4, 1], 0, 1, 'float32', seed)
    expectUsefulGradients(
      {
        params: saved,
        inputs: hasCondition ? { x: image(1), condition: image(2) } : { x: image(1) },
      },
      ['logit'],
    )
  })

  it('reach every trainable variable through the class logits alone', () => {
    expectUsefulGradients(
      {
        params: { form: 'conv', channels: [2, 3], normalization: 'batchNorm', classes: 4 },
        inputs: { x: tf.randomNormal([3, 4, 4, 1], 0, 1, 'float32', 1) },
      },
      ['classLogits'],
    )
  })
})

describe('model.discriminator weight sharing', () => {
  it('scores real and fake with the same variables', () => {
    const image = (batch: number, seed: number) =>
      tf.randomNormal([batch, 4, 4, 1], 0, 1, 'float32', seed)
    expectSharedApplications(
      {
        params: { form: 'conv', channels: [2] },
        inputs: { x: image(1, 0), condition: image(1, 0) },
      },
      { x: image(2, 1), condition: image(2, 2) },
      { x: image(3, 3), condition: image(3, 4) },
      'logit',
      'layer0/kernel',
    )
  })

  it('keeps the tensor count flat while training with batch norm', () => {
    const node = buildNode(tf, discriminator, {
      params: { form: 'conv', channels: [2, 2], normalization: 'batchNorm' },
      inputs: { x: tf.zeros([1, 4, 4, 1]) },
    })
    const real = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 3)
    const fake = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 4)
    // buildNode runs one application per forward: each is followed by its after-step update.
    const pass = () => {
      for (const x of [real, fake]) {
        tf.dispose(Object.values(node.forward({ x }).outputs))
        node.runAfterStep()
      }
    }
    pass()
    const tensors = tf.memory().numTensors
    for (let index = 0; index < 3; index++) pass()
    expect(tf.memory().numTensors).toBe(tensors)
    tf.dispose([real, fake])
    node.dispose()
  })
})

describe('model.discriminator version 2', () => {
  it('keeps a version-1 graph normalising its first layer, and new graphs leave it out', () => {
    const registry = createRegistry([discriminator])
    const load = (params: Record<string, unknown>, typeVersion: number) => {
      const document = graph().node('disc', 'model.discriminator', params, { typeVersion }).build()
      const result = loadDocument(document, registry)
      if (!result.ok) throw new Error('not loaded')
      return result.document.nodes[0]
    }
    const saved = { form: 'conv', normalization: 'batchNorm' }
    expect(load(saved, 1)).toMatchObject({
      typeVersion: 2,
      params: { ...saved, isFirstLayerNormalized: true },
    })
    // The loader fills the default, false, where the migration sets nothing.
    expect(load({ form: 'conv' }, 1)?.params).toMatchObject({ isFirstLayerNormalized: false })
    expect(load(saved, 2)?.params).toMatchObject({ isFirstLayerNormalized: false })
  })
})
