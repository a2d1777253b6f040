/**
 * The three models of the compile-overhead bench (issue #9), each written twice: as a graph
 * document that the compiler turns into a training program, and by hand in plain TF.js
 * (`tf.variable`, `tf.matMul`, `tf.conv2d`, `optimizer.minimize`), the way someone would write
 * the loop without Latent Lab. Both read from the same fixed pool of inputs, so the data costs
 * the same on each side and the comparison measures the compiler.
 *
 * The hand-written variables carry the program's names (`enc/layer0/kernel`), so a test can
 * copy the program's weights into them and check that both compute the same losses.
 */
import type * as tfjs from '@tensorflow/tfjs'
import type { GraphDocument } from '../graph-core/document'
import { defineNode, ok, type Tensor, type Tf, type Variable } from '../graph-core/nodeDefinition'
import { param } from '../graph-core/params'
import { labels, tensor } from '../graph-core/ports'
import { createRegistry } from '../graph-core/registry'
import { graph } from '../graph-core/testing/graphBuilder'
import { NODE_DEFINITIONS } from '../nodes/registry'

type Tensor4D = tfjs.Tensor4D

/** What the pool holds: `uniform` values in [0, 1] (pixels) or `normal` N(0, 1) (noise). */
type PoolDistribution = 'uniform' | 'normal'

interface PoolSpec {
  shape: readonly number[]
  classes: number
  batchSize: number
  /** Batches in the pool; a pass takes one whole batch. */
  batches: number
  distribution: PoolDistribution
}

/** A seeded pool of `batches × batchSize` samples [n, ...shape] and labels [n]. */
export function createPool(tf: Tf, spec: PoolSpec): { x: Tensor; labels: Tensor } {
  const count = spec.batches * spec.batchSize
  return tf.tidy(() => ({
    x:
      spec.distribution === 'normal'
        ? tf.randomNormal([count, ...spec.shape], 0, 1, 'float32', 7)
        : tf.randomUniform([count, ...spec.shape], 0, 1, 'float32', 7),
    labels: tf.cast(tf.floor(tf.randomUniform([count], 0, spec.classes, 'float32', 8)), 'int32'),
  }))
}

/** Batch `index` (mod the pool) of a pool: contiguous rows. */
export function poolBatch(
  tf: Tf,
  pool: { x: Tensor; labels: Tensor },
  spec: PoolSpec,
  index: number,
): { x: Tensor; labels: Tensor } {
  const start = (index % spec.batches) * spec.batchSize
  return {
    x: tf.slice(pool.x, start, spec.batchSize), // [batch, ...shape]
    labels: tf.slice(pool.labels, start, spec.batchSize), // [batch]
  }
}

/**
 * Bench data: batches taken in turn from a fixed seeded pool (see `createPool`), the pass seed
 * choosing which. Images, labels or noise, at no cost beyond a slice.
 */
export const benchPool = defineNode({
  type: 'bench.pool',
  version: 1,
  category: 'data',
  label: 'Fixed pool (bench)',
  description: 'Batches sliced from a fixed seeded pool, for benchmarks.',
  inputs: {},
  outputs: { x: tensor(), labels: labels() },
  params: {
    shape: param.intList({
      default: [28, 28, 1],
      min: 1,
      max: 4096,
      minLength: 1,
      maxLength: 3,
      help: 'Shape of one sample.',
    }),
    classes: param.int({ default: 10, min: 2, max: 100_000, help: 'Labels lie in [0, classes).' }),
    batchSize: param.int({ default: 64, min: 1, max: 4096, help: 'Samples per batch.' }),
    batches: param.int({ default: 8, min: 1, max: 256, help: 'Batches in the pool.' }),
    distribution: param.choice<PoolDistribution>({
      default: 'uniform',
      options: ['uniform', 'normal'],
      help: 'Uniform in [0, 1] (pixels) or N(0, 1) (noise).',
    }),
  },
  dataInfo: ({ classes, batchSize }) => ({ classes, samplesPerClassPerBatch: batchSize / classes }),
  inferShapes: (_inputs, { shape }) => ok({ x: [...shape], labels: [] }),
  build({ tf, params }) {
    const pool = createPool(tf, params)
    return {
      forward: (_inputs, { seed }) => poolBatch(tf, pool, params, seed),
      dispose: () => {
        tf.dispose([pool.x, pool.labels])
      },
    }
  },
})

