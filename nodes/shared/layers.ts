/**
 * Layers shared by the model blocks (encoder, decoder, generator, discriminator, heads, conv).
 *
 * A layer is a plain spec (data). Its output shape, its cost and its TF.js build all follow from
 * the spec and the per-sample input shape, as tfjs-layers splits a layer into arguments, an
 * output-shape function, weight creation and a forward pass. A block describes its architecture
 * once as a list of specs, and inferShapes, cost and build all read that list, so they cannot
 * disagree.
 *
 * Variable names are persisted checkpoint names: a weighted layer named `layer0` owns
 * `layer0/kernel`, `layer0/bias`, and with a normalisation `layer0/gamma`, `layer0/beta`
 * (+ `layer0/movingMean`, `layer0/movingVariance` for batch norm). A layer with the empty name
 * owns plain `kernel`, `bias`, … (single-layer nodes, as `model.dense`).
 */
import type { Tensor4D } from '@tensorflow/tfjs'
import type {
  ForwardContext,
  Initializer,
  NodeCost,
  ShapeIssue,
  Tensor,
  Tf,
  Variable,
  VariableOptions,
} from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { formatShape, shapeSize, type Shape } from '../../graph-core/shapes'
import { activate, type Activation } from './activations'

export const NORMALIZATIONS = ['none', 'batchNorm', 'layerNorm'] as const

/**
 * - `batchNorm`: per channel, over the batch (and height and width): batch statistics while
 *   training, running statistics on held-out data (Ioffe & Szegedy 2015).
 * - `layerNorm`: per sample, over all its features (for images: height, width and channels,
 *   i.e. group norm with one group), with a per-channel gain and offset (Ba et al. 2016).
 */
export type Normalization = (typeof NORMALIZATIONS)[number]

/** The `normalization` param every block shares. */
export const normalizationParam = (fallback: Normalization = 'none') =>
  param.choice<Normalization>({
    default: fallback,
    label: 'normalisation',
    options: [
      { value: 'none', label: 'None' },
      { value: 'batchNorm', label: 'Batch norm' },
      { value: 'layerNorm', label: 'Layer norm' },
    ],
    help: 'Normalises each hidden layer before its activation. Batch norm uses running statistics on held-out data.',
  })

export const FORMS = ['mlp', 'conv'] as const

/** A block's architecture: fully connected layers, or stride-2 convolutions on images. */
export type Form = (typeof FORMS)[number]

/** The `form` param every block with both forms shares. */
export const formParam = (help: string) =>
  param.choice<Form>({
    default: 'mlp',
    options: [
      { value: 'mlp', label: 'MLP' },
      { value: 'conv', label: 'Convolutional' },
    ],
    help,
  })

/** The `hidden` param: widths of the hidden fully connected layers of the MLP form. */
export const hiddenParam = (fallback: readonly number[] = [256]) =>
  param.intList({
    default: fallback,
    min: 1,
    max: 8192,
    maxLength: 8,
    help: 'Widths of the hidden layers of the MLP form, in order; empty for a single linear map.',
  })

/** The `channels` param: channel counts of the stride-2 convolutions of the conv form. */
export const channelsParam = (fallback: readonly number[], help: string) =>
  param.intList({ default: fallback, min: 1, max: 1024, minLength: 1, maxLength: 6, help })

/** Running statistics keep 90 % per update (tfjs-layers' 0.99 adapts too slowly for short runs). */
export const BATCH_NORM_MOMENTUM = 0.9

/** Added to the variance before the square root, as tfjs-layers does. */
export const NORMALIZATION_EPSILON = 1e-3

/** Kernel of the stride-2 down- and up-sampling convolutions (DCGAN, pix2pix use 4×4). */
export const SAMPLING_KERNEL_SIZE = 4

/** Creates a node variable; `BuildContext.variable`. */
export type VariableFactory = (
  name: string,
  shape: Shape,
  init: Initializer,
  options?: VariableOptions,
) => Variable

/** One built layer: a batch in, a batch out. */
export type LayerFn = (x: Tensor, context: ForwardContext) => Tensor

interface WeightedLayerSpec {
  /** Prefix of the layer's variable names (`layer0` → `layer0/kernel`); '' for bare names. */
  name: string
  /** After the normalisation; linear by default. */
  activation?: Activation
  /** Between the linear map and the activation; none by default. */
  normalization?: Normalization
  /** Defaults to true without normalisation and false with it (its offset replaces the bias). */
  hasBias?: boolean
}

/** x·W (+ b) on vectors [n] → [units]. */
export interface DenseSpec extends WeightedLayerSpec {
  kind: 'dense'
  units: number
}

