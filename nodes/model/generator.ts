import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, type Shape } from '../../graph-core/shapes'
import { activationParam } from '../shared/activations'
import {
  SAMPLING_KERNEL_SIZE,
  buildStack,
  buildSteps,
  channelsParam,
  doublingSpec,
  formParam,
  hiddenParam,
  imageIssue,
  layerOutputShape,
  normalizationParam,
  stackSteps,
  stepsCost,
  upsamplingParam,
  type LayerSpec,
  type LayerStep,
  layerBuilder,
} from '../shared/layers'
import { outputActivationParam, outputShapeParam, planUpsampler } from './decoder'

const generatorParams = {
  form: formParam(
    'For a noise input: MLP (dense layers, reshape) or convolutional (DCGAN transposed convolutions). An image input always uses the convolutional encoder-decoder.',
  ),
  outputShape: outputShapeParam(
    'For a noise input: height, width, channels of the image, or one length for vectors ([2] for 2-D points). An image input sets its own output size.',
  ),
  hidden: hiddenParam([256]),
  channels: channelsParam(
    [64, 32],
    'Channels of the convolutions from the smallest image up; each entry doubles height and width. For an image input the down path mirrors them.',
  ),
  activation: activationParam('relu', 'Non-linearity after each hidden layer (DCGAN: ReLU).'),
  normalization: normalizationParam(),
  upsampling: upsamplingParam(),
  outputActivation: outputActivationParam('sigmoid'),
  hasSkips: param.boolean({
    default: true,
    label: 'skip connections',
    help: 'Image input only: join each upsampling layer with the downsampling layer of the same size (U-Net), which keeps fine detail.',
  }),
  upscale: param.int({
    default: 1,
    min: 1,
    max: 4,
    help: 'Image input only: output height and width are the input ones × this (1, 2 or 4); 2 turns 14×14 into 28×28.',
  }),
  outputChannels: param.int({
    default: 0,
    min: 0,
    max: 64,
    label: 'output channels',
    help: 'Image input only: channels of the output image; 0 keeps the input channel count.',
  }),
  isResidual: param.boolean({
    default: false,
    label: 'residual (learn the change)',
    help: 'Image input of the output’s size only: the output is the input plus a change in [−1, 1] (a tanh in place of the output activation), clipped to [0, 1]. The network starts near the identity and learns only what to alter, such as a mouth for a smile (Shen & Liu 2017).',
  }),
}

type GeneratorParams = ParamValues<typeof generatorParams>

/** The image-to-image network: each group of steps with the shape it receives. */
interface TranslatorPlan {
  /** Stride-2 convolutions, each halving height and width. */
  down: LayerStep[]
  /** Doublings (`upsampling`) back to the input size, each optionally joined by a skip. */
  up: LayerStep[]
  /** Further doublings for `upscale`, then a 3×3 convolution to the output channels. */
  tail: LayerStep[]
  output: Shape
}

type GeneratorPlan = { kind: 'noise'; specs: LayerSpec[] } | { kind: 'image'; plan: TranslatorPlan }

/**
 * A small U-Net (Ronneberger et al. 2015, as pix2pix uses it) with L = channels.length levels:
 * down convs to channels[L−1], …, channels[0] (the bottleneck, h/2^L), up doublings (transposed
 * convs or resize-convs, `upsampling`) to channels[1], …, channels[L−1] and once more to
 * channels[L−1] at the input size; with skips each up output is concatenated on channels with the
 * down output (or the input image) of its size. Then log2(upscale) more doublings and a 3×3 conv
 * with the output activation.
 */
function planTranslator(x: Shape, params: GeneratorParams): TranslatorPlan | ShapeIssue {
  const levels = params.channels.length
  const issue = imageIssue('z', x, levels, 'The image-to-image generator')
  if (issue !== undefined) return issue
  if (![1, 2, 4].includes(params.upscale)) {
    return {
      message: 'upscale must be 1, 2 or 4',
      expected: '1, 2 or 4',
      actual: `${params.upscale}`,
    }
  }
  const channels = params.outputChannels === 0 ? (x[2] ?? 1) : params.outputChannels
  if (params.isResidual && (params.upscale !== 1 || channels !== x[2])) {
    return {
      message: 'A residual generator adds its change to the input: keep upscale 1 and its channels',
      expected: `upscale 1, ${x[2] ?? 1} output channels`,
      actual: `upscale ${params.upscale}, ${channels} output channels`,
    }
  }
  const layer = { activation: params.activation, normalization: params.normalization }
  const halving = { kernelSize: SAMPLING_KERNEL_SIZE, stride: 2, ...layer }
  const widthAt = (level: number) => params.channels[Math.min(level, levels - 1)] ?? 1
  let index = 0
  let shape = x
  const step = (spec: LayerSpec): LayerStep => {
    const result = { spec, input: shape }
    shape = layerOutputShape(spec, shape)
    return result
  }

  const skips: Shape[] = [x]
  const down = [...params.channels].reverse().map((filters) => {
    const result = step({ kind: 'conv2d', name: `layer${index++}`, filters, ...halving })
    skips.push(shape)
    return result
  })
  const doubling = (filters: number) =>
    step(doublingSpec(params.upsampling, { name: `layer${index++}`, filters, ...layer }))
  const up = Array.from({ length: levels }, (_, level) => {
    const result = doubling(widthAt(level + 1))
    const skip = skips[levels - 1 - level]
    if (params.hasSkips && skip !== undefined) {
      shape = [shape[0] ?? 0, shape[1] ?? 0, (shape[2] ?? 0) + (skip[2] ?? 0)]
    }
    return result
  })
  const tail = [
    ...Array.from({ length: Math.log2(params.upscale) }, () => doubling(widthAt(levels))),
    step({
      kind: 'conv2d',
      name: 'x',
      filters: channels,
      kernelSize: 3,
      stride: 1,
      activation: params.isResidual ? 'tanh' : params.outputActivation,
    }),
  ]
  return { down, up, tail, output: shape }
}