/** Every node of the app plus the bench pool. */
export const benchRegistry = createRegistry([...NODE_DEFINITIONS, benchPool])

/** A training loop written by hand. */
export interface HandWrittenLoop {
  /** Every variable, trainable or not, named as the compiled program names its own. */
  variables: ReadonlyMap<string, Variable>
  /** The trainable ones. */
  trainable: ReadonlySet<string>
  /**
   * One iteration: every optimizer in the graph's order. Reads the losses back once, as the
   * compiled program does; by optimizer node id.
   */
  step(): Promise<Record<string, number>>
  dispose(): void
}

export interface BenchModel<C> {
  name: string
  /** Sizes for the bench (the presets' shapes) and for the unit test. */
  sizes: { bench: C; tiny: C }
  document(config: C): GraphDocument
  handWritten(tf: Tf, config: C): HandWrittenLoop
}

/**
 * The variables of a hand-written model, initialised as the graph's (Glorot-uniform kernels,
 * zero biases, BN γ = 1, β = 0); the random values differ, their scale does not.
 */
function variableSet(tf: Tf) {
  const variables = new Map<string, Variable>()
  const trainable = new Set<string>()
  const add = (name: string, initial: Tensor, isTrainable = true): Variable => {
    const variable = tf.variable(initial, isTrainable)
    initial.dispose()
    variables.set(name, variable)
    if (isTrainable) trainable.add(name)
    return variable
  }
  const glorotUniform = (name: string, shape: number[]) => {
    // Fans as tfjs-layers counts them: the last two axes times the receptive field.
    const receptive = shape.slice(0, -2).reduce((product, size) => product * size, 1)
    const fanIn = (shape.at(-2) ?? 1) * receptive
    const fanOut = (shape.at(-1) ?? 1) * receptive
    const limit = Math.sqrt(6 / (fanIn + fanOut))
    return add(name, tf.randomUniform(shape, -limit, limit))
  }
  return {
    variables,
    trainable,
    add,
    glorotUniform,
    zeros: (name: string, shape: number[], isTrainable = true) =>
      add(name, tf.zeros(shape), isTrainable),
    ones: (name: string, shape: number[], isTrainable = true) =>
      add(name, tf.ones(shape), isTrainable),
    list: (prefix: string) =>
      [...variables].filter(([name]) => name.startsWith(prefix)).map(([, variable]) => variable),
    dispose: () => {
      tf.dispose([...variables.values()])
    },
  }
}

type VariableSet = ReturnType<typeof variableSet>

/**
 * Batch norm by hand: batch statistics over every axis but the last, the running statistics
 * moved 10 % towards them (as the graph's nodes do: momentum 0.9, ε 1e-3).
 */
function batchNormLayer(tf: Tf, set: VariableSet, name: string, channels: number) {
  const gamma = set.ones(`${name}/gamma`, [channels])
  const beta = set.zeros(`${name}/beta`, [channels])
  const movingMean = set.zeros(`${name}/movingMean`, [channels], false)
  const movingVariance = set.ones(`${name}/movingVariance`, [channels], false)
  return (x: Tensor): Tensor => {
    const axes = Array.from({ length: x.rank - 1 }, (_, axis) => axis)
    const { mean, variance } = tf.moments(x, axes)
    movingMean.assign(tf.add(tf.mul(movingMean, 0.9), tf.mul(mean, 0.1)))
    movingVariance.assign(tf.add(tf.mul(movingVariance, 0.9), tf.mul(variance, 0.1)))
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta)
  }
}

/** `optimizer.minimize` returning its cost (NaN if TF.js gave none). */
function minimize(
  tf: Tf,
  optimizer: tfjs.Optimizer,
  loss: () => tfjs.Scalar,
  variables: Variable[],
): tfjs.Scalar {
  return optimizer.minimize(loss, true, variables) ?? tf.scalar(Number.NaN)
}

/** Reads several scalars back in one transfer and frees them. */
async function readScalars(tf: Tf, costs: readonly Tensor[]): Promise<number[]> {
  const packed = tf.stack([...costs])
  const values = await packed.data()
  tf.dispose([packed, ...costs])
  return [...values]
}

// ---------------------------------------------------------------------------------------------
// Autoencoder: 784-256-32-256-784 MLP, MSE to the input, Adam (the autoencoder preset).

