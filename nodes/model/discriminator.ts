import type { Tensor } from '../../graph-core/nodeDefinition'
import { defineNode, fail, ok, type ShapeIssue } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape, shapeSize, type Shape } from '../../graph-core/shapes'
import { activationParam } from '../shared/activations'
import {
  SAMPLING_KERNEL_SIZE,
  buildStack,
  channelsParam,
  flatten,
  formParam,
  hiddenParam,
  imageIssue,
  normalizationParam,
  stackOutputShape,
  stackSteps,
  stepsCost,
  vectorOrImageIssue,
  type LayerSpec,
  layerBuilder,
} from '../shared/layers'

const discriminatorParams = {
  form: formParam(
    'MLP flattens its input (right for 2-D points); convolutional (DCGAN) halves images with stride-2 convolutions.',
  ),
  hidden: hiddenParam([256]),
  channels: channelsParam(
    [32, 64],
    'Channels of the stride-2 4×4 convolutions of the convolutional form, in order; each halves height and width.',
  ),
  activation: activationParam(
    'leakyRelu',
    'Non-linearity after each hidden layer (DCGAN: leaky ReLU 0.2).',
  ),
  normalization: normalizationParam(),
  isFirstLayerNormalized: param.boolean({
    default: false,
    label: 'normalise first layer',
    help: 'Whether the normalisation also applies to the first layer, the one that reads the raw input. DCGAN, pix2pix and CycleGAN leave it out: normalising there made training unstable.',
  }),
  output: param.choice<DiscriminatorOutput>({
    default: 'single',
    options: [
      { value: 'single', label: 'One logit per image' },
      { value: 'patches', label: 'A logit per patch (PatchGAN)' },
    ],
    help: 'Convolutional form only. One logit: flatten, then a linear map. Per patch (pix2pix, CycleGAN): a 3×3 convolution scores every position of the last feature map, each judging the patch of the input it sees, so D looks at local detail (a mouth, a stroke) rather than the whole image; the GAN loss averages over patches.',
  }),
  classes: param.int({
    default: 0,
    min: 0,
    max: 1000,
    label: 'classes',
    help: "Semi-supervised discriminator (Salimans et al. 2016): with k > 0 classes the last linear map gives one logit per class, the logit is their log-sum-exp (fake is an implicit class k + 1 with logit 0) and classLogits can learn the real samples' labels through softmax cross-entropy. D then knows what each digit looks like, not just what real images look like. 0: one logit, classLogits is empty. One logit per image only.",
  }),
}

/** `single`: one logit per sample; `patches`: a [h, w, 1] map of them (PatchGAN). */
type DiscriminatorOutput = 'single' | 'patches'

/** Kernel of the PatchGAN output convolution. */
const PATCH_KERNEL_SIZE = 3

type DiscriminatorParams = ParamValues<typeof discriminatorParams>

interface DiscriminatorPlan {
  /** The per-sample shape after joining x and the condition. */
  joined: Shape
  specs: LayerSpec[]
}

function planDiscriminator(
  x: Shape,
  condition: Shape | undefined,
  params: DiscriminatorParams,
): DiscriminatorPlan | ShapeIssue {
  const layerAt = (index: number) => ({
    activation: params.activation,
    normalization:
      index === 0 && !params.isFirstLayerNormalized ? ('none' as const) : params.normalization,
  })
  // With classes, one logit per class (the real logit is their log-sum-exp, in forward).
  const logit: LayerSpec = { kind: 'dense', name: 'logit', units: Math.max(params.classes, 1) }
  const patchLogits: LayerSpec = {
    kind: 'conv2d',
    name: 'logit',
    filters: 1,
    kernelSize: PATCH_KERNEL_SIZE,
    stride: 1,
  }
  if (params.form === 'mlp') {
    const issue =
      vectorOrImageIssue('x', x, 'The discriminator') ??
      (condition === undefined
        ? undefined
        : vectorOrImageIssue('condition', condition, 'The condition'))
    if (issue !== undefined) return issue
    return {
      joined: [shapeSize(x) + (condition === undefined ? 0 : shapeSize(condition))],
      specs: [
        ...params.hidden.map((units, index): LayerSpec => ({
          kind: 'dense',
          name: `layer${index}`,
          units,
          ...layerAt(index),
        })),
        logit,
      ],
    }
  }
  if (params.classes > 0 && params.output === 'patches') {
    return {
      port: 'x',
      message:
        'Class logits need one logit per image: set output to "One logit per image", or classes to 0',
      expected: 'output: single',
      actual: 'output: patches',
    }
  }
  const halvings = params.channels.length
  const issue = imageIssue('x', x, halvings, 'The convolutional discriminator')
  if (issue !== undefined) return issue
  if (
    condition !== undefined &&
    (condition.length !== 3 || x[0] !== condition[0] || x[1] !== condition[1])
  ) {
    return {
      port: 'condition',
      message:
        'The condition is joined to x on channels, so it must be an image of the same height and width',
      expected: `[${x[0] ?? 0}, ${x[1] ?? 0}, c]`,
      actual: formatShape(condition),
    }
  }
  return {
    joined: [x[0] ?? 0, x[1] ?? 0, (x[2] ?? 0) + (condition?.[2] ?? 0)],
    specs: [
      ...params.channels.map((filters, index): LayerSpec => ({
        kind: 'conv2d',
        name: `layer${index}`,
        filters,
        kernelSize: SAMPLING_KERNEL_SIZE,
        stride: 2,
        ...layerAt(index),
      })),
      ...(params.output === 'patches' ? [patchLogits] : [{ kind: 'flatten' } as const, logit]),
    ],
  }
}

