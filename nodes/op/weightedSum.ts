import { defineNode, fail, ok, type ShapeIssue, type Tensor } from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { loss } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'

/** Each input port with the param that weighs it. */
const TERMS = [
  { port: 'a', weight: 'weightA' },
  { port: 'b', weight: 'weightB' },
  { port: 'c', weight: 'weightC' },
  { port: 'd', weight: 'weightD' },
] as const

const weightParam = (port: string) =>
  param.number({
    default: 1,
    min: 0,
    max: 1000,
    isLogScale: true,
    label: `weight ${port}`,
    help: `Multiplies loss ${port}; 0 switches it off. Ignored while ${port} is not connected.`,
  })

/**
 * Weighted sum of up to four losses: Σ wᵢ·lossᵢ over the connected inputs (a is required, b–d
 * optional), so that one optimizer can minimise a combined objective (DESIGN §3): a VAE's
 * reconstruction + β·KL (β = 1 in Kingma & Welling, 2014; β > 1 in β-VAE, Higgins et al., 2017),
 * pix2pix's adversarial + λ·L1 with λ = 100 (Isola et al., 2017), CycleGAN's adversarial + cycle
 * + identity terms.
 */
export const weightedSum = defineNode({
  type: 'op.weightedSum',
  version: 1,
  category: 'op',
  label: 'Weighted sum',
  description: 'Adds up to four losses, each times its weight, into one loss.',
  inputs: {
    a: loss({ description: 'A loss.' }),
    b: loss({ description: 'A second loss.', isOptional: true }),
    c: loss({ description: 'A third loss.', isOptional: true }),
    d: loss({ description: 'A fourth loss.', isOptional: true }),
  },
  outputs: { loss: loss() },
  params: {
    weightA: weightParam('a'),
    weightB: weightParam('b'),
    weightC: weightParam('c'),
    weightD: weightParam('d'),
  },
  inferShapes(inputs) {
    const issues: ShapeIssue[] = []
    for (const { port } of TERMS) {
      // An unconnected optional port has no shape (the contract types every port as present).
      const shape = inputs[port]
      if (shape !== undefined && shape.length > 0) {
        issues.push({
          port,
          message: `${port} must be a loss, a single number per batch`,
          expected: '[]',
          actual: formatShape(shape),
        })
      }
    }
    return issues.length > 0 ? fail(...issues) : ok({ loss: [] })
  },
  build({ tf, params }) {
    return {
      forward(inputs) {
        let total: Tensor | undefined
        for (const { port, weight } of TERMS) {
          const input = inputs[port] // absent when unconnected
          if (input === undefined) continue
          const term = tf.mul(input, params[weight]) // []
          total = total === undefined ? term : tf.add(total, term)
        }
        if (total === undefined) throw new Error('input a is missing')
        return { loss: total }
      },
    }
  },
})