export interface AutoencoderConfig {
  batchSize: number
  image: [number, number, number]
  hidden: number
  latent: number
  learningRate: number
  poolBatches: number
}

export const autoencoderModel: BenchModel<AutoencoderConfig> = {
  name: 'autoencoder',
  sizes: {
    bench: {
      batchSize: 64,
      image: [28, 28, 1],
      hidden: 256,
      latent: 32,
      learningRate: 1e-3,
      poolBatches: 8,
    },
    tiny: {
      batchSize: 4,
      image: [4, 4, 1],
      hidden: 8,
      latent: 3,
      learningRate: 1e-2,
      poolBatches: 1,
    },
  },
  document: (config) =>
    graph('bench autoencoder')
      .node('data', 'bench.pool', {
        shape: config.image,
        batchSize: config.batchSize,
        batches: config.poolBatches,
      })
      .node('enc', 'model.encoder', {
        form: 'mlp',
        hidden: [config.hidden],
        latentDim: config.latent,
      })
      .node('dec', 'model.decoder', {
        form: 'mlp',
        hidden: [config.hidden],
        outputShape: config.image,
        outputActivation: 'sigmoid',
      })
      .node('mse', 'loss.mse')
      .node('opt', 'optim.adam', { learningRate: config.learningRate })
      .edge('data.x', 'enc.x')
      .edge('enc.z', 'dec.z')
      .edge('dec.x', 'mse.prediction')
      .edge('data.x', 'mse.target')
      .edge('mse.loss', 'opt.loss')
      .build(),
  handWritten(tf, config) {
    const set = variableSet(tf)
    const pixels = config.image.reduce((product, size) => product * size, 1)
    const dense = (name: string, inputs: number, units: number) => {
      const bias = set.zeros(`${name}/bias`, [units])
      const kernel = set.glorotUniform(`${name}/kernel`, [inputs, units])
      return (x: Tensor) => tf.add(tf.matMul(x, kernel), bias)
    }
    const encoderHidden = dense('enc/layer0', pixels, config.hidden)
    const encoderOut = dense('enc/z', config.hidden, config.latent)
    const decoderHidden = dense('dec/layer0', config.latent, config.hidden)
    const decoderOut = dense('dec/x', config.hidden, pixels)
    const spec = poolSpec(config.image, 10, config.batchSize, config.poolBatches, 'uniform')
    const pool = createPool(tf, spec)
    const optimizer = tf.train.adam(config.learningRate)
    const trained = set.list('')
    let run = 0
    return {
      variables: set.variables,
      trainable: set.trainable,
      async step() {
        const cost = tf.tidy(() => {
          const { x } = poolBatch(tf, pool, spec, run++)
          return minimize(
            tf,
            optimizer,
            () => {
              const flat = tf.reshape(x, [-1, pixels]) // [batch, pixels]
              const z = encoderOut(tf.relu(encoderHidden(flat))) // [batch, latent]
              const out = tf.sigmoid(decoderOut(tf.relu(decoderHidden(z)))) // [batch, pixels]
              return tf.mean(tf.squaredDifference(tf.reshape(out, x.shape), x))
            },
            trained,
          )
        })
        const [loss = Number.NaN] = await readScalars(tf, [cost])
        return { opt: loss }
      },
      dispose() {
        optimizer.dispose()
        tf.dispose([pool.x, pool.labels])
        set.dispose()
      },
    }
  },
}

function poolSpec(
  shape: readonly number[],
  classes: number,
  batchSize: number,
  batches: number,
  distribution: PoolDistribution,
): PoolSpec {
  return { shape, classes, batchSize, batches, distribution }
}

// ---------------------------------------------------------------------------------------------
// DCGAN: G = dense → BN → ReLU → 4×4 stride-2 transposed convs (BN, ReLU) → sigmoid image;
// D = 4×4 stride-2 convs with leaky ReLU 0.2 → dense logit. One iteration steps D on
// BCE(real → 1, fake → 0), then G on −log σ(D(G(z))) with fresh z; Adam β₁ 0.5 for both.

export interface DcganConfig {
  batchSize: number
  noise: number
  image: [number, number, number]
  /** Generator channels from the smallest image up (2 entries). */
  generator: [number, number]
  /** Discriminator channels (2 entries). */
  discriminator: [number, number]
  learningRate: number
  poolBatches: number
}

