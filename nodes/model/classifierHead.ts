import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'
import { buildLayer, layerCost, type LayerSpec, layerBuilder } from '../shared/layers'

const head = (classes: number): LayerSpec => ({ kind: 'dense', name: '', units: classes })

/**
 * Classifier head: logits = x·W + b, [n] → [classes], W Glorot-uniform, b zeros; raw logits for
 * softmax cross-entropy (the seminar's softmax baseline). Variables `kernel`, `bias`. Shareable.
 */
export const classifierHead = defineNode({
  type: 'model.classifierHead',
  version: 1,
  category: 'model',
  label: 'Classifier head',
  description: 'A linear layer from features to one raw score (logit) per class.',
  isShareable: true,
  inputs: { x: tensor({ rank: 1, description: 'A feature vector per sample.' }) },
  outputs: { logits: tensor({ description: 'Raw class scores [classes], before softmax.' }) },
  params: {
    classes: param.int({ default: 10, min: 2, max: 100000, help: 'Number of classes.' }),
  },
  inferShapes({ x }, { classes }) {
    if (x.length !== 1) {
      return fail({
        port: 'x',
        message: 'The classifier head takes a feature vector per sample; flatten images first',
        expected: '[n]',
        actual: formatShape(x),
      })
    }
    return ok({ logits: [classes] })
  },
  cost({ x }, { classes }) {
    return x.length === 1 ? layerCost(head(classes), x) : { parameters: 0, flops: 0 }
  },
  build({ tf, params, inputShapes, variable }) {
    const builder = layerBuilder(tf, variable)
    const layer = buildLayer(builder, head(params.classes), inputShapes.x)
    return {
      forward: ({ x }, context) => ({ logits: layer(x, context) }), // [batch, classes]
      dispose: builder.dispose,
    }
  },
})
