/**
 * Writes the seminar presets (DESIGN §6): one graph JSON per model in `presets/`, built with the
 * test-graph builder, laid out left to right by the editor's own auto layout (ELK) so the
 * canvas opens tidy, with each preset's explainer in `meta.explainer` (presets/explainer.ts).
 * Refuses to write a preset that does not load cleanly or whose explainer does not validate.
 *
 *   npx tsx scripts/buildPresets.ts           # rewrite presets/*.json
 *   npx tsx scripts/buildPresets.ts --check   # exit 1 if a committed file differs
 *
 * Lives in scripts/ because presets/ may not import app/ (the layout) nor Node built-ins.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { layoutPositions } from '../app/editor/autoLayout'
import { analyzeGraph } from '../graph-core/analysis'
import { serializeDocument, type GraphDocument } from '../graph-core/document'
import { loadDocument } from '../graph-core/loader'
import { graph, type GraphBuilder } from '../graph-core/testing/graphBuilder'
import { nodeRegistry } from '../nodes/registry'
import { PRESET_IDS, type PresetId } from '../presets/ids'
import { readExplainer, type Explainer } from '../presets/explainer'

/**
 * SynthFaces as the face presets use it: 400 training and 100 held-out people, 200 photos of
 * each. With the default 20 photos a network memorises the 8,000 training photos (a conv
 * encoder reached a training loss of 2.9 with a held-out AUC of 0.84); photos are drawn on
 * demand, so more of them cost nothing but variety.
 */
const FACES = { size: 32, batchSize: 64, photos: 200 }

/** The least-squares GAN losses (Mao et al. 2017), which CycleGAN trains with. */
const LSGAN = { objective: 'leastSquares' }

const TRAINING_IDENTITIES = 400
/**
 * The face encoder every metric-learning preset shares, so only the loss differs: two strided
 * convolutions (16, 32 channels) with batch norm, then a linear map to 128 numbers. Measured
 * with ArcFace: held-out AUC 0.962 after 3,000 steps, where an MLP (512, 256) with batch norm
 * reached 0.940 after 2,000.
 */
const FACE_ENCODER = {
  form: 'conv',
  channels: [16, 32],
  normalization: 'batchNorm',
  latentDim: 128,
}
const METRIC_STEPS = 3000

const MEASURED_VERIFICATION =
  'After training, 20 photos of each of the 100 held-out identities (2,000 photos of people never seen in training, each once) go through the network; embeddings are compared by cosine similarity over all pairs: ROC AUC, TAR at FAR 1e-1 and 1e-2, top-1 identification against one photo per person, few-shot 3 → 1.'

const VERIFICATION_LOOK = [
  'Verification (held-out people): the ROC curve and its AUC on identities the model has never seen — the seminar’s open-set question “are these two photos the same person?”.',
  'Embedding map: held-out faces projected to 2-D and coloured by person; switch PCA to UMAP to see the clusters better.',
]

type Params = Record<string, unknown>

/** data → encoder → (loss wiring) → Adam, plus the embedding map and verification views. */
function metricGraph(
  name: string,
  wire: (g: GraphBuilder) => GraphBuilder,
  options: { faces?: Params; embedding?: string } = {},
): GraphBuilder {
  const embedding = options.embedding ?? 'encoder.z'
  return wire(
    graph(name)
      .node('faces', 'data.synthFaces', { ...FACES, ...options.faces }, { title: 'Faces' })
      .node('encoder', 'model.encoder', FACE_ENCODER, { title: 'Face encoder' })
      .node('adam', 'optim.adam', { learningRate: 1e-3 })
      .edge('faces.images', 'encoder.x'),
  )
    .node('embeddingMap', 'view.embeddings', { samples: 600 }, { title: 'Embedding map' })
    .node('verification', 'view.verification', { samples: 1000 }, { title: 'Verification' })
    .edge(embedding, 'embeddingMap.embeddings')
    .edge('faces.labels', 'embeddingMap.labels')
    .edge(embedding, 'verification.embeddings')
    .edge('faces.labels', 'verification.labels')
}

/** An angular-margin loss on the encoder output: SphereFace, CosFace, ArcFace. */
function marginGraph(name: string, type: string, params: Params): GraphBuilder {
  return metricGraph(name, (g) =>
    g
      .node('loss', type, { classes: TRAINING_IDENTITIES, ...params })
      .edge('encoder.z', 'loss.embeddings')
      .edge('faces.labels', 'loss.labels')
      .edge('loss.loss', 'adam.loss'),
  )
}

/** Held-out verification on the first 20 photos of each of the 100 held-out people. */
const faceVerification = (embedding = [{ node: 'encoder', input: 'x', output: 'z' }]) =>
  ({ kind: 'verification', data: 'faces', embedding, photosPerIdentity: 20 }) as const

const beatsBaseline = { metric: 'verificationAuc', op: '>', preset: 'softmax-baseline' } as const

/** The GAN skeleton: D on its loss first, then G on its own (DESIGN §3). */
function ganGraph(
  name: string,
  build: (g: GraphBuilder) => GraphBuilder,
  options: {
    learningRate: number
    generatorLoss?: string
    discriminatorLoss?: string
    beta1?: number
  },
): GraphBuilder {
  const {
    learningRate,
    generatorLoss = 'gLoss',
    discriminatorLoss = 'dLoss',
    beta1 = 0.5,
  } = options
  return build(graph(name))
    .node('dLoss', 'loss.gan', { term: 'discriminator' }, { title: 'D loss' })
    .node('gLoss', 'loss.gan', { term: 'generator' }, { title: 'G loss (adversarial)' })
    .node('adamD', 'optim.adam', { learningRate, beta1, trains: ['disc'], order: 0 })
    .node('adamG', 'optim.adam', { learningRate, beta1, trains: ['gen'], order: 1 })
    .edge('disc.logit', 'dLoss.realLogits')
    .edge('disc.logit@1', 'dLoss.fakeLogits')
    .edge('disc.logit@1', 'gLoss.fakeLogits')
    .edge(`${discriminatorLoss}.loss`, 'adamD.loss')
    .edge(`${generatorLoss}.loss`, 'adamG.loss')
}

interface PresetSource {
  build: () => GraphBuilder
  explainer: Explainer
}

