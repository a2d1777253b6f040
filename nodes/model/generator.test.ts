import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockTestKit, close } from '../testing/blockTestKit'
import { buildNode, runNode } from '../../graph-core/runNode'
import { generator } from './generator'

const { params, trainable, expectUsefulGradients, expectSharedApplications } = blockTestKit(
  tf,
  generator,
)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model.generator shapes', () => {
  it.each([
    [{ z: [16] }, {}, [28, 28, 1]],
    [{ z: [2] }, { outputShape: [2], outputActivation: 'linear' }, [2]],
    [{ z: [8] }, { form: 'conv', outputShape: [8, 8, 1], channels: [4, 2] }, [8, 8, 1]],
    // Image to image: input size × upscale, channels from outputChannels or the input.
    [{ z: [8, 8, 1] }, { channels: [3, 2] }, [8, 8, 1]],
    [{ z: [8, 8, 3] }, { channels: [3, 2], hasSkips: false }, [8, 8, 3]],
    [{ z: [4, 4, 1] }, { channels: [2], upscale: 2 }, [8, 8, 1]],
    [{ z: [14, 14, 1] }, { channels: [4], upscale: 2 }, [28, 28, 1]],
    [{ z: [4, 8, 1] }, { channels: [2, 2], upscale: 4, outputChannels: 3 }, [16, 32, 3]],
    [{ z: [8, 8, 3] }, { channels: [3, 2], isResidual: true, outputChannels: 3 }, [8, 8, 3]],
  ])('%j with %j → %j', (inputs, saved, x) => {
    expect(generator.inferShapes(inputs, params(saved))).toEqual({ outputs: { x } })
  })

  it.each([
    [{ z: [4, 4] }, {}, 'z', '[k] or [h, w, c]', '[4, 4]'],
    [
      { z: [6, 8, 1] },
      { channels: [3, 2] },
      'z',
      '[h, w, c] with h and w divisible by 4',
      '[6, 8, 1]',
    ],
    [{ z: [8, 8, 1] }, { upscale: 3 }, undefined, '1, 2 or 4', '3'],
    [
      { z: [4, 4, 1] },
      { channels: [2], upscale: 2, isResidual: true },
      undefined,
      'upscale 1, 1 output channels',
      'upscale 2, 1 output channels',
    ],
    [
      { z: [4, 4, 1] },
      { channels: [2], outputChannels: 3, isResidual: true },
      undefined,
      'upscale 1, 1 output channels',
      'upscale 1, 3 output channels',
    ],
    [{ z: [8] }, { outputShape: [4, 4] }, undefined, '[n] or [h, w, c]', '[4, 4]'],
    [
      { z: [8] },
      { form: 'conv', outputShape: [2] },
      undefined,
      '[h, w, c] with h and w divisible by 4',
      '[2]',
    ],
  ])('refuses %j with %j', (inputs, saved, port, expected, actual) => {
    const result = generator.inferShapes(inputs, params(saved))
    expect(result).toEqual({ issues: [expect.objectContaining({ expected, actual })] })
    expect('issues' in result && result.issues[0]?.port).toBe(port)
  })
})

