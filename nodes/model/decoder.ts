import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, shapeSize, type Shape } from '../../graph-core/shapes'
import { activationParam, type Activation } from '../shared/activations'
import {
  buildStack,
  channelsParam,
  doublingSpec,
  formParam,
  hiddenParam,
  normalizationParam,
  stackSteps,
  stepsCost,
  upsamplingParam,
  type Form,
  type LayerSpec,
  type Normalization,
  type Upsampling,
  layerBuilder,
} from '../shared/layers'

/** The `outputActivation` param of decoders and generators. */
export const outputActivationParam = (fallback: 'sigmoid' | 'tanh' | 'linear') =>
  param.choice<'sigmoid' | 'tanh' | 'linear'>({
    default: fallback,
    label: 'output activation',
    options: ['sigmoid', 'tanh', 'linear'],
    help: 'Sigmoid for pixels in [0, 1], tanh for data in [−1, 1], linear for unbounded values such as 2-D points.',
  })

/** The `outputShape` param of decoders and generators. */
export const outputShapeParam = (help: string) =>
  param.intList({ default: [28, 28, 1], min: 1, max: 4096, minLength: 1, maxLength: 3, help })

/** What a code-to-output network needs to know; the decoder's params and the generator's. */
export interface UpsamplerParams {
  form: Form
  outputShape: readonly number[]
  hidden: readonly number[]
  channels: readonly number[]
  activation: Activation
  normalization: Normalization
  upsampling: Upsampling
  outputActivation: Activation
}

/**
 * The layers from a code vector [k] to `outputShape`, or what is wrong. Hidden layers are
 * `layer0`, `layer1`, …; the layer that produces the output is named after the output `port`.
 *
 * - MLP: hidden dense layers, a dense layer to h·w·c with the output activation, reshape.
 * - Conv (DCGAN): with L = channels.length, a dense layer to [h/2^L, w/2^L, channels[0]], then
 *   stride-2 4×4 transposed convolutions (or resize-convolutions, `upsampling`) to channels[1],
 *   …, channels[L−1] and finally to the output channels, each doubling height and width.
 */
export function planUpsampler(
  inputPort: string,
  outputPort: string,
  z: Shape,
  params: UpsamplerParams,
  what: string,
): LayerSpec[] | ShapeIssue {
  if (z.length !== 1) {
    return {
      port: inputPort,
      message: `${what} takes a code vector per sample`,
      expected: '[k]',
      actual: formatShape(z),
    }
  }
  const { outputShape } = params
  if (outputShape.length === 2) {
    return {
      message: 'outputShape takes one entry (a vector) or three (height, width, channels)',
      expected: '[n] or [h, w, c]',
      actual: formatShape(outputShape),
    }
  }
  const layer = { activation: params.activation, normalization: params.normalization }
  const output = { name: outputPort, activation: params.outputActivation }
  if (params.form === 'mlp') {
    return [
      ...params.hidden.map((units, index): LayerSpec => ({
        kind: 'dense',
        name: `layer${index}`,
        units,
        ...layer,
      })),
      { kind: 'dense', units: shapeSize(outputShape), ...output },
      ...(outputShape.length === 3 ? [{ kind: 'reshape', shape: outputShape } as const] : []),
    ]
  }
  const doublings = params.channels.length
  const factor = 2 ** doublings
  const [height = 0, width = 0, outputChannels = 0] = outputShape
  if (outputShape.length !== 3 || height % factor !== 0 || width % factor !== 0) {
    return {
      message: `The convolutional form doubles height and width ${doublings} time${doublings === 1 ? '' : 's'}, so outputShape must be an image whose height and width divide by ${factor}`,
      expected: `[h, w, c] with h and w divisible by ${factor}`,
      actual: formatShape(outputShape),
    }
  }
  const [first = 1, ...rest] = params.channels
  const seed: Shape = [height / factor, width / factor, first]
  return [
    { kind: 'dense', name: 'layer0', units: shapeSize(seed), ...layer },
    { kind: 'reshape', shape: seed },
    ...rest.map((filters, index) =>
      doublingSpec(params.upsampling, { name: `layer${index + 1}`, filters, ...layer }),
    ),
    doublingSpec(params.upsampling, { filters: outputChannels, ...output }),
  ]
}

const decoderParams = {
  form: formParam(
    'MLP: dense layers then a reshape. Convolutional (DCGAN): a dense layer to a small image, then stride-2 transposed convolutions.',
  ),
  outputShape: outputShapeParam(
    'Shape of the output: height, width, channels for images, or a single length for vectors.',
  ),
  hidden: hiddenParam([256]),
  channels: channelsParam(
    [64, 32],
    'Channels of the convolutional form from the smallest image up; each entry doubles height and width.',
  ),
  activation: activationParam('relu', 'Non-linearity after each hidden layer.'),
  normalization: normalizationParam(),
  upsampling: upsamplingParam(),
  outputActivation: outputActivationParam('sigmoid'),
}

type DecoderParams = ParamValues<typeof decoderParams>

const planDecoder = (z: Shape, params: DecoderParams) =>
  planUpsampler('z', 'x', z, params, 'The decoder')

/**
 * Decoder: a code z [k] → `outputShape` (an image [h, w, c] or a vector [n]), in an MLP form or a
 * convolutional DCGAN form (Radford et al. 2016); see `planUpsampler`. The output activation is
 * sigmoid by default, for pixels in [0, 1]. Variables: `layer0/…`, … and the output layer `x/…`.
 */
export const decoder = defineNode({
  type: 'model.decoder',
  version: 1,
  category: 'model',
  label: 'Decoder',
  description: 'Maps a code back to an image or a vector.',
  isShareable: true,
  inputs: { z: tensor({ rank: 1, description: 'A code vector [k] per sample.' }) },
  outputs: { x: tensor({ description: 'The reconstruction, of shape outputShape.' }) },
  params: decoderParams,
  inferShapes({ z }, params) {
    const plan = planDecoder(z, params)
    if (!Array.isArray(plan)) return fail(plan)
    return ok({ x: [...params.outputShape] })
  },
  cost({ z }, params) {
    const plan = planDecoder(z, params)
    return Array.isArray(plan) ? stepsCost(stackSteps(plan, z)) : { parameters: 0, flops: 0 }
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const plan = planDecoder(inputShapes.z, params)
    if (!Array.isArray(plan)) throw new Error(plan.message)
    const network = buildStack(builder, plan, inputShapes.z)
    return {
      forward({ z }, context) {
        return { x: network(z, context) } // [batch, ...outputShape]
      },
      dispose: builder.dispose,
    }
  },
})