const PRESETS: Record<PresetId, PresetSource> = {
  'softmax-baseline': {
    build: () =>
      metricGraph('Softmax baseline', (g) =>
        g
          .node('classifier', 'model.classifierHead', { classes: TRAINING_IDENTITIES })
          .node('loss', 'loss.softmaxCE', {}, { title: 'Softmax cross-entropy' })
          .edge('encoder.z', 'classifier.x')
          .edge('classifier.logits', 'loss.logits')
          .edge('faces.labels', 'loss.labels')
          .edge('loss.loss', 'adam.loss'),
      ),
    explainer: {
      title: 'Softmax baseline',
      family: 'metricLearning',
      model:
        'A small convolutional encoder maps each 32×32 face to 128 numbers; a linear classifier on top learns to tell the 400 training people apart with softmax cross-entropy. For new people the classifier is cut off and the 128 features (the penultimate layer) are compared by cosine similarity.',
      point:
        'The seminar’s baseline for metric learning: a classifier’s features do cluster by person, but nothing makes the clusters compact or pushes them apart, so faces of people never seen in training are told apart poorly. Every margin loss (center, SphereFace, CosFace, ArcFace) and the triplet loss should beat its held-out AUC.',
      lookAt: [
        ...VERIFICATION_LOOK,
        'The loss falls steadily: naming the 400 training people is the easy part; the held-out AUC is what the seminar cares about.',
      ],
      knobs: [
        {
          node: 'encoder',
          param: 'latentDim',
          hint: 'The embedding size. 128 is plenty here; 16 shows how a narrow bottleneck changes the map.',
        },
        {
          node: 'adam',
          param: 'learningRate',
          hint: 'Try 3e-3 for faster progress or 3e-4 for a steadier curve.',
        },
        {
          node: 'embeddingMap',
          param: 'projection',
          hint: 'UMAP shows the clusters (and their overlap) more clearly than PCA.',
        },
      ],
      training: { steps: METRIC_STEPS, backend: 'wasm' },
      quality: {
        summary:
          'Held-out verification AUC ≥ 0.80 — far above raw pixels (≈ 0.64) — and the reference every metric-learning preset must beat.',
        measured: MEASURED_VERIFICATION,
        targets: [{ metric: 'verificationAuc', op: '>=', value: 0.8 }],
        evaluation: faceVerification(),
      },
    },
  },
  triplet: {
    build: () =>
      metricGraph(
        'Triplet loss',
        (g) =>
          g
            .node('head', 'model.embeddingHead', { dim: 128 }, { title: 'Embedding head' })
            .node('loss', 'loss.triplet', {
              margin: 0.5,
              mining: 'curriculum',
              curriculumStep: METRIC_STEPS / 2,
              reduction: 'mean',
            })
            .edge('encoder.z', 'head.x')
            .edge('head.embedding', 'loss.embeddings')
            .edge('faces.labels', 'loss.labels')
            .edge('loss.loss', 'adam.loss'),
        {
          faces: { sampler: 'pk', identitiesPerBatch: 16, photosPerIdentity: 4 },
          embedding: 'head.embedding',
        },
      ),
    explainer: {
      title: 'Triplet loss',
      family: 'metricLearning',
      model:
        'The face encoder and an embedding head (linear, then L2 normalisation) trained on triplets — an anchor, a positive of the same person, a negative of another — with L = max(‖f(a) − f(p)‖ − ‖f(a) − f(n)‖ + 0.5, 0). Batches hold 16 people × 4 photos so every batch has positives; triplets are mined inside the batch: semi-hard first, hard from half-way on.',
      point:
        'Metric learning without classes: the loss only asks that the same person be closer than any other by a margin. The curriculum matters — hard triplets from the first step can collapse every embedding to one point, which is why the seminar starts with semi-hard ones.',
      lookAt: [
        'The triplet kinds in the run chart: the share of easy triplets grows as the embedding learns; at the curriculum step the loss switches to hard triplets and jumps.',
        ...VERIFICATION_LOOK,
      ],
      knobs: [
        {
          node: 'loss',
          param: 'mining',
          hint: 'Hard from step 0 risks a collapse (all distances equal, the loss stuck at the margin); batch-hard is a strong alternative.',
        },
        {
          node: 'loss',
          param: 'curriculumStep',
          hint: 'When hard triplets take over; 0 is hard mining from the start.',
        },
        {
          node: 'loss',
          param: 'margin',
          hint: 'Distances between unit vectors lie in [0, 2]: 0.2 is lenient, 1.0 demands wide gaps.',
        },
        {
          node: 'faces',
          param: 'photosPerIdentity',
          hint: 'K photos per person per batch: more K, more positives and hard triplets per step.',
        },
      ],
      training: { steps: METRIC_STEPS, backend: 'wasm' },
      quality: {
        summary:
          'Beats the softmax baseline’s held-out verification AUC; the quality bench also trains it with hard triplets from step 0, to compare with the curriculum.',
        measured: MEASURED_VERIFICATION,
        targets: [beatsBaseline],
        evaluation: faceVerification([
          { node: 'encoder', input: 'x', output: 'z' },
          { node: 'head', input: 'x', output: 'embedding' },
        ]),
        variants: [
          {
            id: 'hard-from-start',
            title: 'Hard triplets from step 0 (no curriculum)',
            edits: [{ node: 'loss', param: 'mining', value: 'hard' }],
          },
        ],
      },
    },
  },
  'center-loss': {
    build: () =>
      metricGraph('Center loss', (g) =>
        g
          .node('classifier', 'model.classifierHead', { classes: TRAINING_IDENTITIES })
          .node('loss', 'loss.center', { classes: TRAINING_IDENTITIES, lambda: 0.01 })
          .edge('encoder.z', 'classifier.x')
          .edge('encoder.z', 'loss.embeddings')
          .edge('classifier.logits', 'loss.logits')
          .edge('faces.labels', 'loss.labels')
          .edge('loss.loss', 'adam.loss'),
      ),
    explainer: {
      title: 'Center loss',
      family: 'metricLearning',
      model:
        'The softmax baseline plus a second term: λ · ½‖x − c_y‖² pulls each embedding towards the running centre of its person (centres move by the paper’s update rule, not by the optimizer).',
      point:
        'The seminar’s first fix of the baseline: softmax separates people, the centre term makes each person’s cluster compact. Compact clusters transfer better to people never seen in training.',
      lookAt: [
        ...VERIFICATION_LOOK,
        'Compare the embedding map with the softmax baseline’s: clusters should be tighter.',
      ],
      knobs: [
        {
          node: 'loss',
          param: 'lambda',
          hint: 'Weight of the centre pull: 0 is the plain baseline, 0.1 pulls hard (too hard collapses the features).',
        },
        {
          node: 'loss',
          param: 'alpha',
          hint: 'How fast centres follow the features; the paper uses 0.5.',
        },
      ],
      training: { steps: METRIC_STEPS, backend: 'wasm' },
      quality: {
        summary: 'Beats the softmax baseline’s held-out verification AUC.',
        measured: MEASURED_VERIFICATION,
        targets: [beatsBaseline],
        evaluation: faceVerification(),
      },
    },
  },
  sphereface: {
    build: () => marginGraph('SphereFace', 'loss.sphereFace', { margin: 4 }),
    explainer: {
      title: 'SphereFace',
      family: 'metricLearning',
      model:
        'Class weights normalised, the logit of the true person computed with its angle multiplied: ‖x‖·ψ(mθ) with m = 4 (A-Softmax). A weight λ blends in the plain cosine early on and decays, as the paper does to make it converge.',
      point:
        'The first angular margin of the seminar: the angle to one’s own class centre is penalised m times, so the network must shrink it — clusters become narrow cones on the sphere.',
      lookAt: [...VERIFICATION_LOOK],
      knobs: [
        {
          node: 'loss',
          param: 'margin',
          hint: 'm = 1 is a normalised softmax; 2–4 add ever stronger angular margins.',
        },
        {
          node: 'loss',
          param: 'lambdaMin',
          hint: 'How much plain cosine stays in the blend at the end; smaller is a purer margin, harder to train.',
        },
      ],
      training: { steps: METRIC_STEPS, backend: 'wasm' },
      quality: {
        summary: 'Beats the softmax baseline’s held-out verification AUC.',
        measured: MEASURED_VERIFICATION,
        targets: [beatsBaseline],
        evaluation: faceVerification(),
      },
    },
  },
  cosface: {
    build: () => marginGraph('CosFace', 'loss.cosFace', { scale: 8, margin: 0.35 }),
    explainer: {
      title: 'CosFace',
      family: 'metricLearning',
      model:
        'Embeddings and class weights L2-normalised, logits s·cos θ, and the true person’s logit lowered by an additive margin: s·(cos θ_y − m), s = 8, m = 0.35 (Wang et al. 2018).',
      point:
        'An additive cosine margin: the decision boundary between two people is moved by m on each side, so every person’s cluster must sit well inside its own region.',
      lookAt: [...VERIFICATION_LOOK],
      knobs: [
        {
          node: 'loss',
          param: 'margin',
          hint: '0 is a normalised softmax; 0.35 is the paper’s value; 0.5 is demanding.',
        },
        {
          node: 'loss',
          param: 'scale',
          hint: 'The sphere’s radius. The paper’s 64 suits thousands of people; with these 400 and 3,000 steps a small radius generalises best (held-out AUC 0.966 at 8, 0.961 at 12, 0.958 at 16, 0.956 at 32, 0.949 at 64). Too small and the softmax cannot become confident.',
        },
      ],
      training: { steps: METRIC_STEPS, backend: 'wasm' },
      quality: {
        summary: 'Beats the softmax baseline’s held-out verification AUC.',
        measured: MEASURED_VERIFICATION,
        targets: [beatsBaseline],
        evaluation: faceVerification(),
      },
    },
  },
  arcface: {
    build: () => marginGraph('ArcFace', 'loss.arcFace', { scale: 32, margin: 0.5 }),
    explainer: {
      title: 'ArcFace',
      family: 'metricLearning',
      model:
        'Embeddings and class weights L2-normalised; the true person’s logit is s·cos(θ + m), an additive angular margin (Deng et al. 2019), with s = 32 and m = 0.5 rad.',
      point:
        'The seminar’s answer to why ArcFace beats a softmax classifier on faces it has never seen: a margin in angle gives a constant gap between people on the sphere, so clusters are compact and separated, and new people get their own places too.',
      lookAt: [
        ...VERIFICATION_LOOK,
        'Run the softmax baseline too and compare the AUC and TAR at FAR 1e-2 side by side.',
      ],
      knobs: [
        {
          node: 'loss',
          param: 'margin',
          hint: '0 is a normalised softmax (compare it with the baseline); 0.5 rad ≈ 29° is the paper’s value.',
        },
        {
          node: 'loss',
          param: 'scale',
          hint: 'The paper uses 64; with 400 people 32 trains a little faster here.',
        },
        {
          node: 'encoder',
          param: 'channels',
          hint: 'Wider convolutions fit the training people better and cost more per step; the held-out AUC shows whether they generalise.',
        },
        {
          node: 'faces',
          param: 'photos',
          hint: 'Photos per person. With 20 a network memorises the training photos and the held-out AUC drops: more data beats a bigger model here.',
        },
      ],
      training: { steps: METRIC_STEPS, backend: 'wasm' },
      quality: {
        summary:
          'Held-out verification AUC ≥ 0.95 on people never seen in training, above the softmax baseline.',
        measured: MEASURED_VERIFICATION,
        targets: [{ metric: 'verificationAuc', op: '>=', value: 0.95 }, beatsBaseline],
        evaluation: faceVerification(),
      },
    },
  },
  autoencoder: {
    build: () =>
      graph('Autoencoder')
        .node('digits', 'data.mnist', { batchSize: 64 }, { title: 'MNIST digits' })
        .node('encoder', 'model.encoder', { form: 'mlp', hidden: [256], latentDim: 32 })
        .node('decoder', 'model.decoder', {
          form: 'mlp',
          hidden: [256],
          outputShape: [28, 28, 1],
          outputActivation: 'sigmoid',
        })
        .node('loss', 'loss.mse', {}, { title: 'Reconstruction (MSE)' })
        .node('adam', 'optim.adam', { learningRate: 1e-3 })
        .node(
          'reconstructions',
          'view.reconstruction',
          { samples: 500 },
          { title: 'Reconstructions' },
        )
        .node('codeMap', 'view.embeddings', { samples: 600 }, { title: 'Latent map' })
        .edge('digits.images', 'encoder.x')
        .edge('encoder.z', 'decoder.z')
        .edge('decoder.x', 'loss.prediction')
        .edge('digits.images', 'loss.target')
        .edge('loss.loss', 'adam.loss')
        .edge('digits.images', 'reconstructions.original')
        .edge('decoder.x', 'reconstructions.reconstruction')
        .edge('encoder.z', 'codeMap.embeddings')
        .edge('digits.labels', 'codeMap.labels'),
    explainer: {
      title: 'Autoencoder',
      family: 'autoencoder',
      model:
        'An encoder squeezes each 28×28 digit (784 pixels) into 32 numbers, a decoder rebuilds the image from them; both are trained together to make the output equal the input (mean squared error). No labels are used.',
      point:
        'The seminar’s autoencoder: the 32-number latent vector is the point — it has to keep everything that matters about the digit, so similar digits get similar codes even though no label was ever shown.',
      lookAt: [
        'Reconstructions: held-out digits next to what the decoder makes of their codes, with the error of each.',
        'Latent map: the held-out codes in 2-D, coloured by the digit the network never saw a label for.',
      ],
      knobs: [
        {
          node: 'encoder',
          param: 'latentDim',
          hint: 'The bottleneck: 2 gives blurry digits but a map you can read directly; 64 reconstructs almost perfectly.',
        },
        {
          node: 'encoder',
          param: 'hidden',
          hint: 'Wider layers fit faster; remember to widen the decoder too.',
        },
      ],
      training: { steps: 3000, backend: 'wasm' },
      quality: {
        summary: 'Held-out mean squared error ≤ 0.02 per pixel.',
        measured:
          'Mean squared error per pixel (pixels in [0, 1]) over 2,000 held-out digits (the by-sample split keeps 2,000 of the 10,000 out of training), through the Reconstructions view.',
        targets: [{ metric: 'mse', op: '<=', value: 0.02 }],
        evaluation: { kind: 'reconstruction', view: 'reconstructions', samples: 2000 },
      },
    },
  },
  'denoising-autoencoder': {
    build: () =>
      graph('Denoising autoencoder')
        .node('digits', 'data.mnist', { batchSize: 64 }, { title: 'MNIST digits' })
        .node('noise', 'data.corrupt', { kind: 'gaussian', sigma: 0.3 }, { title: 'Add noise' })
        .node('encoder', 'model.encoder', { form: 'mlp', hidden: [512], latentDim: 64 })
        .node('decoder', 'model.decoder', {
          form: 'mlp',
          hidden: [512],
          outputShape: [28, 28, 1],
          outputActivation: 'sigmoid',
        })
        .node('loss', 'loss.mse', {}, { title: 'Error to the clean digit' })
        .node('adam', 'optim.adam', { learningRate: 1e-3 })
        .node('denoised', 'view.reconstruction', { samples: 500 }, { title: 'Denoised' })
        .node('noisy', 'view.reconstruction', { samples: 500 }, { title: 'Noisy input' })
        .edge('digits.images', 'noise.images')
        .edge('noise.corrupted', 'encoder.x')
        .edge('encoder.z', 'decoder.z')
        .edge('decoder.x', 'loss.prediction')
        .edge('noise.clean', 'loss.target')
        .edge('loss.loss', 'adam.loss')
        .edge('noise.clean', 'denoised.original')
        .edge('decoder.x', 'denoised.reconstruction')
        .edge('noise.clean', 'noisy.original')
        .edge('noise.corrupted', 'noisy.reconstruction'),
    explainer: {
      title: 'Denoising autoencoder',
      family: 'autoencoder',
      model:
        'The autoencoder fed a noisy copy of each digit (Gaussian noise, σ = 0.3, clipped to [0, 1]) and trained to output the clean digit (Vincent et al. 2008).',
      point:
        'From the seminar: give the autoencoder a noisy picture and get a clean one back. Because the code can only keep what digits have in common, the noise, which is different every time, does not survive the bottleneck.',
      lookAt: [
        'Noisy input: what the encoder gets, next to the clean digit, with its error — the baseline to beat.',
        'Denoised: the decoder’s output next to the clean digit; its error should be several times smaller.',
        'The noise slider beside Denoised: the same digits with σ from 0 to 0.6 (it trained at 0.3), the output and its PSNR at each — how far past its training noise the denoiser still holds.',
      ],
      knobs: [
        {
          node: 'noise',
          param: 'sigma',
          hint: 'More noise is harder: at 0.5 the digits are barely visible, yet the output stays clean.',
        },
        {
          node: 'noise',
          param: 'kind',
          hint: 'Masking drops pixels instead of adding noise: the network learns to fill in strokes.',
        },
        {
          node: 'encoder',
          param: 'latentDim',
          hint: 'A narrower code removes more noise but also more detail.',
        },
      ],
      training: { steps: 3000, backend: 'wasm' },
      quality: {
        summary:
          'The output’s PSNR is at least 6 dB above the noisy input’s, at σ = 0.3 (the error to the clean digit four times smaller).',
        measured:
          'PSNR = 10·log10(1 / MSE) for pixels in [0, 1], from the mean squared error to the clean digit over 2,000 held-out digits with fresh noise: the Denoised view for the output, the Noisy input view for the input. Gain = PSNR(output) − PSNR(input).',
        targets: [{ metric: 'psnrGain', op: '>=', value: 6 }],
        evaluation: { kind: 'denoising', denoised: 'denoised', noisy: 'noisy', samples: 2000 },
      },
    },
  },
  vae: {
    build: () =>
      graph('Variational autoencoder')
        .node('faces', 'data.synthFaces', FACES, { title: 'Faces' })
        .node('encoder', 'model.encoder', {
          form: 'mlp',
          hidden: [512],
          latentDim: 32,
          isVariational: true,
        })
        .node('sample', 'model.reparameterize', {}, { title: 'z = μ + σ·ε' })
        .node('decoder', 'model.decoder', {
          form: 'mlp',
          hidden: [512],
          outputShape: [32, 32, 1],
          outputActivation: 'sigmoid',
        })
        .node('reconstruction', 'loss.mse', {}, { title: 'Reconstruction' })
        .node('kl', 'loss.kl', {}, { title: 'KL to N(0, I)' })
        .node('elbo', 'op.weightedSum', { weightA: 1, weightB: 0.001 }, { title: 'Negative ELBO' })
        .node('adam', 'optim.adam', { learningRate: 1e-3 })
        .node(
          'reconstructions',
          'view.reconstruction',
          { samples: 500 },
          { title: 'Reconstructions' },
        )
        .node(
          'latentTools',
          'view.latent',
          { samples: 500, threshold: 0.5 },
          { title: 'Latent tools' },
        )
        .edge('faces.images', 'encoder.x')
        .edge('encoder.z', 'sample.mean')
        .edge('encoder.logVariance', 'sample.logVariance')
        .edge('sample.z', 'decoder.z')
        .edge('decoder.x', 'reconstruction.prediction')
        .edge('faces.images', 'reconstruction.target')
        .edge('encoder.z', 'kl.mean')
        .edge('encoder.logVariance', 'kl.logVariance')
        .edge('reconstruction.loss', 'elbo.a')
        .edge('kl.loss', 'elbo.b')
        .edge('elbo.loss', 'adam.loss')
        .edge('faces.images', 'reconstructions.original')
        .edge('decoder.x', 'reconstructions.reconstruction')
        .edge('encoder.z', 'latentTools.latents')
        .edge('faces.smile', 'latentTools.attribute'),
    explainer: {
      title: 'Variational autoencoder',
      family: 'autoencoder',
      model:
        'An encoder gives a mean μ and log σ² per face; z = μ + σ·ε is sampled and decoded. The loss is the reconstruction error plus the KL divergence of N(μ, σ²) from N(0, I) (Kingma & Welling 2014): the weights 1 and 0.001 make it the negative ELBO of a Gaussian decoder, up to scale, because the reconstruction term is a mean over 1,024 pixels.',
      point:
        'The seminar’s latent space at work: because the KL term packs codes around N(0, I), any point of it decodes to a face — sample it to generate — and directions in it mean something: the smile vector (mean code of smiling faces minus that of neutral ones) added to a neutral face makes it smile.',
      lookAt: [
        'Reconstructions: held-out faces and their decodings — blurrier than a plain autoencoder’s, the price of a smooth latent space.',
        'Latent tools: samples from the prior, interpolation between two faces, and the smile vector applied with a strength slider.',
        'The KL term in the run chart: if it drops to 0 the decoder ignores z (posterior collapse).',
      ],
      knobs: [
        {
          node: 'elbo',
          param: 'weightB',
          hint: 'β, the KL weight: larger gives smoother samples and blurrier reconstructions (β-VAE); 0 is a plain autoencoder whose prior samples are noise.',
        },
        {
          node: 'encoder',
          param: 'latentDim',
          hint: 'More dimensions keep more detail; only some of them end up used.',
        },
        {
          node: 'latentTools',
          param: 'threshold',
          hint: 'Smile score from which a face counts as smiling for the smile vector.',
        },
      ],
      training: { steps: 3000, backend: 'wasm' },
      quality: {
        summary:
          'Adding the smile vector raises the smile score of at least 70% of held-out neutral faces (scored by a small smile regressor trained on the labels); the held-out ELBO is reported.',
        measured:
          '20 photos of each of the 100 held-out people. Negative ELBO per face: squared error of the decoded mean summed over the 1,024 pixels plus the KL term (the bound of a Gaussian decoder with σ² = ½, up to its constant). Smile vector: mean code of smiling training faces (smile ≥ 0.5, 10 photos of each training person) minus that of the others, added to each held-out neutral face (smile < 0.3); a small CNN smile regressor trained on 4,000 training photos scores the decoding before and after.',
        targets: [
          { metric: 'smileRaisedFraction', op: '>=', value: 0.7 },
          { metric: 'negElbo', op: 'report' },
        ],
        evaluation: {
          kind: 'vaeSmile',
          data: 'faces',
          encoder: 'encoder',
          decoder: 'decoder',
          photosPerIdentity: 20,
          threshold: 0.5,
          neutralBelow: 0.3,
        },
      },
    },
  },
  'gan-2d': {
    build: () =>
      ganGraph(
        'GAN on 2-D points',
        (g) =>
          g
            .node(
              'ring',
              'data.toy2d',
              { distribution: 'ring', spread: 0.05, batchSize: 128 },
              {
                title: 'Ring of 8 Gaussians',
              },
            )
            .node('z', 'data.noise', { dim: 8, batchSize: 128 }, { title: 'Noise z' })
            .node(
              'gen',
              'model.generator',
              {
                form: 'mlp',
                hidden: [128, 128],
                outputShape: [2],
                outputActivation: 'linear',
              },
              { title: 'Generator' },
            )
            .node(
              'disc',
              'model.discriminator',
              { form: 'mlp', hidden: [128, 128] },
              {
                title: 'Discriminator',
                applications: 2,
              },
            )
            .node('scatter', 'view.scatter2d', { samples: 1000 }, { title: 'Real vs generated' })
            .edge('z.z', 'gen.z')
            .edge('ring.points', 'disc.x')
            .edge('gen.x', 'disc.x@1')
            .edge('ring.points', 'scatter.real')
            .edge('gen.x', 'scatter.fake'),
        { learningRate: 1e-3 },
      ),
    explainer: {
      title: 'GAN on 2-D points',
      family: 'gan',
      model:
        'A generator turns 8 random numbers into a point (x, y); a discriminator scores points as real (from a ring of 8 Gaussians) or generated. Each step D is updated with BCE (real → 1, fake → 0), then G on fresh noise to make D say 1 (Goodfellow et al. 2014, non-saturating loss).',
      point:
        'The seminar’s GAN loop, small enough to watch: two optimizers, D then G, each with its own loss. On 8 separate modes you can see mode collapse (G covering only a few) and D’s decision surface chasing the generated points.',
      lookAt: [
        'Real vs generated: the real ring, the generated points and, underneath, where D says “real”. Early on G covers a blob or a few modes; it should spread to all eight.',
        'D(real) and D(fake) in the run chart: near 0.5 means a balanced game; D near 1 on both means it is winning.',
      ],
      knobs: [
        {
          node: 'adamD',
          param: 'steps',
          hint: 'k, D steps per G step: 2–5 strengthens D; too strong and G’s gradient vanishes.',
        },
        {
          node: 'gLoss',
          param: 'objective',
          hint: 'Minimax is the paper’s original form and stalls when D wins early; least squares is often steadier.',
        },
        {
          node: 'ring',
          param: 'spread',
          hint: 'Tighter modes (0.02) are harder to cover exactly.',
        },
        {
          node: 'z',
          param: 'dim',
          hint: 'With 1 dimension G has to draw the ring as one curve and bridges between modes show.',
        },
      ],
      training: { steps: 3000, backend: 'wasm' },
      quality: {
        summary:
          'At least 7 of the 8 modes covered, and at least 80% of samples within 3σ of a mode.',
        measured:
          '2,000 generated points from fresh noise: a sample is of high quality within 3σ (σ = 0.05, the ring’s spread) of its nearest mode; a mode is covered when at least 2.5% of the samples (a fifth of its fair share) are high-quality samples of it (the protocol of Metz et al. 2017).',
        targets: [
          { metric: 'modesCovered', op: '>=', value: 7 },
          { metric: 'highQualityFraction', op: '>=', value: 0.8 },
        ],
        evaluation: {
          kind: 'ringModes',
          view: 'scatter',
          samples: 2000,
          sigma: 0.05,
          minShare: 0.025,
        },
      },
    },
  },
  dcgan: {
    build: () =>
      ganGraph(
        'DCGAN on digits',
        (g) =>
          g
            .node('digits', 'data.mnist', { batchSize: 64 }, { title: 'MNIST digits' })
            .node('z', 'data.noise', { dim: 64, batchSize: 64 }, { title: 'Noise z' })
            .node(
              'gen',
              'model.generator',
              {
                form: 'conv',
                channels: [128, 64],
                outputShape: [28, 28, 1],
                outputActivation: 'sigmoid',
                normalization: 'batchNorm',
              },
              { title: 'Generator' },
            )
            .node(
              'disc',
              'model.discriminator',
              {
                form: 'conv',
                channels: [32, 64],
                normalization: 'batchNorm',
                isFirstLayerNormalized: true,
                classes: 10,
              },
              {
                title: 'Discriminator',
                applications: 2,
              },
            )
            .node('samples', 'view.samples', { samples: 64, count: 36 }, { title: 'Samples' })
            .node('dClasses', 'loss.softmaxCE', {}, { title: 'D class loss (real digits)' })
            .node('dTotal', 'op.weightedSum', {}, { title: 'D loss + class loss' })
            .edge('z.z', 'gen.z')
            .edge('digits.images', 'disc.x')
            .edge('gen.x', 'disc.x@1')
            .edge('gen.x', 'samples.images')
            .edge('disc.classLogits', 'dClasses.logits')
            .edge('digits.labels', 'dClasses.labels')
            .edge('dLoss.loss', 'dTotal.a')
            .edge('dClasses.loss', 'dTotal.b'),
        { learningRate: 2e-4, discriminatorLoss: 'dTotal' },
      ),
    explainer: {
      title: 'DCGAN on digits',
      family: 'gan',
      model:
        'A convolutional GAN (Radford et al. 2016): the generator turns 64 random numbers into a 7×7×128 feature map and up-samples it twice with transposed convolutions (64 channels at 14×14, then the 28×28 digit); the discriminator is a small strided CNN, with batch norm in both networks. D’s last layer gives ten logits, one per digit (the semi-supervised GAN of Salimans et al. 2016): their log-sum-exp is the usual real-vs-fake logit, as if fake were an eleventh class with logit 0, and on real digits the ten learn the labels by cross-entropy, added to D’s loss. Adam with lr 2e-4 and β1 = 0.5, as in the paper.',
      point:
        'The seminar’s GAN on images: G never sees a real digit, only D’s opinion of its own, and still learns to write digits. G never sees a label either (it is unconditional, so every digit must come from noise alone); the labels only make D a sharper critic: knowing what a 3 and a 7 look like, it no longer passes a shape halfway between them.',
      lookAt: [
        'Samples: a grid from fresh noise — blobs first, then strokes, then digits of every kind (if only a few kinds appear, that is mode collapse).',
        'The filmstrip beside the grid: the same four noise vectors z at each evaluated step, so you watch one latent become a digit over training.',
        'D(real) and D(fake) in the run chart: the game should stay balanced, neither near 1 nor near 0 for long.',
        'The run chart: adamD’s loss is the GAN loss plus the class loss, and dClasses’ accuracy beside D(real) and D(fake) says how well D names the real digits of each batch (1.0 after 3,000 steps).',
      ],
      knobs: [
        {
          node: 'gen',
          param: 'normalization',
          hint: 'Batch norm in G is part of the DCGAN recipe; without it training is slower and less stable.',
        },
        {
          node: 'disc',
          param: 'normalization',
          hint: 'Batch norm in D as well: without it D falls behind (its loss near 1.4, chance) and fewer samples read as clear digits (measured with a one-logit D and G [64, 32]: 0.631 against 0.743 after 3,000 steps).',
        },
        {
          node: 'disc',
          param: 'classes',
          hint: 'Set 0 for the plain DCGAN discriminator (one logit, no labels; delete the class loss too, which then has no classes to read): 0.735 and 0.753 of samples read as clear digits after 2,000 and 3,000 steps instead of 0.805 and 0.824; most of its misses are shapes halfway between two digits.',
        },
        {
          node: 'dTotal',
          param: 'weightB',
          hint: 'How much D’s objective weighs naming real digits against telling real from fake. At 3 instead of 1: 0.814, 0.830, 0.817 of samples read as clear digits at 1,000, 2,000, 3,000 steps, against 0.796, 0.805, 0.824: better early, not at the end (a PyTorch copy, three seeds at 3,000 steps: 0.837 against 0.808 on average).',
        },
        {
          node: 'adamD',
          param: 'learningRate',
          hint: 'A faster D than G (the two time-scale rule) steadies some GANs (CycleGAN here); in a PyTorch copy of the plain DCGAN, 4e-4 for D against 1e-4 for G let D win and fewer samples read as digits (0.669 against 0.756).',
        },
      ],
      training: { steps: 3000, backend: 'wasm' },
      quality: {
        summary:
          'A digit classifier trained for the evaluation labels at least 80% of samples with confidence ≥ 0.9, and all 10 digits appear.',
        measured:
          '1,000 samples from fresh noise (a fixed seed), classified by a small CNN digit classifier the evaluation trains on the 8,000 training digits (its held-out accuracy is reported); a digit appears when some sample is classified as it with confidence ≥ 0.9.',
        targets: [
          { metric: 'confidentSampleFraction', op: '>=', value: 0.8 },
          { metric: 'digitsPresent', op: '>=', value: 10 },
        ],
        evaluation: {
          kind: 'digitSamples',
          data: 'digits',
          noise: 'z',
          generator: 'gen',
          samples: 1000,
        },
      },
    },
  },
  pix2pix: {
    build: () =>
      ganGraph(
        'pix2pix: edges → digits',
        (g) =>
          g
            .node('digits', 'data.mnist', { batchSize: 32 }, { title: 'MNIST digits' })
            .node('edges', 'data.edges', {}, { title: 'Edges (Sobel)' })
            .node(
              'gen',
              'model.generator',
              // Linear output: under L1, a sigmoid's logits run off to −∞ on the black background
              // (Adam steps at a constant size) and saturate everywhere — G then drew black
              // images (L1 stuck at 0.13, the mean pixel; held-out PSNR 9.5 dB).
              { channels: [32, 64], hasSkips: true, outputActivation: 'linear' },
              {
                title: 'Generator (U-Net)',
              },
            )
            .node(
              'disc',
              'model.discriminator',
              { form: 'conv', channels: [32, 64] },
              {
                title: 'Discriminator (conditional)',
                applications: 2,
              },
            )
            .node('l1', 'loss.l1', {}, { title: 'L1 to the digit' })
            .node(
              'total',
              'op.weightedSum',
              { weightA: 1, weightB: 100 },
              {
                title: 'Adversarial + λ·L1',
              },
            )
            .node(
              'translations',
              'view.reconstruction',
              { samples: 256, count: 6 },
              {
                title: 'Edges → generated vs digit',
              },
            )
            .edge('digits.images', 'edges.images')
            .edge('edges.edges', 'gen.z')
            .edge('edges.images', 'disc.x')
            .edge('edges.edges', 'disc.condition')
            .edge('gen.x', 'disc.x@1')
            .edge('edges.edges', 'disc.condition@1')
            .edge('gen.x', 'l1.prediction')
            .edge('edges.images', 'l1.target')
            .edge('gLoss.loss', 'total.a')
            .edge('l1.loss', 'total.b')
            .edge('edges.images', 'translations.original')
            .edge('gen.x', 'translations.reconstruction')
            .edge('edges.edges', 'translations.input'),
        { learningRate: 2e-4, generatorLoss: 'total' },
      ),
    explainer: {
      title: 'pix2pix: edges → digits',
      family: 'gan',
      model:
        'Image-to-image translation (Isola et al. 2017): a U-Net generator turns the Sobel edge map of a digit into the digit; a conditional discriminator sees the edge map together with a real or generated digit. G minimises its adversarial loss plus 100 × the L1 distance to the real digit.',
      point:
        'From the seminar: a GAN need not start from noise. Conditioned on an image, the adversarial term makes outputs sharp, while L1 alone would average the plausible answers into a blur.',
      lookAt: [
        'Edges → generated vs digit: each row is a held-out edge map (what G sees), what G made of it and the real digit, with the held-out PSNR.',
      ],
      knobs: [
        {
          node: 'total',
          param: 'weightA',
          hint: '0 turns the adversarial term off: an L1-only generator, to compare sharpness.',
        },
        {
          node: 'edges',
          param: 'threshold',
          hint: 'Above 0 the edges become a black-and-white line drawing, which hides more of the digit.',
        },
      ],
      training: { steps: 2000, backend: 'wasm' },
      quality: {
        summary:
          'Held-out L1 and PSNR reported, beside those of an L1-only generator (the quality bench trains both).',
        measured:
          'Mean absolute error and PSNR of the generated digit against the real one, over the 2,000 held-out digits; the bench also trains the same graph with the adversarial weight at 0.',
        targets: [
          { metric: 'psnr', op: 'report' },
          { metric: 'l1', op: 'report' },
        ],
        evaluation: {
          kind: 'translation',
          data: 'digits',
          transform: { node: 'edges', input: 'images', output: 'edges' },
          generator: 'gen',
        },
        variants: [
          {
            id: 'l1-only',
            title: 'L1 only (no adversarial term)',
            edits: [{ node: 'total', param: 'weightA', value: 0 }],
          },
        ],
      },
    },
  },
  'super-resolution': {
    build: () =>
      ganGraph(
        'Super-resolution 14×14 → 28×28',
        (g) =>
          g
            .node('digits', 'data.mnist', { batchSize: 32 }, { title: 'MNIST digits' })
            .node('shrink', 'data.downsample', { factor: 2 }, { title: 'Downsample ×2' })
            .node(
              'gen',
              'model.generator',
              // Linear output, as pix2pix's: a sigmoid under L1 saturated to black images.
              { channels: [64], upscale: 2, hasSkips: true, outputActivation: 'linear' },
              {
                title: 'Generator (×2)',
              },
            )
            .node(
              'disc',
              'model.discriminator',
              { form: 'conv', channels: [32, 64] },
              {
                title: 'Discriminator',
                applications: 2,
              },
            )
            .node('l1', 'loss.l1', {}, { title: 'L1 to the original' })
            .node(
              'total',
              'op.weightedSum',
              { weightA: 0.01, weightB: 1 },
              {
                title: 'L1 + adversarial',
              },
            )
            .node(
              'upscaled',
              'view.reconstruction',
              { samples: 256, count: 6 },
              {
                title: '14×14 → bicubic, generated, original',
              },
            )
            .edge('digits.images', 'shrink.images')
            .edge('shrink.lowRes', 'gen.z')
            .edge('shrink.highRes', 'disc.x')
            .edge('gen.x', 'disc.x@1')
            .edge('gen.x', 'l1.prediction')
            .edge('shrink.highRes', 'l1.target')
            .edge('gLoss.loss', 'total.a')
            .edge('l1.loss', 'total.b')
            .edge('shrink.highRes', 'upscaled.original')
            .edge('gen.x', 'upscaled.reconstruction')
            .edge('shrink.lowRes', 'upscaled.input'),
        { learningRate: 2e-4, generatorLoss: 'total' },
      ),
    explainer: {
      title: 'Super-resolution 14×14 → 28×28',
      family: 'gan',
      model:
        'A generator doubles the resolution of 14×14 digits (a small U-Net with one extra transposed convolution), trained with L1 to the original 28×28 digit plus a small adversarial term from a discriminator of real vs upscaled digits (as SRGAN, Ledig et al. 2017).',
      point:
        'A GAN from an image, as in the seminar: L1 gets the strokes in the right place, the adversarial term keeps them crisp instead of the blur that averaging gives.',
      lookAt: [
        '14×14 → bicubic, generated, original: each row is a held-out 14×14 input (what G gets), its bicubic upsampling, G’s 28×28 output and the original digit; the caption compares the held-out PSNR of bicubic and of G.',
      ],
      knobs: [
        {
          node: 'total',
          param: 'weightA',
          hint: 'The adversarial weight: 0 is L1 only (highest PSNR, softer strokes); 0.1 sharper but with artefacts.',
        },
        {
          node: 'gen',
          param: 'channels',
          hint: 'A wider generator learns faster per step but each step costs more.',
        },
      ],
      training: { steps: 2000, backend: 'wasm' },
      quality: {
        summary: 'Held-out PSNR at least 1 dB above bicubic upsampling.',
        measured:
          'PSNR of the upscaled digit against the original over the 2,000 held-out digits, minus that of bicubic upsampling (Keys, a = −0.5, half-pixel centres) of the same 14×14 inputs.',
        targets: [{ metric: 'psnrOverBicubic', op: '>=', value: 1 }],
        evaluation: {
          kind: 'superResolution',
          data: 'digits',
          downsample: 'shrink',
          generator: 'gen',
        },
      },
    },
  },
  cyclegan: {
    build: () =>
      graph('CycleGAN: neutral ↔ smiling')
        .node('faces', 'data.synthFaces', { ...FACES, batchSize: 128 }, { title: 'Faces' })
        .node(
          'split',
          'data.attributeFilter',
          { low: 0.3, high: 0.7, batchSize: 16 },
          {
            title: 'Neutral (A) | smiling (B)',
          },
        )
        .node(
          'genAB',
          'model.generator',
          { channels: [32, 64], isResidual: true },
          {
            title: 'G: neutral → smiling',
            applications: 2,
          },
        )
        .node(
          'genBA',
          'model.generator',
          { channels: [32, 64], isResidual: true },
          {
            title: 'F: smiling → neutral',
            applications: 2,
          },
        )
        .node(
          'discA',
          'model.discriminator',
          {
            form: 'conv',
            channels: [32, 64, 128],
            normalization: 'layerNorm',
            isFirstLayerNormalized: true,
          },
          {
            title: 'D_A (neutral?)',
            applications: 2,
          },
        )
        .node(
          'discB',
          'model.discriminator',
          {
            form: 'conv',
            channels: [32, 64, 128],
            normalization: 'layerNorm',
            isFirstLayerNormalized: true,
          },
          {
            title: 'D_B (smiling?)',
            applications: 2,
          },
        )
        .edge('faces.images', 'split.images')
        .edge('faces.smile', 'split.attribute')
        // A → B → A and B → A → B
        .edge('split.domainA', 'genAB.z')
        .edge('genAB.x', 'genBA.z')
        .edge('split.domainB', 'genBA.z@1')
        .edge('genBA.x@1', 'genAB.z@1')
        .edge('split.domainB', 'discB.x')
        .edge('genAB.x', 'discB.x@1')
        .edge('split.domainA', 'discA.x')
        .edge('genBA.x@1', 'discA.x@1')
        .node(
          'dA',
          'loss.gan',
          { term: 'discriminator', ...LSGAN, weight: 0.5 },
          { title: 'D_A loss' },
        )
        .node(
          'dB',
          'loss.gan',
          { term: 'discriminator', ...LSGAN, weight: 0.5 },
          { title: 'D_B loss' },
        )
        .node('gA', 'loss.gan', { term: 'generator', ...LSGAN }, { title: 'F fools D_A' })
        .node('gB', 'loss.gan', { term: 'generator', ...LSGAN }, { title: 'G fools D_B' })
        .node('cycleA', 'loss.cycle', { weight: 2.5 }, { title: 'A → B → A' })
        .node('cycleB', 'loss.cycle', { weight: 2.5 }, { title: 'B → A → B' })
        .node('dTotal', 'op.weightedSum', {}, { title: 'D losses' })
        .node('gTotal', 'op.weightedSum', {}, { title: 'G, F losses' })
        .node('adamD', 'optim.adam', {
          learningRate: 4e-4,
          beta1: 0.5,
          trains: ['discA', 'discB'],
          order: 0,
        })
        .node('adamG', 'optim.adam', {
          learningRate: 2e-4,
          beta1: 0.5,
          trains: ['genAB', 'genBA'],
          order: 1,
        })
        .edge('discA.logit', 'dA.realLogits')
        .edge('discA.logit@1', 'dA.fakeLogits')
        .edge('discB.logit', 'dB.realLogits')
        .edge('discB.logit@1', 'dB.fakeLogits')
        .edge('discA.logit@1', 'gA.fakeLogits')
        .edge('discB.logit@1', 'gB.fakeLogits')
        .edge('split.domainA', 'cycleA.original')
        .edge('genBA.x', 'cycleA.reconstructed')
        .edge('split.domainB', 'cycleB.original')
        .edge('genAB.x@1', 'cycleB.reconstructed')
        .edge('dA.loss', 'dTotal.a')
        .edge('dB.loss', 'dTotal.b')
        .edge('gA.loss', 'gTotal.a')
        .edge('gB.loss', 'gTotal.b')
        .edge('cycleA.loss', 'gTotal.c')
        .edge('cycleB.loss', 'gTotal.d')
        .edge('dTotal.loss', 'adamD.loss')
        .edge('gTotal.loss', 'adamG.loss')
        .node(
          'translated',
          'view.reconstruction',
          { samples: 64 },
          {
            title: 'Neutral vs made to smile',
          },
        )
        .node(
          'cycle',
          'view.reconstruction',
          { samples: 64, count: 6 },
          { title: 'A → B → A: smiling, back, neutral' },
        )
        .edge('split.domainA', 'translated.original')
        .edge('genAB.x', 'translated.reconstruction')
        .edge('split.domainA', 'cycle.original')
        .edge('genBA.x', 'cycle.reconstruction')
        // F's input in the cycle is G's translation: each row reads G(a) | F(G(a)) | a.
        .edge('genAB.x', 'cycle.input'),
    explainer: {
      title: 'CycleGAN: neutral ↔ smiling',
      family: 'gan',
      model:
        'Two generators, G: neutral → smiling and F: smiling → neutral, and two discriminators, one per domain (Zhu et al. 2017). The faces are unpaired: the attribute filter splits SynthFaces by their smile label. Besides fooling the discriminators, G and F must undo each other: F(G(a)) ≈ a and G(F(b)) ≈ b (cycle loss). Both generators are residual (Shen & Liu 2017): they draw only the change they add to their input, so they start as the identity, keep the person from the first step and spend their training on the mouth. As in the paper, the four GAN losses are least squares (LSGAN); the cycle weight 2.5 against their ½(D − 1)² is the paper’s λ halved, 5 instead of 10. The discriminators, three strided convolutions deep, normalise each image’s activations on their own (layer norm, in the place of the paper’s instance norm): without it they learn too slowly to tell a smile from a neutral face. They also learn at twice the generators’ rate (4·10⁻⁴ against 2·10⁻⁴, the two time-scale rule of Heusel et al. 2017): at the same rate they sat near chance, and G got away with a faint smile on many faces.',
      point:
        'The seminar’s last GAN: translation without pairs. Nobody shows the network the same face neutral and smiling; the cycle loss is what keeps the person while the expression changes.',
      lookAt: [
        'Neutral vs made to smile: held-out neutral faces next to G’s output — same person, new expression.',
        'A → B → A: each row is G’s smiling translation of a held-out neutral face, F’s way back from it and the neutral face itself, which the way back should match closely.',
      ],
      knobs: [
        {
          node: 'genAB',
          param: 'isResidual',
          hint: 'Off, each generator redraws the whole face through its U-Net and smears it: with two-layer discriminators that preset (before 30 Nov) left 0.477 of faces smiling after 2,000 steps, cycle L1 0.061 against 0.0062 with residual ones (0.673 smiling, discriminators at 2·10⁻⁴).',
        },
        {
          node: 'discB',
          param: 'channels',
          hint: 'Three strided layers, the last one 4×4, judge the mouth in the face around it; with two ([32, 64], on discA as well) a PyTorch copy of this graph (discriminators at 2·10⁻⁴) had 0.705 of faces smiling after 2,000 steps against 0.769 (0.346 against 0.584 at 1,000).',
        },
        {
          node: 'adamD',
          param: 'learningRate',
          hint: 'At the generators’ 2·10⁻⁴ the discriminators stay near chance: 0.673 of faces smiling after 2,000 steps against 0.830; a PyTorch copy of this graph 0.769 and 0.777 (seeds 1, 2) against 0.833 and 0.776.',
        },
        {
          node: 'cycleA',
          param: 'weight',
          hint: 'Lower the cycle weight (and cycleB’s) and G is free to change the person, not only the smile; raise it to the paper’s λ (5 here) and the way back holds the smile back. At 1.25 (with the discriminators at 2·10⁻⁴) 0.654 of faces smiled after 2,000 steps, and a PyTorch copy swung between seeds (0.874, 0.531).',
        },
        {
          node: 'gB',
          param: 'objective',
          hint: 'Least squares on all four GAN losses; before the generators were residual, non-saturating ones (with cycle weight 10) left 0.406 of faces smiling after 2,000 steps against 0.477.',
        },
        {
          node: 'split',
          param: 'high',
          hint: 'The smile score from which a face counts as smiling; a wider gap to low makes the domains more distinct.',
        },
      ],
      training: { steps: 2000, backend: 'wasm' },
      quality: {
        summary:
          'At least 70% of translated neutral faces score as smiling; cycle reconstruction L1 reported.',
        measured:
          'The held-out neutral faces (smile < 0.3) among 20 photos of each of the 100 held-out people go through G; a small CNN smile regressor trained on 4,000 training photos scores them (smiling: ≥ 0.5); the cycle error is the mean absolute difference of F(G(a)) and a. The regressor’s reading of real held-out faces is reported beside it: the share of smiling ones (≥ 0.7) it scores as smiling is the ceiling, and of neutral ones before translation the floor.',
        targets: [
          { metric: 'translatedSmilingFraction', op: '>=', value: 0.7 },
          { metric: 'cycleL1', op: 'report' },
        ],
        evaluation: {
          kind: 'cycleSmile',
          data: 'faces',
          filter: 'split',
          forward: 'genAB',
          backward: 'genBA',
          photosPerIdentity: 20,
        },
      },
    },
  },
}

