import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import type { Shape } from '../../graph-core/shapes'
import { activationParam } from '../shared/activations'
import {
  SAMPLING_KERNEL_SIZE,
  addCosts,
  buildLayer,
  buildStack,
  channelsParam,
  formParam,
  hiddenParam,
  imageIssue,
  layerCost,
  normalizationParam,
  stackOutputShape,
  stackSteps,
  stepsCost,
  vectorOrImageIssue,
  type DenseSpec,
  type LayerSpec,
  layerBuilder,
} from '../shared/layers'

const encoderParams = {
  form: formParam(
    'MLP flattens images and applies fully connected layers; convolutional halves images with stride-2 convolutions (images only).',
  ),
  latentDim: param.int({
    default: 32,
    min: 1,
    max: 4096,
    label: 'latent size',
    help: 'Length of the code z.',
  }),
  hidden: hiddenParam([256]),
  channels: channelsParam(
    [32, 64],
    'Channels of the stride-2 4×4 convolutions of the convolutional form, in order; each halves height and width.',
  ),
  activation: activationParam('relu', 'Non-linearity after each hidden layer.'),
  normalization: normalizationParam(),
  isVariational: param.boolean({
    default: false,
    label: 'variational',
    help: 'Also output log σ² for a VAE: z is then the mean μ; feed both to Reparameterize.',
  }),
}

type EncoderParams = ParamValues<typeof encoderParams>

interface EncoderPlan {
  /** Input → feature vector. */
  trunk: LayerSpec[]
  /** Feature vector → z (and → log σ²). */
  head: DenseSpec
  features: Shape
}

function planEncoder(x: Shape, params: EncoderParams): EncoderPlan | ShapeIssue {
  const layer = { activation: params.activation, normalization: params.normalization }
  let trunk: LayerSpec[]
  if (params.form === 'conv') {
    const issue = imageIssue('x', x, params.channels.length, 'The convolutional encoder')
    if (issue !== undefined) return issue
    trunk = [
      ...params.channels.map((filters, index): LayerSpec => ({
        kind: 'conv2d',
        name: `layer${index}`,
        filters,
        kernelSize: SAMPLING_KERNEL_SIZE,
        stride: 2,
        ...layer,
      })),
      { kind: 'flatten' },
    ]
  } else {
    const issue = vectorOrImageIssue('x', x, 'The encoder')
    if (issue !== undefined) return issue
    trunk = [
      ...(x.length === 1 ? [] : [{ kind: 'flatten' } as const]),
      ...params.hidden.map((units, index): LayerSpec => ({
        kind: 'dense',
        name: `layer${index}`,
        units,
        ...layer,
      })),
    ]
  }
  return {
    trunk,
    head: { kind: 'dense', name: 'z', units: params.latentDim },
    features: stackOutputShape(trunk, x),
  }
}

/**
 * Encoder: an image [h, w, c] or a vector [n] → a code z [latentDim], in an MLP form (flatten,
 * hidden dense layers) or a convolutional form (stride-2 4×4 convolutions, flatten), then a
 * linear map to z. Hidden layers are `layer0`, `layer1`, …; the heads are `z` and `logVariance`.
 *
 * Variational (Kingma & Welling 2014): with `isVariational`, z is the mean μ and a second linear
 * head gives `logVariance` = log σ² [latentDim]. Ports are fixed per node type, so without it
 * `logVariance` is a zero-width port: inferShapes says [0] and forward returns [batch, 0], so
 * wiring it into a reparameterisation shows a shape mismatch instead of silently adding noise.
 */
export const encoder = defineNode({
  type: 'model.encoder',
  version: 1,
  category: 'model',
  label: 'Encoder',
  description: 'Maps an image or a vector to a short code, optionally with a VAE variance.',
  isShareable: true,
  inputs: { x: tensor({ description: 'A vector [n] or an image [h, w, c] per sample.' }) },
  outputs: {
    z: tensor({ description: 'The code [latentDim]; the mean μ when variational.' }),
    logVariance: tensor({
      label: 'log σ²',
      description: 'log σ² [latentDim] when variational; zero-width [0] otherwise.',
    }),
  },
  params: encoderParams,
  inferShapes({ x }, params) {
    const plan = planEncoder(x, params)
    if (!('trunk' in plan)) return fail(plan)
    return ok({ z: [params.latentDim], logVariance: [params.isVariational ? params.latentDim : 0] })
  },
  cost({ x }, params) {
    const plan = planEncoder(x, params)
    if (!('trunk' in plan)) return { parameters: 0, flops: 0 }
    const head = layerCost(plan.head, plan.features)
    const heads = params.isVariational ? [head, head] : [head]
    return addCosts(stepsCost(stackSteps(plan.trunk, x)), ...heads)
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const plan = planEncoder(inputShapes.x, params)
    if (!('trunk' in plan)) throw new Error(plan.message)
    const trunk = buildStack(builder, plan.trunk, inputShapes.x)
    const zHead = buildLayer(builder, plan.head, plan.features)
    const logVarianceHead = params.isVariational
      ? buildLayer(builder, { ...plan.head, name: 'logVariance' }, plan.features)
      : undefined
    return {
      forward({ x }, context) {
        const features = trunk(x, context) // [batch, features]
        return {
          z: zHead(features, context), // [batch, latentDim]
          logVariance:
            logVarianceHead === undefined
              ? tf.zeros([x.shape[0], 0]) // [batch, 0]
              : logVarianceHead(features, context),
        }
      },
      dispose: builder.dispose,
    }
  },
})
