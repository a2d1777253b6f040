import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockTestKit, close } from '../testing/blockTestKit'
import { buildNode, runNode } from '../../graph-core/runNode'
import { decoder } from './decoder'

const { params, trainable, expectUsefulGradients, expectSharedApplications } = blockTestKit(
  tf,
  decoder,
)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.decoder shapes', () => {
  it.each([
    [{ z: [32] }, {}, [28, 28, 1]],
    [{ z: [4] }, { outputShape: [10] }, [10]],
    [{ z: [4] }, { outputShape: [10], hidden: [] }, [10]],
    [{ z: [4] }, { form: 'conv', outputShape: [8, 8, 1], channels: [4, 2] }, [8, 8, 1]],
    [{ z: [4] }, { form: 'conv', outputShape: [12, 8, 3], channels: [4, 2] }, [12, 8, 3]],
    [{ z: [4] }, { form: 'conv', outputShape: [4, 6, 2], channels: [3] }, [4, 6, 2]],
  ])('%j with %j → %j', (inputs, saved, x) => {
    expect(decoder.inferShapes(inputs, params(saved))).toEqual({ outputs: { x } })
  })

  it.each([
    [{ z: [4, 4, 1] }, {}, 'z', '[k]', '[4, 4, 1]'],
    [{ z: [] }, {}, 'z', '[k]', '[]'],
    [{ z: [4] }, { outputShape: [4, 4] }, undefined, '[n] or [h, w, c]', '[4, 4]'],
    [
      { z: [4] },
      { form: 'conv', outputShape: [6, 8, 1] },
      undefined,
      '[h, w, c] with h and w divisible by 4',
      '[6, 8, 1]',
    ],
    [
      { z: [4] },
      { form: 'conv', outputShape: [10] },
      undefined,
      '[h, w, c] with h and w divisible by 4',
      '[10]',
    ],
  ])('refuses %j with %j', (inputs, saved, port, expected, actual) => {
    const result = decoder.inferShapes(inputs, params(saved))
    expect(result).toEqual({ issues: [expect.objectContaining({ expected, actual })] })
    expect('issues' in result && result.issues[0]?.port).toBe(port ?? undefined)
  })
})

describe('model.decoder cost', () => {
  it.each([
    // 4 → 8 (40) → 2·2·1 = 4 (36).
    [{ z: [4] }, { hidden: [8], outputShape: [2, 2, 1] }, 76, 2 * (4 * 8 + 8 * 4)],
    // Layer norm replaces the hidden bias by γ, β: 32 + 16 + 36.
    [{ z: [4] }, { hidden: [8], outputShape: [4], normalization: 'layerNorm' }, 84, 128],
    // Dense 3 → 2·2·4 (64); 4×4 transposed 4→2 at 2×2 (130); 2→1 at 4×4 (33).
    [
      { z: [3] },
      { form: 'conv', outputShape: [8, 8, 1], channels: [4, 2] },
      227,
      2 * 3 * 16 + 2 * (16 * 4 * 2) * 4 + 2 * (16 * 2) * 16,
    ],
    // Batch norm on the hidden layers only: 48 + 32, 128 + 4, 33.
    [
      { z: [3] },
      { form: 'conv', outputShape: [8, 8, 1], channels: [4, 2], normalization: 'batchNorm' },
      245,
      2144,
    ],
    // Resize-convs: dense as above (64); 3×3 conv 4→2 at 4×4 (74); 2→1 at 8×8 (19).
    [
      { z: [3] },
      { form: 'conv', outputShape: [8, 8, 1], channels: [4, 2], upsampling: 'resize' },
      157,
      2 * 3 * 16 + 2 * (9 * 4 * 2) * 16 + 2 * (9 * 2) * 64,
    ],
  ])('%j with %j: %d parameters, %d FLOPs', (inputs, saved, parameters, flops) => {
    expect(decoder.cost?.(inputs, params(saved))).toEqual({ parameters, flops })
    expect(trainable({ params: saved, inputs: { z: tf.zeros([2, ...inputs.z]) } }).size).toBe(
      parameters,
    )
  })

  it('costs nothing it cannot build', () => {
    expect(decoder.cost?.({ z: [4] }, params({ outputShape: [3, 3] }))).toEqual({
      parameters: 0,
      flops: 0,
    })
  })
})

describe('model.decoder variables', () => {
  it('names hidden layers in order and the output layer x', () => {
    const node = buildNode(tf, decoder, {
      params: { form: 'conv', outputShape: [8, 8, 3], channels: [4, 2] },
      inputs: { z: tf.zeros([1, 5]) },
    })
    expect(Object.fromEntries([...node.variables].map(([name, v]) => [name, v.shape]))).toEqual({
      'layer0/kernel': [5, 16],
      'layer0/bias': [16],
      'layer1/kernel': [4, 4, 2, 4],
      'layer1/bias': [2],
      'x/kernel': [4, 4, 3, 2],
      'x/bias': [3],
    })
    node.dispose()
  })
})