/** 2-D convolution with same padding on images [h, w, c] → [⌈h/s⌉, ⌈w/s⌉, filters]. */
export interface Conv2dSpec extends WeightedLayerSpec {
  kind: 'conv2d'
  filters: number
  kernelSize: number
  stride: number
}

/** Transposed convolution (upsampling) with same padding: [h, w, c] → [h·s, w·s, filters]. */
export interface Conv2dTransposeSpec extends WeightedLayerSpec {
  kind: 'conv2dTranspose'
  filters: number
  kernelSize: number
  stride: number
}

/**
 * Resize-convolution up-sampling (Odena et al. 2016): nearest-neighbour up-sampling by `scale`,
 * then a stride-1 convolution with same padding: [h, w, c] → [h·s, w·s, filters]. A transposed
 * convolution gives each of the s² output phases its own slice of the kernel, and their
 * mismatch shows as a grid of period s; here one kernel serves every output pixel.
 */
export interface ResizeConv2dSpec extends WeightedLayerSpec {
  kind: 'resizeConv2d'
  filters: number
  kernelSize: number
  scale: number
}

/** Any per-sample shape → a vector of its size. */
export interface FlattenSpec {
  kind: 'flatten'
}

/** A per-sample shape → another of the same size. */
export interface ReshapeSpec {
  kind: 'reshape'
  shape: Shape
}

export type LayerSpec =
  DenseSpec | Conv2dSpec | Conv2dTransposeSpec | ResizeConv2dSpec | FlattenSpec | ReshapeSpec

export const UPSAMPLINGS = ['transposed', 'resize'] as const

/** How a block doubles height and width: a transposed convolution, or `ResizeConv2dSpec`. */
export type Upsampling = (typeof UPSAMPLINGS)[number]

/** The `upsampling` param of the blocks that grow images (decoder, generator). */
export const upsamplingParam = () =>
  param.choice<Upsampling>({
    default: 'transposed',
    label: 'up-sampling',
    options: [
      { value: 'transposed', label: 'Transposed conv' },
      { value: 'resize', label: 'Resize + conv' },
    ],
    help: 'How each layer doubles height and width: a 4×4 stride-2 transposed convolution (DCGAN, pix2pix), or nearest-neighbour resizing then a 3×3 convolution, which avoids the grid (checkerboard) artefacts transposed convolutions tend to draw.',
  })

/** Kernel of the stride-1 convolution after a nearest-neighbour resize. */
export const RESIZE_KERNEL_SIZE = 3

/** One layer that doubles height and width, as `upsampling` chooses. */
export function doublingSpec(
  upsampling: Upsampling,
  layer: WeightedLayerSpec & { filters: number },
): Conv2dTransposeSpec | ResizeConv2dSpec {
  return upsampling === 'resize'
    ? { kind: 'resizeConv2d', kernelSize: RESIZE_KERNEL_SIZE, scale: 2, ...layer }
    : { kind: 'conv2dTranspose', kernelSize: SAMPLING_KERNEL_SIZE, stride: 2, ...layer }
}

/** A layer with the per-sample shape it receives, for architectures that are not a plain stack. */
export interface LayerStep {
  spec: LayerSpec
  input: Shape
}

/** `layer0` + `kernel` → `layer0/kernel`; '' + `kernel` → `kernel`. */
export function scopedName(scope: string, name: string): string {
  return scope === '' ? name : `${scope}/${name}`
}

/** Per-sample output shape of one layer. Pure arithmetic: never throws. */
export function layerOutputShape(spec: LayerSpec, input: Shape): Shape {
  switch (spec.kind) {
    case 'dense':
      return [spec.units]
    case 'conv2d':
      return [
        Math.ceil((input[0] ?? 0) / spec.stride),
        Math.ceil((input[1] ?? 0) / spec.stride),
        spec.filters,
      ]
    case 'conv2dTranspose':
      return [(input[0] ?? 0) * spec.stride, (input[1] ?? 0) * spec.stride, spec.filters]
    case 'resizeConv2d':
      return [(input[0] ?? 0) * spec.scale, (input[1] ?? 0) * spec.scale, spec.filters]
    case 'flatten':
      return [shapeSize(input)]
    case 'reshape':
      return spec.shape
  }
}

/** The steps of a plain stack: each spec with the shape it receives. */
export function stackSteps(specs: readonly LayerSpec[], input: Shape): LayerStep[] {
  const steps: LayerStep[] = []
  let shape = input
  for (const spec of specs) {
    steps.push({ spec, input: shape })
    shape = layerOutputShape(spec, shape)
  }
  return steps
}