function planGenerator(z: Shape, params: GeneratorParams): GeneratorPlan | ShapeIssue {
  if (z.length === 1) {
    const specs = planUpsampler('z', 'x', z, params, 'The generator')
    return Array.isArray(specs) ? { kind: 'noise', specs } : specs
  }
  if (z.length !== 3) {
    return {
      port: 'z',
      message: 'The generator takes a noise vector or an image per sample',
      expected: '[k] or [h, w, c]',
      actual: formatShape(z),
    }
  }
  const plan = planTranslator(z, params)
  return 'down' in plan ? { kind: 'image', plan } : plan
}

/**
 * Generator for GANs (Goodfellow et al. 2014).
 *
 * - From noise z [k]: the decoder's network (`planUpsampler`): MLP or DCGAN transposed
 *   convolutions (Radford et al. 2016) to `outputShape`; [2] with a linear output for 2-D toy data.
 * - From an image [h, w, c] (pix2pix, super-resolution, CycleGAN): a convolutional
 *   encoder-decoder, a U-Net with `hasSkips` (`planTranslator`), whose output is
 *   [h·upscale, w·upscale, outputChannels or c]; h and w must divide by 2^channels.length.
 *   With `isResidual` (upscale 1, the input's channels) the output is clip(input + tanh(·), 0, 1):
 *   the network draws only the change.
 *
 * Defaults: ReLU hidden layers as DCGAN's generator; a sigmoid output, matching the lab's images
 * in [0, 1] (choose tanh for data scaled to [−1, 1], as DCGAN does). Variables: hidden layers
 * `layer0/…`, … in order of application, the output layer `x/…`.
 */
export const generator = defineNode({
  type: 'model.generator',
  version: 1,
  category: 'model',
  label: 'Generator',
  description: 'Turns noise into an image or a point, or one image into another (U-Net).',
  isShareable: true,
  inputs: {
    z: tensor({
      label: 'z / image',
      description: 'A noise vector [k], or an image [h, w, c] for image-to-image.',
    }),
  },
  outputs: { x: tensor({ description: 'The generated image or vector.' }) },
  params: generatorParams,
  inferShapes({ z }, params) {
    const plan = planGenerator(z, params)
    if (!('kind' in plan)) return fail(plan)
    return ok({ x: plan.kind === 'noise' ? [...params.outputShape] : [...plan.plan.output] })
  },
  cost({ z }, params) {
    const plan = planGenerator(z, params)
    if (!('kind' in plan)) return { parameters: 0, flops: 0 }
    if (plan.kind === 'noise') return stepsCost(stackSteps(plan.specs, z))
    const { down, up, tail } = plan.plan
    return stepsCost([...down, ...up, ...tail])
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const plan = planGenerator(inputShapes.z, params)
    if (!('kind' in plan)) throw new Error(plan.message)
    if (plan.kind === 'noise') {
      const network = buildStack(builder, plan.specs, inputShapes.z)
      return { forward: ({ z }, context) => ({ x: network(z, context) }), dispose: builder.dispose }
    }
    const down = buildSteps(builder, plan.plan.down)
    const up = buildSteps(builder, plan.plan.up)
    const tail = buildSteps(builder, plan.plan.tail)
    return {
      forward({ z }, context) {
        // skips[i]: [batch, h/2^i, w/2^i, ·]; skips[0] is the input image.
        const skips = [z]
        let h = z
        for (const layer of down) {
          h = layer(h, context)
          skips.push(h)
        }
        up.forEach((layer, level) => {
          h = layer(h, context)
          const skip = skips[down.length - 1 - level]
          if (params.hasSkips && skip !== undefined) h = tf.concat([h, skip], 3)
        })
        for (const layer of tail) h = layer(h, context)
        // Residual: the tail drew a change in [−1, 1]; images stay in [0, 1].
        if (params.isResidual) h = tf.clipByValue(tf.add(z, h), 0, 1)
        return { x: h } // [batch, h·upscale, w·upscale, outputChannels]
      },
      dispose: builder.dispose,
    }
  },
})
