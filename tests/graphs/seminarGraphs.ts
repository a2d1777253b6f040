/**
 * One small graph per seminar model (DESIGN §6), built with the test-graph builder on the
 * synthetic 8×8 dataset: the shapes the presets will have, at test size.
 */
import type { GraphDocument } from '../../graph-core/document'
import { graph, type GraphBuilder } from '../../graph-core/testing/graphBuilder'

const mlp = { form: 'mlp', hidden: [32], latentDim: 16 }
const adam = (learningRate: number, extra: Record<string, unknown> = {}) => ({
  learningRate,
  ...extra,
})

/** data → encoder → (head) → loss → adam, the metric-learning skeleton. */
function metric(name: string, build: (g: GraphBuilder) => GraphBuilder, sampler = 'random') {
  return build(
    graph(name)
      .node('data', 'test.faces', { sampler })
      .node('enc', 'model.encoder', mlp)
      .node('opt', 'optim.adam', adam(3e-3))
      .edge('data.images', 'enc.x'),
  ).build()
}

function margin(type: string, params: Record<string, unknown>) {
  return metric(type, (g) =>
    g
      .node('margin', type, { classes: 6, ...params })
      .edge('enc.z', 'margin.embeddings')
      .edge('data.labels', 'margin.labels')
      .edge('margin.loss', 'opt.loss'),
  )
}

/** Two optimizers: D on the D loss first, then G on its loss (DESIGN §3). */
function gan(
  name: string,
  build: (g: GraphBuilder) => GraphBuilder,
  generatorLoss: 'gG' | 'total' = 'gG',
): GraphDocument {
  const g = build(graph(name))
    .node('dLoss', 'loss.gan', { term: 'discriminator' })
    .node('gG', 'loss.gan', { term: 'generator' })
    .node('optD', 'optim.adam', adam(2e-3, { beta1: 0.5, trains: ['disc'], order: 0 }))
    .node('optG', 'optim.adam', adam(2e-3, { beta1: 0.5, trains: ['gen'], order: 1 }))
    .edge('disc.logit', 'dLoss.realLogits')
    .edge('disc.logit@1', 'dLoss.fakeLogits')
    .edge('disc.logit@1', 'gG.fakeLogits')
    .edge('dLoss.loss', 'optD.loss')
    .edge(`${generatorLoss}.loss`, 'optG.loss')
  return g.build()
}