/** Per-sample output shape of a plain stack. */
export function stackOutputShape(specs: readonly LayerSpec[], input: Shape): Shape {
  return specs.reduce((shape, spec) => layerOutputShape(spec, shape), input)
}

const hasBiasOf = (spec: WeightedLayerSpec): boolean =>
  spec.hasBias ?? (spec.normalization ?? 'none') === 'none'

/**
 * Trainable scalars and FLOPs per sample of one layer. FLOPs are 2 × the multiply-adds of the
 * matrix product or convolution; bias, normalisation and activation are not counted. For convs
 * the count ignores that padded borders multiply zeros (so it slightly overestimates); a
 * transposed conv counts every input pixel times the whole kernel; a resize-conv every output
 * pixel (the up-sampling copies and is not counted). Batch-norm running
 * statistics are not trainable and not counted.
 */
export function layerCost(spec: LayerSpec, input: Shape): NodeCost {
  if (spec.kind === 'flatten' || spec.kind === 'reshape') return { parameters: 0, flops: 0 }
  const channels = spec.kind === 'dense' ? spec.units : spec.filters
  const extras =
    (hasBiasOf(spec) ? channels : 0) +
    ((spec.normalization ?? 'none') === 'none' ? 0 : 2 * channels)
  switch (spec.kind) {
    case 'dense': {
      const weights = (input[0] ?? 0) * spec.units
      return { parameters: weights + extras, flops: 2 * weights }
    }
    case 'conv2d':
    case 'conv2dTranspose':
    case 'resizeConv2d': {
      const weights = spec.kernelSize * spec.kernelSize * (input[2] ?? 0) * spec.filters
      // A conv multiplies per output pixel; a transposed conv scatters per input pixel.
      const [height = 0, width = 0] =
        spec.kind === 'conv2dTranspose' ? input : layerOutputShape(spec, input)
      return { parameters: weights + extras, flops: 2 * weights * height * width }
    }
  }
}

/** The sum of several costs. */
export function addCosts(...costs: readonly NodeCost[]): NodeCost {
  return costs.reduce(
    (total, cost) => ({
      parameters: total.parameters + cost.parameters,
      flops: total.flops + cost.flops,
    }),
    { parameters: 0, flops: 0 },
  )
}

/** The cost of a list of steps (a stack from `stackSteps`, or a hand-built architecture). */
export function stepsCost(steps: readonly LayerStep[]): NodeCost {
  return addCosts(...steps.map((step) => layerCost(step.spec, step.input)))
}

/** [batch, ...shape] → [batch, size]. */
export function flatten(tf: Tf, x: Tensor): Tensor {
  return tf.reshape(x, [-1, shapeSize(x.shape.slice(1))])
}

/**
 * Nearest-neighbour up-sampling of images [batch, h, w, c] → [batch, h·s, w·s, c], each pixel
 * copied into an s×s block. Forward by concat and reshape; the gradient sums each block back
 * onto its pixel, s²·avgPool(dy), one fast pooling kernel on every backend (concat's own
 * gradient, a split of rank 5, took seconds per step on WASM; and WASM has no gradient kernel
 * for tf.image.resizeNearestNeighbor).
 */
export function upsampleNearest(tf: Tf, x: Tensor, scale: number): Tensor {
  if (scale === 1) return x
  const upsample = tf.customGrad((...args) => {
    const [input] = args as [Tensor]
    const [batch = 0, height = 0, width = 0, channels = 0] = input.shape
    const copies = (t: Tensor, axis: number) => tf.concat(Array<Tensor>(scale).fill(t), axis)
    // [b, h, w, 1, c] → s copies on axis 3 → [b, h, w·s, c]: each pixel repeated along its row.
    const wide = tf.reshape(copies(tf.reshape(input, [batch, height, width, 1, channels]), 3), [
      batch,
      height,
      1,
      width * scale,
      channels,
    ])
    // [b, h, 1, w·s, c] → s copies on axis 2 → [b, h·s, w·s, c]: each row repeated.
    const value = tf.reshape(copies(wide, 2), [batch, height * scale, width * scale, channels])
    return {
      value,
      gradFunc: (dy: Tensor) =>
        tf.mul(tf.avgPool(dy as Tensor4D, scale, scale, 'valid'), scale * scale),
    }
  })
  return upsample(x)
}

/** [batch, ...] → [batch, ...shape] (same size per sample). */
export function reshapeSamples(tf: Tf, x: Tensor, shape: Shape): Tensor {
  return tf.reshape(x, [-1, ...shape])
}