describe('model.decoder forward', () => {
  const sigmoid = (value: number) => 1 / (1 + Math.exp(-value))

  it.each([
    ['sigmoid', sigmoid],
    ['tanh', Math.tanh],
    ['linear', (value: number) => value],
  ] as const)('maps z through one dense layer with a %s output', (outputActivation, act) => {
    const run = runNode(tf, decoder, {
      params: { hidden: [], outputShape: [2, 1, 1], outputActivation },
      inputs: { z: tf.tensor2d([[1], [-2]]) },
      weights: { 'x/kernel': tf.tensor2d([[1, -2]]), 'x/bias': tf.tensor1d([0, 0.5]) },
    })
    expect(run.outputs.x?.shape).toEqual([2, 2, 1, 1])
    // z = 1: [1, −1.5]; z = −2: [−2, 4.5].
    close(run.outputs.x?.arraySync(), [act(1), act(-1.5), act(-2), act(4.5)])
    run.dispose()
  })

  it('upsamples a seed image with a transposed convolution', () => {
    const run = runNode(tf, decoder, {
      params: { form: 'conv', outputShape: [2, 2, 1], channels: [1], outputActivation: 'linear' },
      inputs: { z: tf.tensor2d([[2]]) },
      weights: {
        'layer0/kernel': tf.tensor2d([[1.5]]),
        'layer0/bias': tf.tensor1d([1]),
        'x/kernel': tf.tensor4d(
          Array.from({ length: 16 }, (_, index) => index),
          [4, 4, 1, 1],
        ),
        'x/bias': tf.tensor1d([-1]),
      },
    })
    // Seed relu(2·1.5 + 1) = 4 at 1×1; same padding puts it under kernel rows/cols 1..2.
    close(run.outputs.x?.arraySync(), [4 * 5 - 1, 4 * 6 - 1, 4 * 9 - 1, 4 * 10 - 1])
    run.dispose()
  })

  it('handles a batch of one in both forms', () => {
    for (const form of ['mlp', 'conv']) {
      const run = runNode(tf, decoder, {
        params: {
          form,
          outputShape: [4, 4, 2],
          channels: [3, 2],
          hidden: [5],
          normalization: 'batchNorm',
        },
        inputs: { z: tf.randomNormal([1, 3], 0, 1, 'float32', 2) },
      })
      expect(run.outputs.x?.shape).toEqual([1, 4, 4, 2])
      expect(run.outputs.x?.dataSync().every((value) => value >= 0 && value <= 1)).toBe(true)
      run.dispose()
    }
  })
})

describe('model.decoder gradients', () => {
  it.each([
    { hidden: [6, 5], outputShape: [2, 2, 1], normalization: 'layerNorm' },
    { form: 'conv', outputShape: [8, 4, 2], channels: [3, 2], normalization: 'batchNorm' },
    {
      form: 'conv',
      outputShape: [4, 4, 1],
      channels: [2],
      activation: 'elu',
      outputActivation: 'tanh',
    },
    { form: 'conv', outputShape: [8, 4, 1], channels: [3, 2], upsampling: 'resize' },
  ])('reach every trainable variable: %j', (saved) => {
    expectUsefulGradients(
      { params: saved, inputs: { z: tf.randomNormal([3, 4], 0, 1, 'float32', 5) } },
      ['x'],
    )
  })
})

describe('model.decoder weight sharing', () => {
  it.each([
    [{ hidden: [4], outputShape: [2, 2, 1] }, 'train'],
    [
      { form: 'conv', outputShape: [4, 4, 1], channels: [3, 2], normalization: 'batchNorm' },
      'heldOut',
    ],
  ] as const)('%j (%s) applies the same variables to every input', (saved, split) => {
    expectSharedApplications(
      { params: saved, split, inputs: { z: tf.zeros([1, 3]) } },
      { z: tf.randomNormal([2, 3], 0, 1, 'float32', 1) },
      { z: tf.randomNormal([3, 3], 0, 1, 'float32', 2) },
      'x',
      'x/bias',
    )
  })

  it('keeps the tensor count flat while training with batch norm', () => {
    const node = buildNode(tf, decoder, {
      params: {
        form: 'conv',
        outputShape: [4, 4, 1],
        channels: [2, 2],
        normalization: 'batchNorm',
      },
      inputs: { z: tf.zeros([1, 3]) },
    })
    const z = tf.randomNormal([2, 3], 0, 1, 'float32', 3)
    const pass = () => {
      tf.dispose(Object.values(node.forward({ z }).outputs))
      node.runAfterStep()
    }
    pass()
    const tensors = tf.memory().numTensors
    for (let index = 0; index < 3; index++) pass()
    expect(tf.memory().numTensors).toBe(tensors)
    z.dispose()
    node.dispose()
  })
})