export const dcganModel: BenchModel<DcganConfig> = {
  name: 'dcgan',
  sizes: {
    bench: {
      batchSize: 64,
      noise: 64,
      image: [28, 28, 1],
      generator: [64, 32],
      discriminator: [32, 64],
      learningRate: 2e-4,
      poolBatches: 8,
    },
    tiny: {
      batchSize: 4,
      noise: 4,
      image: [8, 8, 1],
      generator: [4, 2],
      discriminator: [2, 4],
      learningRate: 1e-2,
      poolBatches: 1,
    },
  },
  document: (config) => {
    const adam = (trains: string, order: number) => ({
      learningRate: config.learningRate,
      beta1: 0.5,
      trains: [trains],
      order,
    })
    return graph('bench dcgan')
      .node('data', 'bench.pool', {
        shape: config.image,
        batchSize: config.batchSize,
        batches: config.poolBatches,
      })
      .node('noise', 'bench.pool', {
        shape: [config.noise],
        batchSize: config.batchSize,
        batches: config.poolBatches,
        distribution: 'normal',
      })
      .node('gen', 'model.generator', {
        form: 'conv',
        channels: config.generator,
        normalization: 'batchNorm',
        outputActivation: 'sigmoid',
        outputShape: config.image,
      })
      .node(
        'disc',
        'model.discriminator',
        { form: 'conv', channels: config.discriminator },
        { applications: 2 },
      )
      .node('dLoss', 'loss.gan', { term: 'discriminator' })
      .node('gLoss', 'loss.gan', { term: 'generator' })
      .node('optD', 'optim.adam', adam('disc', 0))
      .node('optG', 'optim.adam', adam('gen', 1))
      .edge('noise.x', 'gen.z')
      .edge('data.x', 'disc.x')
      .edge('gen.x', 'disc.x@1')
      .edge('disc.logit', 'dLoss.realLogits')
      .edge('disc.logit@1', 'dLoss.fakeLogits')
      .edge('disc.logit@1', 'gLoss.fakeLogits')
      .edge('dLoss.loss', 'optD.loss')
      .edge('gLoss.loss', 'optG.loss')
      .build()
  },
  handWritten(tf, config) {
    const set = variableSet(tf)
    const [height, width, channels] = config.image
    const [small, middle] = config.generator
    const [seedHeight, seedWidth] = [height / 4, width / 4]
    // Generator: no biases before batch norm (its β is the offset), as the nodes do.
    const seedUnits = seedHeight * seedWidth * small
    const genDense = set.glorotUniform('gen/layer0/kernel', [config.noise, seedUnits])
    const genNorm0 = batchNormLayer(tf, set, 'gen/layer0', seedUnits)
    const genUp1 = set.glorotUniform('gen/layer1/kernel', [4, 4, middle, small])
    const genNorm1 = batchNormLayer(tf, set, 'gen/layer1', middle)
    const genOutBias = set.zeros('gen/x/bias', [channels])
    const genOut = set.glorotUniform('gen/x/kernel', [4, 4, channels, middle])
    const generate = (z: Tensor): Tensor => {
      const batch = z.shape[0]
      const seed = tf.reshape(tf.relu(genNorm0(tf.matMul(z, genDense))), [
        batch,
        seedHeight,
        seedWidth,
        small,
      ])
      const up = tf.relu(
        genNorm1(
          tf.conv2dTranspose(
            seed as Tensor4D,
            genUp1 as Tensor4D,
            [batch, height / 2, width / 2, middle],
            2,
            'same',
          ),
        ),
      )
      const out = tf.conv2dTranspose(
        up as Tensor4D,
        genOut as Tensor4D,
        [batch, height, width, channels],
        2,
        'same',
      )
      return tf.sigmoid(tf.add(out, genOutBias)) // [batch, h, w, c]
    }
    const [first, second] = config.discriminator
    const dBias0 = set.zeros('disc/layer0/bias', [first])
    const dKernel0 = set.glorotUniform('disc/layer0/kernel', [4, 4, channels, first])
    const dBias1 = set.zeros('disc/layer1/bias', [second])
    const dKernel1 = set.glorotUniform('disc/layer1/kernel', [4, 4, first, second])
    const features = (height / 4) * (width / 4) * second
    const dLogitBias = set.zeros('disc/logit/bias', [1])
    const dLogit = set.glorotUniform('disc/logit/kernel', [features, 1])
    const discriminate = (x: Tensor): Tensor => {
      const conv = (input: Tensor, kernel: Variable, bias: Variable) =>
        tf.leakyRelu(tf.add(tf.conv2d(input as Tensor4D, kernel as Tensor4D, 2, 'same'), bias), 0.2)
      const hidden = conv(conv(x, dKernel0, dBias0), dKernel1, dBias1)
      return tf.add(tf.matMul(tf.reshape(hidden, [-1, features]), dLogit), dLogitBias) // [batch, 1]
    }
    const imageSpec = poolSpec(config.image, 10, config.batchSize, config.poolBatches, 'uniform')
    const noiseSpec = poolSpec([config.noise], 10, config.batchSize, config.poolBatches, 'normal')
    const images = createPool(tf, imageSpec)
    const noise = createPool(tf, noiseSpec)
    const optimizerD = tf.train.adam(config.learningRate, 0.5)
    const optimizerG = tf.train.adam(config.learningRate, 0.5)
    const discVariables = [...set.trainable]
      .filter((name) => name.startsWith('disc/'))
      .map((name) => set.variables.get(name) as Variable)
    const genVariables = [...set.trainable]
      .filter((name) => name.startsWith('gen/'))
      .map((name) => set.variables.get(name) as Variable)
    let run = 0
    return {
      variables: set.variables,
      trainable: set.trainable,
      async step() {
        const costD = tf.tidy(() => {
          const real = poolBatch(tf, images, imageSpec, run).x
          const z = poolBatch(tf, noise, noiseSpec, run++).x
          return minimize(
            tf,
            optimizerD,
            () => {
              // −log σ(D(real)) − log(1 − σ(D(G(z)))) = softplus(−real) + softplus(fake)
              const realTerm = tf.mean(tf.softplus(tf.neg(discriminate(real))))
              const fakeTerm = tf.mean(tf.softplus(discriminate(generate(z))))
              return tf.add(realTerm, fakeTerm)
            },
            discVariables,
          )
        })
        const costG = tf.tidy(() => {
          const z = poolBatch(tf, noise, noiseSpec, run++).x
          return minimize(
            tf,
            optimizerG,
            () => tf.mean(tf.softplus(tf.neg(discriminate(generate(z))))),
            genVariables,
          )
        })
        const [lossD = Number.NaN, lossG = Number.NaN] = await readScalars(tf, [costD, costG])
        return { optD: lossD, optG: lossG }
      },
      dispose() {
        optimizerD.dispose()
        optimizerG.dispose()
        tf.dispose([images.x, images.labels, noise.x, noise.labels])
        set.dispose()
      },
    }
  },
}