describe('model.generator cost', () => {
  it.each([
    // Noise: 2 → 8 (24) → 2 (18).
    [{ z: [2] }, { hidden: [8], outputShape: [2] }, 42, 2 * (16 + 16)],
    // One level, skips: down 4×4 1→2 (34) at 2×2; up 2→2 (66) from 2×2, then the input joins
    // (3 channels); 3×3 conv 3→1 (28) at 4×4.
    [{ z: [4, 4, 1] }, { channels: [2] }, 128, 2 * 32 * 4 + 2 * 64 * 4 + 2 * 27 * 16],
    // Without skips the output conv sees 2 channels: 19.
    [{ z: [4, 4, 1] }, { channels: [2], hasSkips: false }, 119, 256 + 512 + 2 * 18 * 16],
    // ×2: one more transposed conv 3→2 (98) at 4×4, output conv 2→1 (19) at 8×8.
    [
      { z: [4, 4, 1] },
      { channels: [2], upscale: 2 },
      34 + 66 + 98 + 19,
      256 + 512 + 2 * 96 * 16 + 2 * 18 * 64,
    ],
    // Two levels, channels [2, 3]: down 1→3 (51), 3→2 (98); up 2→3 (99) + skip 3 → 6;
    // 6→3 (291) + input 1 → 4; 3×3 conv 4→1 (37).
    [
      { z: [8, 8, 1] },
      { channels: [2, 3] },
      576,
      2 * 48 * 16 + 2 * 96 * 4 + 2 * 96 * 4 + 2 * 288 * 16 + 2 * 36 * 64,
    ],
    // Resize-convs up: 3×3 conv 2→2 (38) at 4×4 (the doubled size), then as above.
    [
      { z: [4, 4, 1] },
      { channels: [2], upsampling: 'resize' },
      34 + 38 + 28,
      2 * 32 * 4 + 2 * 36 * 16 + 2 * 27 * 16,
    ],
    // Noise, conv form: dense 2 → 2·2·3 (36); resize-convs 3→2 (56) at 4×4, 2→1 (19) at 8×8.
    [
      { z: [2] },
      { form: 'conv', outputShape: [8, 8, 1], channels: [3, 2], upsampling: 'resize' },
      36 + 56 + 19,
      2 * 24 + 2 * 54 * 16 + 2 * 18 * 64,
    ],
  ])('%j with %j: %d parameters, %d FLOPs', (inputs, saved, parameters, flops) => {
    expect(generator.cost?.(inputs, params(saved))).toEqual({ parameters, flops })
    expect(trainable({ params: saved, inputs: { z: tf.zeros([2, ...inputs.z]) } }).size).toBe(
      parameters,
    )
  })
})

describe('model.generator variables', () => {
  it('names layers in order of application and the output layer x', () => {
    const node = buildNode(tf, generator, {
      params: { channels: [2, 3], upscale: 2 },
      inputs: { z: tf.zeros([1, 8, 8, 1]) },
    })
    expect(Object.fromEntries([...node.variables].map(([name, v]) => [name, v.shape]))).toEqual({
      'layer0/kernel': [4, 4, 1, 3],
      'layer0/bias': [3],
      'layer1/kernel': [4, 4, 3, 2],
      'layer1/bias': [2],
      'layer2/kernel': [4, 4, 3, 2],
      'layer2/bias': [3],
      'layer3/kernel': [4, 4, 3, 6],
      'layer3/bias': [3],
      'layer4/kernel': [4, 4, 3, 4],
      'layer4/bias': [3],
      'x/kernel': [3, 3, 3, 1],
      'x/bias': [1],
    })
    node.dispose()
  })
})