/**
 * What building layers needs: TF.js, the node's variable factory, and the cleanups of what
 * layers keep between passes. A node builds all its layers with one builder and returns
 * `builder.dispose` as its instance's `dispose`.
 */
export interface LayerBuilder {
  tf: Tf
  variable: VariableFactory
  /** Registers a cleanup for `dispose`. */
  onDispose: (release: () => void) => void
  /** Runs every cleanup: frees kept tensors (not variables, which the program owns). */
  dispose: () => void
}

export function layerBuilder(tf: Tf, variable: VariableFactory): LayerBuilder {
  const releases: (() => void)[] = []
  return {
    tf,
    variable,
    onDispose: (release) => releases.push(release),
    dispose() {
      for (const release of releases.splice(0)) release()
    },
  }
}

/** Kept batch statistics waiting for `afterStep` to fold them into the running statistics. */
interface PendingStatistics {
  step: number
  mean: Tensor
  variance: Tensor
}

/**
 * Normalisation over the last axis' channels; the identity for 'none'. Variables: `gamma`
 * (ones) and `beta` (zeros), trainable, [channels]; batch norm adds non-trainable `movingMean`
 * (zeros) and `movingVariance` (ones).
 *
 * Batch norm: with `context.split === 'train'` it normalises with the batch mean and biased
 * variance (as Keras; defined for a batch of one) over every axis but the last, keeps copies of
 * them, and registers an `afterStep` update `moving ← 0.9·moving + 0.1·batch` that disposes the
 * copies; every application in a pass (D on real, then on fake) contributes its update. On
 * 'heldOut' it uses the running statistics and registers nothing. Copies whose update never ran
 * (an abandoned pass) are freed by the first training forward of a later step, or by
 * `builder.dispose`, so they cannot pile up.
 */
export function buildNormalization(
  builder: LayerBuilder,
  scope: string,
  normalization: Normalization,
  channels: number,
): LayerFn {
  const { tf, variable } = builder
  if (normalization === 'none') return (x) => x
  const gamma = variable(scopedName(scope, 'gamma'), [channels], 'ones')
  const beta = variable(scopedName(scope, 'beta'), [channels], 'zeros')
  const affine = (x: Tensor, mean: Tensor, variance: Tensor): Tensor =>
    tf.add(
      tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, NORMALIZATION_EPSILON))), gamma),
      beta,
    )

  if (normalization === 'layerNorm') {
    return (x) => {
      // Per sample over all feature axes: [batch, 1, …] statistics.
      const axes = Array.from({ length: x.rank - 1 }, (_, index) => index + 1)
      const { mean, variance } = tf.moments(x, axes, true)
      return affine(x, mean, variance)
    }
  }

  const movingMean = variable(scopedName(scope, 'movingMean'), [channels], 'zeros', {
    isTrainable: false,
  })
  const movingVariance = variable(scopedName(scope, 'movingVariance'), [channels], 'ones', {
    isTrainable: false,
  })
  const pending = new Set<PendingStatistics>()
  const release = (entry: PendingStatistics) => {
    pending.delete(entry)
    tf.dispose([entry.mean, entry.variance])
  }
  builder.onDispose(() => {
    pending.forEach(release)
  })
  const fold = (moving: Variable, batch: Tensor) => {
    moving.assign(
      tf.add(tf.mul(moving, BATCH_NORM_MOMENTUM), tf.mul(batch, 1 - BATCH_NORM_MOMENTUM)),
    )
  }
  return (x, context) => {
    if (context.split === 'heldOut') return affine(x, movingMean, movingVariance)
    // Over batch (and height, width): [channels].
    const axes = Array.from({ length: x.rank - 1 }, (_, index) => index)
    const { mean, variance } = tf.moments(x, axes)
    for (const entry of pending) if (entry.step !== context.step) release(entry)
    // Clones share the data but not the lifetime: the tape keeps its own tensors.
    const entry: PendingStatistics = {
      step: context.step,
      mean: tf.keep(tf.clone(mean)),
      variance: tf.keep(tf.clone(variance)),
    }
    pending.add(entry)
    context.afterStep(() => {
      if (!pending.has(entry)) return
      tf.tidy(() => {
        fold(movingMean, entry.mean)
        fold(movingVariance, entry.variance)
      })
      release(entry)
    })
    return affine(x, mean, variance)
  }
}

/**
 * Creates a layer's variables (kernel Glorot-uniform, bias zeros) and returns its forward pass:
 * linear map → normalisation → activation.
 */