/** Sources that draw a preview strip of their samples inside the node. */
const PREVIEWED = new Set(['data.mnist', 'data.synthFaces', 'data.toy2d', 'data.imageFolder'])

/**
 * On-canvas size of a node at full zoom, a little generous so ELK leaves room: header, one row
 * per port (per application, each with its own heading), the first three params, the cost line
 * of a model block, and the pictures some nodes draw — a source's preview strip and a view's
 * thumbnail once a run is open. Measured in Chromium: 192–256 px wide; a DCGAN discriminator
 * (two applications) 264 px tall, SynthFaces with its preview 274.
 */
function estimatedSize(type: string, applications: number): { width: number; height: number } {
  const definition = nodeRegistry.get(type)
  const inputs = Object.keys(definition?.inputs ?? {}).length
  const outputs = Object.keys(definition?.outputs ?? {}).length
  const params = Math.min(3, Object.keys(definition?.params ?? {}).length)
  const category = definition?.category
  const portRows =
    (applications > 1 ? 24 * applications : 0) + 18 * Math.max(inputs, outputs) * applications
  const pictures = (PREVIEWED.has(type) ? 140 : 0) + (category === 'view' ? 150 : 0)
  const costLine = category === 'model' ? 20 : 0
  return { width: 260, height: 40 + portRows + 20 * params + costLine + pictures }
}