// ---------------------------------------------------------------------------------------------
// ArcFace: convolutional encoder (4×4 stride-2 convs, BN, ReLU) → 128-d embedding → ArcFace
// head over 400 identities (s 32, m 0.5), Adam (the ArcFace preset's shapes).

export interface ArcFaceConfig {
  batchSize: number
  image: [number, number, number]
  channels: [number, number]
  embedding: number
  classes: number
  scale: number
  margin: number
  learningRate: number
  poolBatches: number
}

export const arcFaceModel: BenchModel<ArcFaceConfig> = {
  name: 'arcface',
  sizes: {
    bench: {
      batchSize: 64,
      image: [32, 32, 1],
      channels: [16, 32],
      embedding: 128,
      classes: 400,
      scale: 32,
      margin: 0.5,
      learningRate: 1e-3,
      poolBatches: 8,
    },
    tiny: {
      batchSize: 6,
      image: [8, 8, 1],
      channels: [2, 4],
      embedding: 8,
      classes: 5,
      scale: 16,
      margin: 0.5,
      learningRate: 1e-2,
      poolBatches: 1,
    },
  },
  document: (config) =>
    graph('bench arcface')
      .node('data', 'bench.pool', {
        shape: config.image,
        classes: config.classes,
        batchSize: config.batchSize,
        batches: config.poolBatches,
      })
      .node('enc', 'model.encoder', {
        form: 'conv',
        channels: config.channels,
        latentDim: config.embedding,
        normalization: 'batchNorm',
      })
      .node('arc', 'loss.arcFace', {
        classes: config.classes,
        scale: config.scale,
        margin: config.margin,
      })
      .node('opt', 'optim.adam', { learningRate: config.learningRate })
      .edge('data.x', 'enc.x')
      .edge('enc.z', 'arc.embeddings')
      .edge('data.labels', 'arc.labels')
      .edge('arc.loss', 'opt.loss')
      .build(),
  handWritten(tf, config) {
    const set = variableSet(tf)
    const [height, width, channels] = config.image
    const [first, second] = config.channels
    const kernel0 = set.glorotUniform('enc/layer0/kernel', [4, 4, channels, first])
    const norm0 = batchNormLayer(tf, set, 'enc/layer0', first)
    const kernel1 = set.glorotUniform('enc/layer1/kernel', [4, 4, first, second])
    const norm1 = batchNormLayer(tf, set, 'enc/layer1', second)
    const features = (height / 4) * (width / 4) * second
    const zBias = set.zeros('enc/z/bias', [config.embedding])
    const zKernel = set.glorotUniform('enc/z/kernel', [features, config.embedding])
    const limit = Math.sqrt(2 / (config.classes + config.embedding))
    const classWeights = set.add(
      'arc/classWeights',
      tf.truncatedNormal([config.classes, config.embedding], 0, limit),
    )
    const encode = (x: Tensor): Tensor => {
      const conv = (input: Tensor, kernel: Variable, norm: (t: Tensor) => Tensor) =>
        tf.relu(norm(tf.conv2d(input as Tensor4D, kernel as Tensor4D, 2, 'same')))
      const hidden = conv(conv(x, kernel0, norm0), kernel1, norm1)
      return tf.add(tf.matMul(tf.reshape(hidden, [-1, features]), zKernel), zBias)
    }
    // The margin applies where θ < π − m; comparisons have no gradient in TF.js, so the mask is
    // computed inside a custom gradient that passes none back.
    const threshold = Math.cos(Math.PI - config.margin)
    const isMargined = tf.customGrad((...args) => {
      const [cos] = args as [Tensor]
      return {
        value: tf.cast(tf.greater(cos, threshold), 'float32'),
        gradFunc: (dy: Tensor) => tf.zerosLike(dy),
      }
    })
    const normalize = (x: Tensor) => tf.div(x, tf.norm(x, 'euclidean', 1, true))
    const cosMargin = Math.cos(config.margin)
    const sinMargin = Math.sin(config.margin)
    const arcFace = (embeddings: Tensor, labels: Tensor): tfjs.Scalar => {
      const cos = tf.clipByValue(
        tf.matMul(normalize(embeddings), normalize(classWeights), false, true),
        -1 + 1e-7,
        1 - 1e-7,
      ) // [batch, classes]
      const oneHot = tf.oneHot(labels, config.classes) // [batch, classes]
      const target = tf.sum(tf.mul(cos, oneHot), 1) // [batch]
      const sin = tf.sqrt(tf.sub(1, tf.square(target)))
      const withMargin = tf.sub(tf.mul(target, cosMargin), tf.mul(sin, sinMargin))
      const fallback = tf.sub(target, config.margin * sinMargin)
      const margined = tf.add(fallback, tf.mul(isMargined(target), tf.sub(withMargin, fallback)))
      const logits = tf.mul(
        tf.add(tf.mul(cos, tf.sub(1, oneHot)), tf.mul(oneHot, tf.expandDims(margined, 1))),
        config.scale,
      )
      return tf.neg(tf.mean<tfjs.Scalar>(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)))
    }
    const spec = poolSpec(
      config.image,
      config.classes,
      config.batchSize,
      config.poolBatches,
      'uniform',
    )
    const pool = createPool(tf, spec)
    const optimizer = tf.train.adam(config.learningRate)
    const trained = [...set.trainable].map((name) => set.variables.get(name) as Variable)
    let run = 0
    return {
      variables: set.variables,
      trainable: set.trainable,
      async step() {
        const cost = tf.tidy(() => {
          const batch = poolBatch(tf, pool, spec, run++)
          return minimize(tf, optimizer, () => arcFace(encode(batch.x), batch.labels), trained)
        })
        const [loss = Number.NaN] = await readScalars(tf, [cost])
        return { opt: loss }
      },
      dispose() {
        optimizer.dispose()
        tf.dispose([pool.x, pool.labels])
        set.dispose()
      },
    }
  },
}

/** The three models, in the order the bench runs them. */
export const BENCH_MODELS = [autoencoderModel, dcganModel, arcFaceModel] as const