export function buildLayer(builder: LayerBuilder, spec: LayerSpec, input: Shape): LayerFn {
  const { tf, variable } = builder
  switch (spec.kind) {
    case 'flatten':
      return (x) => flatten(tf, x)
    case 'reshape':
      return (x) => reshapeSamples(tf, x, spec.shape)
    case 'dense':
    case 'conv2d':
    case 'conv2dTranspose':
    case 'resizeConv2d':
      break
  }
  const channels = spec.kind === 'dense' ? spec.units : spec.filters
  const bias = hasBiasOf(spec)
    ? variable(scopedName(spec.name, 'bias'), [channels], 'zeros')
    : undefined
  const kernelName = scopedName(spec.name, 'kernel')
  let linear: (x: Tensor) => Tensor
  switch (spec.kind) {
    case 'dense': {
      const kernel = variable(kernelName, [input[0] ?? 0, spec.units], 'glorotUniform')
      linear = (x) => tf.matMul(x, kernel) // [batch, units]
      break
    }
    case 'conv2d':
    case 'resizeConv2d': {
      const size = spec.kernelSize
      const kernel = variable(
        kernelName,
        [size, size, input[2] ?? 0, spec.filters],
        'glorotUniform',
      )
      linear =
        spec.kind === 'conv2d'
          ? (x) => tf.conv2d(x as Tensor4D, kernel as Tensor4D, spec.stride, 'same')
          : (x) =>
              tf.conv2d(
                upsampleNearest(tf, x, spec.scale) as Tensor4D,
                kernel as Tensor4D,
                1,
                'same',
              ) // [batch, h·s, w·s, filters]
      break
    }
    case 'conv2dTranspose': {
      const size = spec.kernelSize
      // TF.js stores transposed kernels as [kh, kw, out, in], as tfjs-layers' Conv2DTranspose.
      const kernel = variable(
        kernelName,
        [size, size, spec.filters, input[2] ?? 0],
        'glorotUniform',
      )
      const [height = 0, width = 0] = layerOutputShape(spec, input)
      linear = (x) =>
        tf.conv2dTranspose(
          x as Tensor4D,
          kernel as Tensor4D,
          [x.shape[0], height, width, spec.filters],
          spec.stride,
          'same',
        ) // [batch, h·s, w·s, filters]
      break
    }
  }
  const normalize = buildNormalization(builder, spec.name, spec.normalization ?? 'none', channels)
  const activation = spec.activation ?? 'linear'
  return (x, context) => {
    const mapped = linear(x)
    const shifted = bias === undefined ? mapped : tf.add(mapped, bias)
    return activate(tf, normalize(shifted, context), activation)
  }
}

/** Builds every step in order and returns their forward passes, one per step. */
export function buildSteps(builder: LayerBuilder, steps: readonly LayerStep[]): LayerFn[] {
  return steps.map((step) => buildLayer(builder, step.spec, step.input))
}

/** Builds a plain stack and returns its forward pass. */
export function buildStack(
  builder: LayerBuilder,
  specs: readonly LayerSpec[],
  input: Shape,
): LayerFn {
  const layers = buildSteps(builder, stackSteps(specs, input))
  return (x, context) => layers.reduce((value, layer) => layer(value, context), x)
}

/**
 * Why an input cannot go through `halvings` stride-2 layers: it must be an image [h, w, c] whose
 * height and width divide by 2^halvings. Undefined when it can.
 */
export function imageIssue(
  port: string,
  shape: Shape,
  halvings: number,
  what: string,
): ShapeIssue | undefined {
  const factor = 2 ** halvings
  if (shape.length !== 3) {
    return {
      port,
      message: `${what} takes an image per sample; use the MLP form for vectors`,
      expected: '[h, w, c]',
      actual: formatShape(shape),
    }
  }
  const [height = 0, width = 0] = shape
  if (height % factor !== 0 || width % factor !== 0) {
    return {
      port,
      message: `${what} halves height and width ${halvings} time${halvings === 1 ? '' : 's'}, so both must divide by ${factor}`,
      expected: `[h, w, c] with h and w divisible by ${factor}`,
      actual: formatShape(shape),
    }
  }
  return undefined
}

/** Shape check for inputs that may be a vector [n] or an image [h, w, c]. */
export function vectorOrImageIssue(
  port: string,
  shape: Shape,
  what: string,
): ShapeIssue | undefined {
  if (shape.length === 1 || shape.length === 3) return undefined
  return {
    port,
    message: `${what} takes a vector or an image per sample`,
    expected: '[n] or [h, w, c]',
    actual: formatShape(shape),
  }
}