describe('model.generator forward', () => {
  it('maps noise to 2-D points linearly', () => {
    const run = runNode(tf, generator, {
      params: { hidden: [], outputShape: [2], outputActivation: 'linear' },
      inputs: { z: tf.tensor2d([[1, -1, 2]]) },
      weights: {
        'x/kernel': tf.tensor2d([
          [1, 0],
          [0, 1],
          [2, 3],
        ]),
        'x/bias': tf.tensor1d([0, -4]),
      },
    })
    // [1 + 4, −1 + 6 − 4].
    close(run.outputs.x?.arraySync(), [5, 1])
    run.dispose()
  })

  it('runs a one-level U-Net whose skip carries the input image', () => {
    const kernel = (values: Record<string, number>, shape: [number, number, number, number]) => {
      const buffer = tf.buffer(shape)
      for (const [at, value] of Object.entries(values)) {
        const [row = 0, column = 0, input = 0, output = 0] = at.split(',').map(Number)
        buffer.set(value, row, column, input, output)
      }
      return buffer.toTensor()
    }
    const run = runNode(tf, generator, {
      params: { channels: [1], activation: 'linear', outputActivation: 'linear' },
      inputs: { z: tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]) },
      weights: {
        'layer0/kernel': tf.tensor4d(
          Array.from({ length: 16 }, (_, index) => index),
          [4, 4, 1, 1],
        ),
        'layer0/bias': tf.tensor1d([0]),
        // Same padding: the 1×1 code lands under kernel rows/cols 1..2.
        'layer1/kernel': kernel({ '1,1,0,0': 1, '2,2,0,0': -1 }, [4, 4, 1, 1]),
        'layer1/bias': tf.tensor1d([0]),
        // Centre tap only: 0.5 · upsampled + 2 · input (the skip).
        'x/kernel': kernel({ '1,1,0,0': 0.5, '1,1,1,0': 2 }, [3, 3, 2, 1]),
        'x/bias': tf.tensor1d([1]),
      },
    })
    // Down: 1·5 + 2·6 + 3·9 + 4·10 = 84. Up: [[84, 0], [0, −84]]. Out: 0.5·up + 2·x + 1.
    close(run.outputs.x?.arraySync(), [42 + 2 + 1, 4 + 1, 6 + 1, -42 + 8 + 1])
    run.dispose()
  })

  it('adds a residual generator’s tanh change to its input and clips to [0, 1]', () => {
    const run = runNode(tf, generator, {
      params: { channels: [1], isResidual: true },
      inputs: { z: tf.tensor4d([0.1, 0.7, 0.3, 0.95], [1, 2, 2, 1]) },
      weights: {
        'layer0/kernel': tf.zeros([4, 4, 1, 1]),
        'layer0/bias': tf.tensor1d([0]),
        'layer1/kernel': tf.zeros([4, 4, 1, 1]),
        'layer1/bias': tf.tensor1d([0]),
        // Every tap zero: the change is tanh(0.5) = 0.46212 at every pixel.
        'x/kernel': tf.zeros([3, 3, 2, 1]),
        'x/bias': tf.tensor1d([0.5]),
      },
    })
    close(run.outputs.x?.arraySync(), [0.56212, 1, 0.76212, 1])
    run.dispose()
  })

  it('handles a batch of one from noise and from images', () => {
    for (const [saved, z, shape] of [
      [
        { form: 'conv', outputShape: [8, 8, 1], channels: [2, 2], normalization: 'batchNorm' },
        [1, 4],
        [1, 8, 8, 1],
      ],
      [{ channels: [2], upscale: 2, normalization: 'batchNorm' }, [1, 4, 4, 1], [1, 8, 8, 1]],
    ] as const) {
      const run = runNode(tf, generator, {
        params: saved,
        inputs: { z: tf.randomNormal([...z], 0, 1, 'float32', 2) },
      })
      expect(run.outputs.x?.shape).toEqual(shape)
      expect(run.outputs.x?.dataSync().every(Number.isFinite)).toBe(true)
      run.dispose()
    }
  })
})

describe('model.generator gradients', () => {
  it.each([
    [{ hidden: [6], outputShape: [2], outputActivation: 'linear' }, [3, 4]],
    [
      { form: 'conv', outputShape: [8, 8, 1], channels: [3, 2], normalization: 'batchNorm' },
      [3, 4],
    ],
    [{ channels: [2, 3], activation: 'leakyRelu', normalization: 'layerNorm' }, [2, 8, 8, 1]],
    [{ channels: [2], upscale: 2, outputChannels: 2, hasSkips: false }, [2, 4, 4, 1]],
    [{ channels: [2, 3], upsampling: 'resize', normalization: 'layerNorm' }, [2, 8, 8, 1]],
    [{ form: 'conv', outputShape: [8, 8, 1], channels: [3, 2], upsampling: 'resize' }, [3, 4]],
  ])('reach every trainable variable: %j', (saved, shape) => {
    expectUsefulGradients(
      { params: saved, inputs: { z: tf.randomNormal(shape, 0, 1, 'float32', 5) } },
      ['x'],
    )
  })
})

describe('model.generator residual gradients', () => {
  it('reach every trainable variable for inputs inside [0, 1]', () => {
    const z = tf.randomUniform([2, 8, 8, 1], 0.3, 0.7, 'float32', 5)
    expectUsefulGradients({ params: { channels: [2, 3], isResidual: true }, inputs: { z } }, ['x'])
  })
})

describe('model.generator weight sharing', () => {
  it.each([
    [{ hidden: [4], outputShape: [2], outputActivation: 'linear' }, [3]],
    [{ channels: [2, 2], activation: 'leakyRelu' }, [4, 4, 1]],
  ])('%j applies the same variables to every input', (saved, shape) => {
    expectSharedApplications(
      { params: saved, inputs: { z: tf.zeros([1, ...shape]) } },
      { z: tf.randomNormal([2, ...shape], 0, 1, 'float32', 1) },
      { z: tf.randomNormal([1, ...shape], 0, 1, 'float32', 2) },
      'x',
      'layer0/kernel',
    )
  })
})
