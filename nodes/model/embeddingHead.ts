import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'
import { buildLayer, layerCost, type LayerSpec, layerBuilder } from '../shared/layers'
import { l2Normalize } from '../shared/tensorMath'

const head = (dim: number): LayerSpec => ({ kind: 'dense', name: '', units: dim })

/**
 * Embedding head: e = (x·W + b) / ‖x·W + b‖, [n] → [dim], so embeddings lie on the unit sphere
 * and Euclidean distance ranks pairs as cosine similarity does (FaceNet, Schroff et al. 2015).
 * The norm is safe at zero (`l2Normalize`). With `isNormalized` off, the raw linear output.
 * Variables `kernel`, `bias`. Shareable: anchor, positive and negative share the weights.
 */
export const embeddingHead = defineNode({
  type: 'model.embeddingHead',
  version: 1,
  category: 'model',
  label: 'Embedding head',
  description: 'A linear layer to the embedding, scaled to unit length.',
  isShareable: true,
  inputs: { x: tensor({ rank: 1, description: 'A feature vector per sample.' }) },
  outputs: {
    embedding: tensor({ description: 'The embedding [dim], of length 1 when normalised.' }),
  },
  params: {
    dim: param.int({
      default: 128,
      min: 1,
      max: 4096,
      label: 'dimension',
      help: 'Length of the embedding.',
    }),
    isNormalized: param.boolean({
      default: true,
      label: 'L2 normalise',
      help: 'Scale each embedding to unit length, as triplet, ArcFace and CosFace expect.',
    }),
  },
  inferShapes({ x }, { dim }) {
    if (x.length !== 1) {
      return fail({
        port: 'x',
        message: 'The embedding head takes a feature vector per sample; flatten images first',
        expected: '[n]',
        actual: formatShape(x),
      })
    }
    return ok({ embedding: [dim] })
  },
  cost({ x }, { dim }) {
    return x.length === 1 ? layerCost(head(dim), x) : { parameters: 0, flops: 0 }
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const layer = buildLayer(builder, head(params.dim), inputShapes.x)
    return {
      forward({ x }, context) {
        const linear = layer(x, context) // [batch, dim]
        return { embedding: params.isNormalized ? l2Normalize(tf, linear) : linear }
      },
      dispose: builder.dispose,
    }
  },
})
