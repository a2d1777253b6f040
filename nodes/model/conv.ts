import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, type Shape } from '../../graph-core/shapes'
import { activationParam } from '../shared/activations'
import {
  buildLayer,
  layerCost,
  layerOutputShape,
  type LayerSpec,
  layerBuilder,
} from '../shared/layers'

const convParams = {
  filters: param.int({ default: 32, min: 1, max: 1024, help: 'Channels of the output image.' }),
  kernelSize: param.int({
    default: 3,
    min: 1,
    max: 9,
    label: 'kernel size',
    help: 'Height and width of the square window each output pixel sees.',
  }),
  stride: param.int({
    default: 1,
    min: 1,
    max: 4,
    help: 'Step between windows: 2 halves height and width (or doubles them when transposed).',
  }),
  activation: activationParam('relu'),
  isTransposed: param.boolean({
    default: false,
    label: 'transposed',
    help: 'Upsample instead: a transposed convolution multiplies height and width by the stride.',
  }),
}

const convSpec = (params: ParamValues<typeof convParams>): LayerSpec => ({
  kind: params.isTransposed ? 'conv2dTranspose' : 'conv2d',
  name: '',
  filters: params.filters,
  kernelSize: params.kernelSize,
  stride: params.stride,
  activation: params.activation,
})

const imageProblem = (x: Shape) => ({
  port: 'x',
  message: 'Conv takes an image per sample',
  expected: '[h, w, c]',
  actual: formatShape(x),
})

/**
 * One 2-D convolution with same padding on images [h, w, c]: y = act(conv(x, K) + b), K
 * [k, k, c, filters] Glorot-uniform, b zeros; output [⌈h/s⌉, ⌈w/s⌉, filters]. Transposed
 * (`isTransposed`): K [k, k, filters, c], output [h·s, w·s, filters], for upsampling. Variables
 * `kernel` and `bias`, as `model.dense`. Shareable.
 */
export const conv = defineNode({
  type: 'model.conv',
  version: 1,
  category: 'model',
  label: 'Conv',
  description: 'A convolution layer: every output pixel is a weighted sum of a small window.',
  isShareable: true,
  inputs: { x: tensor({ rank: 3, description: 'An image [h, w, c] per sample.' }) },
  outputs: { y: tensor() },
  params: convParams,
  inferShapes({ x }, params) {
    if (x.length !== 3) return fail(imageProblem(x))
    return ok({ y: layerOutputShape(convSpec(params), x) })
  },
  cost({ x }, params) {
    return x.length === 3 ? layerCost(convSpec(params), x) : { parameters: 0, flops: 0 }
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const layer = buildLayer(builder, convSpec(params), inputShapes.x)
    return { forward: ({ x }, context) => ({ y: layer(x, context) }), dispose: builder.dispose }
  },
})