/** One preset's document: built, explained, laid out, loaded back without any diagnostic. */
async function buildPreset(id: PresetId): Promise<GraphDocument> {
  const source = PRESETS[id]
  const document = source.build().build()
  // Saved at the node versions of this Latent Lab, so loading runs no migration.
  for (const node of document.nodes) {
    node.typeVersion = nodeRegistry.get(node.type)?.version ?? node.typeVersion
  }
  document.name = source.explainer.title
  document.meta = { explainer: source.explainer }
  const sizes = new Map(
    document.nodes.map((node) => [node.id, estimatedSize(node.type, node.applications ?? 1)]),
  )
  const positions = await layoutPositions(document, sizes)
  for (const node of document.nodes) node.position = positions[node.id] ?? node.position

  const loaded = loadDocument(serializeDocument(document), nodeRegistry)
  const problems = loaded.ok
    ? [...loaded.diagnostics, ...analyzeGraph(loaded.document, nodeRegistry).diagnostics].map(
        (diagnostic) => `${diagnostic.code} ${diagnostic.node ?? ''}: ${diagnostic.message}`,
      )
    : loaded.diagnostics.map((diagnostic) => diagnostic.message)
  const explained = readExplainer(document, nodeRegistry)
  if (!explained.ok) problems.push(...explained.problems)
  if (problems.length > 0) throw new Error(`preset ${id}:\n  ${problems.join('\n  ')}`)
  return document
}

async function main(): Promise<number> {
  const isCheck = process.argv.includes('--check')
  let stale = 0
  for (const id of PRESET_IDS) {
    const path = new URL(`../presets/${id}.json`, import.meta.url)
    // As the formatter writes JSON, so `npm run format:check` agrees with the generated files.
    const options = (await resolveConfig(fileURLToPath(path))) ?? {}
    const text = await format(serializeDocument(await buildPreset(id)), {
      ...options,
      parser: 'json',
    })
    if (!isCheck) {
      writeFileSync(path, text)
      console.log(`wrote presets/${id}.json`)
      continue
    }
    let current = ''
    try {
      current = readFileSync(path, 'utf8')
    } catch {
      // a missing file is stale too
    }
    if (current !== text) {
      stale++
      console.log(`presets/${id}.json is out of date: run npx tsx scripts/buildPresets.ts`)
    }
  }
  return stale > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (cause: unknown) => {
    console.error(cause instanceof Error ? cause.message : cause)
    process.exitCode = 1
  },
)