export const SEMINAR_GRAPHS: Record<string, () => GraphDocument> = {
  softmaxBaseline: () =>
    metric('softmax', (g) =>
      g
        .node('cls', 'model.classifierHead', { classes: 6 })
        .node('ce', 'loss.softmaxCE')
        .edge('enc.z', 'cls.x')
        .edge('cls.logits', 'ce.logits')
        .edge('data.labels', 'ce.labels')
        .edge('ce.loss', 'opt.loss'),
    ),
  triplet: () =>
    metric(
      'triplet',
      (g) =>
        g
          .node('head', 'model.embeddingHead', { dim: 16 })
          .node('triplet', 'loss.triplet', {
            mining: 'curriculum',
            curriculumStep: 10,
            reduction: 'mean',
          })
          .edge('enc.z', 'head.x')
          .edge('head.embedding', 'triplet.embeddings')
          .edge('data.labels', 'triplet.labels')
          .edge('triplet.loss', 'opt.loss'),
      'pk',
    ),
  centerLoss: () =>
    metric('center', (g) =>
      g
        .node('cls', 'model.classifierHead', { classes: 6 })
        .node('center', 'loss.center', { classes: 6, lambda: 0.01 })
        .edge('enc.z', 'cls.x')
        .edge('enc.z', 'center.embeddings')
        .edge('cls.logits', 'center.logits')
        .edge('data.labels', 'center.labels')
        .edge('center.loss', 'opt.loss'),
    ),
  sphereFace: () => margin('loss.sphereFace', {}),
  cosFace: () => margin('loss.cosFace', { scale: 16 }),
  arcFace: () => margin('loss.arcFace', { scale: 16 }),
  autoencoder: () =>
    graph('autoencoder')
      .node('data', 'test.faces')
      .node('enc', 'model.encoder', mlp)
      .node('dec', 'model.decoder', { form: 'mlp', hidden: [32], outputShape: [8, 8, 1] })
      .node('mse', 'loss.mse')
      .node('opt', 'optim.adam', adam(1e-2))
      .edge('data.images', 'enc.x')
      .edge('enc.z', 'dec.z')
      .edge('dec.x', 'mse.prediction')
      .edge('data.images', 'mse.target')
      .edge('mse.loss', 'opt.loss')
      .build(),
  denoisingAutoencoder: () =>
    graph('denoising autoencoder')
      .node('data', 'test.faces')
      .node('enc', 'model.encoder', mlp)
      .node('dec', 'model.decoder', { form: 'mlp', hidden: [32], outputShape: [8, 8, 1] })
      .node('mse', 'loss.mse')
      .node('opt', 'optim.adam', adam(1e-2))
      .edge('data.noisy', 'enc.x')
      .edge('enc.z', 'dec.z')
      .edge('dec.x', 'mse.prediction')
      .edge('data.images', 'mse.target') // the target is the clean image
      .edge('mse.loss', 'opt.loss')
      .build(),
  vae: () =>
    graph('vae')
      .node('data', 'test.faces')
      .node('enc', 'model.encoder', { ...mlp, isVariational: true })
      .node('sample', 'model.reparameterize')
      .node('dec', 'model.decoder', { form: 'mlp', hidden: [32], outputShape: [8, 8, 1] })
      .node('mse', 'loss.mse')
      .node('kl', 'loss.kl')
      .node('total', 'op.weightedSum', { weightA: 1, weightB: 0.01 })
      .node('opt', 'optim.adam', adam(1e-2))
      .edge('data.images', 'enc.x')
      .edge('enc.z', 'sample.mean')
      .edge('enc.logVariance', 'sample.logVariance')
      .edge('sample.z', 'dec.z')
      .edge('dec.x', 'mse.prediction')
      .edge('data.images', 'mse.target')
      .edge('enc.z', 'kl.mean')
      .edge('enc.logVariance', 'kl.logVariance')
      .edge('mse.loss', 'total.a')
      .edge('kl.loss', 'total.b')
      .edge('total.loss', 'opt.loss')
      .build(),
  gan2d: () =>
    gan('gan 2-D', (g) =>
      g
        .node('data', 'test.faces')
        .node('noise', 'data.noise', { dim: 4, batchSize: 24 })
        .node('gen', 'model.generator', {
          form: 'mlp',
          hidden: [32],
          outputShape: [2],
          outputActivation: 'linear',
        })
        .node('disc', 'model.discriminator', { form: 'mlp', hidden: [32] }, { applications: 2 })
        .edge('noise.z', 'gen.z')
        .edge('data.points', 'disc.x')
        .edge('gen.x', 'disc.x@1'),
    ),
  dcgan: () =>
    gan('dcgan', (g) =>
      g
        .node('data', 'test.faces')
        .node('noise', 'data.noise', { dim: 8, batchSize: 24 })
        .node('gen', 'model.generator', { form: 'conv', channels: [16, 8], outputShape: [8, 8, 1] })
        .node(
          'disc',
          'model.discriminator',
          { form: 'conv', channels: [4, 8] },
          { applications: 2 },
        )
        .edge('noise.z', 'gen.z')
        .edge('data.images', 'disc.x')
        .edge('gen.x', 'disc.x@1'),
    ),
  pix2pix: () =>
    gan(
      'pix2pix',
      (g) =>
        g
          .node('data', 'test.faces', { batchSize: 8 })
          .node('gen', 'model.generator', { channels: [4, 8], hasSkips: true })
          .node(
            'disc',
            'model.discriminator',
            { form: 'conv', channels: [4, 8] },
            { applications: 2 },
          )
          .node('l1', 'loss.l1')
          .node('total', 'op.weightedSum', { weightA: 1, weightB: 100 })
          .edge('data.negative', 'gen.z')
          .edge('data.images', 'disc.x')
          .edge('data.negative', 'disc.condition')
          .edge('gen.x', 'disc.x@1')
          .edge('data.negative', 'disc.condition@1')
          .edge('gen.x', 'l1.prediction')
          .edge('data.images', 'l1.target')
          .edge('gG.loss', 'total.a')
          .edge('l1.loss', 'total.b'),
      'total',
    ),
  superResolution: () =>
    gan(
      'super-resolution',
      (g) =>
        g
          .node('data', 'test.faces', { batchSize: 8 })
          .node('gen', 'model.generator', { channels: [4, 8], upscale: 2, hasSkips: true })
          .node(
            'disc',
            'model.discriminator',
            { form: 'conv', channels: [4, 8] },
            { applications: 2 },
          )
          .node('l1', 'loss.l1')
          .node('total', 'op.weightedSum', { weightA: 1e-2, weightB: 1 })
          .edge('data.lowRes', 'gen.z')
          .edge('data.images', 'disc.x')
          .edge('gen.x', 'disc.x@1')
          .edge('gen.x', 'l1.prediction')
          .edge('data.images', 'l1.target')
          .edge('gG.loss', 'total.a')
          .edge('l1.loss', 'total.b'),
      'total',
    ),
  cycleGan: () =>
    graph('cycleGAN')
      .node('data', 'test.faces', { batchSize: 8 })
      .node('genAB', 'model.generator', { channels: [4, 8] }, { applications: 2 })
      .node('genBA', 'model.generator', { channels: [4, 8] }, { applications: 2 })
      .node('discA', 'model.discriminator', { form: 'conv', channels: [4, 8] }, { applications: 2 })
      .node('discB', 'model.discriminator', { form: 'conv', channels: [4, 8] }, { applications: 2 })
      // A → B → A and B → A → B
      .edge('data.images', 'genAB.z')
      .edge('genAB.x', 'genBA.z')
      .edge('data.negative', 'genBA.z@1')
      .edge('genBA.x@1', 'genAB.z@1')
      .edge('data.negative', 'discB.x')
      .edge('genAB.x', 'discB.x@1')
      .edge('data.images', 'discA.x')
      .edge('genBA.x@1', 'discA.x@1')
      .node('dA', 'loss.gan', { term: 'discriminator' })
      .node('dB', 'loss.gan', { term: 'discriminator' })
      .node('gA', 'loss.gan', { term: 'generator' })
      .node('gB', 'loss.gan', { term: 'generator' })
      .node('cycleA', 'loss.cycle', { weight: 10 })
      .node('cycleB', 'loss.cycle', { weight: 10 })
      .node('dTotal', 'op.weightedSum')
      .node('gTotal', 'op.weightedSum')
      .node('optD', 'optim.adam', adam(2e-3, { beta1: 0.5, trains: ['discA', 'discB'], order: 0 }))
      .node('optG', 'optim.adam', adam(2e-3, { beta1: 0.5, trains: ['genAB', 'genBA'], order: 1 }))
      .edge('discA.logit', 'dA.realLogits')
      .edge('discA.logit@1', 'dA.fakeLogits')
      .edge('discB.logit', 'dB.realLogits')
      .edge('discB.logit@1', 'dB.fakeLogits')
      .edge('discA.logit@1', 'gA.fakeLogits')
      .edge('discB.logit@1', 'gB.fakeLogits')
      .edge('data.images', 'cycleA.original')
      .edge('genBA.x', 'cycleA.reconstructed')
      .edge('data.negative', 'cycleB.original')
      .edge('genAB.x@1', 'cycleB.reconstructed')
      .edge('dA.loss', 'dTotal.a')
      .edge('dB.loss', 'dTotal.b')
      .edge('gA.loss', 'gTotal.a')
      .edge('gB.loss', 'gTotal.b')
      .edge('cycleA.loss', 'gTotal.c')
      .edge('cycleB.loss', 'gTotal.d')
      .edge('dTotal.loss', 'optD.loss')
      .edge('gTotal.loss', 'optG.loss')
      .build(),
}
