import { defineNode, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'

/**
 * Random latent vectors z for generators: Gaussian N(0, I) or uniform on [−1, 1]^d, drawn
 * afresh for every training run from the run's seed (so G's step sees a new z, as the GAN loop
 * requires) and reproducible for a document seed.
 */
export const noise = defineNode({
  type: 'data.noise',
  version: 1,
  category: 'data',
  label: 'Noise',
  description: 'Random vectors to feed a generator: a new batch for every step.',
  inputs: {},
  outputs: { z: tensor({ description: 'A noise vector per sample.' }) },
  params: {
    dim: param.int({
      default: 64,
      min: 1,
      max: 4096,
      label: 'dimensions',
      help: 'Length of each noise vector.',
    }),
    distribution: param.choice({
      default: 'gaussian',
      options: [
        { value: 'gaussian', label: 'Gaussian N(0, 1)' },
        { value: 'uniform', label: 'Uniform [−1, 1]' },
      ],
      help: 'Where the noise comes from.',
    }),
    batchSize: param.int({
      default: 64,
      min: 1,
      max: 4096,
      label: 'batch size',
      help: 'Vectors per step; match the real batch in a GAN.',
    }),
  },
  inferShapes: (_inputs, { dim }) => ok({ z: [dim] }),
  build: ({ tf, params }) => ({
    forward: (_inputs, { seed }) => ({
      z:
        params.distribution === 'gaussian'
          ? tf.randomNormal([params.batchSize, params.dim], 0, 1, 'float32', seed)
          : tf.randomUniform([params.batchSize, params.dim], -1, 1, 'float32', seed),
    }),
  }),
})
