import { defineNode, fail, ok } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'
import { activate, activationParam } from '../shared/activations'

/**
 * Fully connected layer: y = act(x·W + b), W [in, units] Glorot-uniform, b zeros, as
 * tfjs-layers' Dense. Shareable: several inputs can go through the same weights.
 */
export const dense = defineNode({
  type: 'model.dense',
  version: 1,
  category: 'model',
  label: 'Dense',
  description: 'A fully connected layer: every output is a weighted sum of every input.',
  isShareable: true,
  inputs: { x: tensor({ rank: 1, description: 'A vector per sample.' }) },
  outputs: { y: tensor() },
  params: {
    units: param.int({ default: 64, min: 1, max: 8192, help: 'Size of the output vector.' }),
    activation: activationParam('linear'),
    hasBias: param.boolean({ default: true, label: 'bias', help: 'Add a learned offset.' }),
  },
  inferShapes({ x }, { units }) {
    if (x.length !== 1) {
      return fail({
        port: 'x',
        message: 'Dense takes a vector per sample; flatten images first',
        expected: '[n]',
        actual: formatShape(x),
      })
    }
    return ok({ y: [units] })
  },
  cost({ x }, { units, hasBias }) {
    const inputs = x[0] ?? 0
    return { parameters: inputs * units + (hasBias ? units : 0), flops: 2 * inputs * units }
  },
  build({ tf, params, inputShapes, variable }) {
    const kernel = variable('kernel', [inputShapes.x[0] ?? 0, params.units], 'glorotUniform')
    const bias = params.hasBias ? variable('bias', [params.units], 'zeros') : undefined
    return {
      forward({ x }) {
        const linear = tf.matMul(x, kernel) // [batch, units]
        return {
          y: activate(tf, bias === undefined ? linear : tf.add(linear, bias), params.activation),
        }
      },
    }
  },
})