/** [1], or [h, w, 1] for patch logits (with classes, the last layer gives [classes]). */
const logitShape = (plan: DiscriminatorPlan, params: DiscriminatorParams): Shape =>
  params.classes > 0 ? [1] : stackOutputShape(plan.specs, plan.joined)

/**
 * Discriminator for GANs: an image or a vector → one raw logit [1] (no sigmoid: losses take BCE
 * on logits). MLP form: flatten, hidden dense layers; convolutional form (DCGAN, Radford et al.
 * 2016): stride-2 4×4 convolutions with leaky ReLU 0.2, flatten; then a linear map to the logit.
 * With `output: patches` (PatchGAN, Isola et al. 2017) the conv form ends instead in a 3×3
 * convolution to one channel: a logit per position of the last feature map, [h/2^L, w/2^L, 1].
 *
 * The optional `condition` (pix2pix, Isola et al. 2017: the input image next to the real or
 * generated output) is concatenated on channels in the convolutional form, and joined after
 * flattening in the MLP form. Variables: `layer0/…`, … and `logit/…`.
 *
 * Semi-supervised (Salimans et al. 2016, §5), `classes` k > 0: the linear map gives k logits l,
 * output as `classLogits`, and `logit` = log Σₖ exp(lₖ) (numerically stable log-sum-exp): a
 * (k + 1)-way softmax whose fake class has its logit fixed at 0, so that σ(logit) =
 * Z / (Z + 1) with Z = Σₖ exp(lₖ). Cross-entropy of `classLogits` on real labels teaches D the
 * classes while the GAN loss on `logit` stays the seminar's BCE.
 */
export const discriminator = defineNode({
  type: 'model.discriminator',
  version: 2,
  category: 'model',
  label: 'Discriminator',
  description: 'Scores how real an image or a point looks, as a raw logit.',
  isShareable: true,
  inputs: {
    x: tensor({ description: 'A real or generated sample: a vector [n] or an image [h, w, c].' }),
    condition: tensor({
      isOptional: true,
      description: 'What x was generated from (pix2pix); same height and width as x.',
    }),
  },
  outputs: {
    logit: tensor({
      description: 'Raw logit [1], or [h, w, 1] one per patch: high for real, low for fake.',
    }),
    classLogits: tensor({
      label: 'class logits',
      description:
        'One logit per class [classes] (semi-supervised D, for cross-entropy on real labels); zero-width [0] when classes is 0.',
    }),
  },
  params: discriminatorParams,
  migrations: [
    {
      // Version 1 normalised every hidden layer: graphs saved then keep doing so.
      name: 'AddFirstLayerNormalization',
      toVersion: 2,
      migrate: (saved) => {
        const { normalization } = saved
        const isNormalized = normalization !== undefined && normalization !== 'none'
        return isNormalized ? { ...saved, isFirstLayerNormalized: true } : { ...saved }
      },
    },
  ],
  inferShapes(inputs, params) {
    // An unconnected optional port has no shape, although ShapesOf types every port: the plan
    // takes Shape | undefined.
    const plan = planDiscriminator(inputs.x, inputs.condition, params)
    if (!('specs' in plan)) return fail(plan)
    return ok({ logit: logitShape(plan, params), classLogits: [params.classes] })
  },
  cost(inputs, params) {
    const plan = planDiscriminator(inputs.x, inputs.condition, params)
    if (!('specs' in plan)) return { parameters: 0, flops: 0 }
    return stepsCost(stackSteps(plan.specs, plan.joined))
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const plan = planDiscriminator(inputShapes.x, inputShapes.condition, params)
    if (!('specs' in plan)) throw new Error(plan.message)
    const network = buildStack(builder, plan.specs, plan.joined)
    const join = (x: Tensor, condition: Tensor | undefined): Tensor => {
      if (params.form === 'conv') return condition === undefined ? x : tf.concat([x, condition], 3)
      const flat = flatten(tf, x) // [batch, n]
      return condition === undefined ? flat : tf.concat([flat, flatten(tf, condition)], 1)
    }
    return {
      forward(inputs, context) {
        const output = network(join(inputs.x, inputs.condition), context)
        if (params.classes === 0) {
          return { logit: output, classLogits: tf.zeros([inputs.x.shape[0], 0]) } // [batch, 1] or [batch, h, w, 1]; [batch, 0]
        }
        // D(x) = Z / (Z + 1) with Z = Σ exp(l_k): fake is class k + 1 with logit 0, so the
        // real-vs-fake logit is log Z.
        return { logit: tf.logSumExp(output, 1, true), classLogits: output } // [batch, 1]; [batch, classes]
      },
      dispose: builder.dispose,
    }
  },
})
