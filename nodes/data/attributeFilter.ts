import { seedFor } from '../../graph-core/initializers'
import {
  defineNode,
  fail,
  ok,
  type ShapeIssue,
  type ShapeResult,
} from '../../graph-core/nodeDefinition'
import { param } from '../../graph-core/params'
import { tensor } from '../../graph-core/ports'
import { formatShape } from '../../graph-core/shapes'
import { mulberry32, uniformInt } from '../view/metrics/random'

/**
 * The rows of a batch a domain draws from: those whose `distance` from the domain's range is
 * negative (inside it), or, when none is, the quarter of the batch (at least one row) nearest
 * to it. `qualifying` counts the rows inside. NaN values never qualify and sort last.
 */
export function domainRows(
  values: ArrayLike<number>,
  distance: (value: number) => number,
): { rows: number[]; qualifying: number } {
  const distances = Array.from(values, (value) => {
    const d = distance(value)
    return Number.isNaN(d) ? Infinity : d
  })
  const all = distances.map((_, row) => row)
  const inside = all.filter((row) => (distances[row] ?? Infinity) < 0)
  if (inside.length > 0 || all.length === 0) return { rows: inside, qualifying: inside.length }
  // Array.prototype.sort is stable: equally near rows keep their batch order.
  const nearest = all.sort((a, b) => {
    const [da = Infinity, db = Infinity] = [distances[a], distances[b]]
    return da === db ? 0 : da < db ? -1 : 1
  })
  return { rows: nearest.slice(0, Math.max(1, Math.ceil(all.length / 4))), qualifying: 0 }
}

/** `count` rows drawn uniformly with replacement from `rows` (non-empty). */
export function resampleRows(rows: readonly number[], count: number, seed: number): number[] {
  const random = mulberry32(seed)
  return Array.from({ length: count }, () => rows[uniformInt(random, rows.length)] ?? 0)
}

/**
 * Splits one stream of images into two unpaired domains by an attribute score, as CycleGAN
 * (Zhu et al., 2017) needs: `domainA` takes rows with attribute < `low` (e.g. not smiling),
 * `domainB` rows with attribute > `high` (smiling); rows in between go to neither.
 *
 * Boolean masking would change the batch size from step to step, so each domain is resampled to
 * exactly `batchSize` rows, uniformly with replacement from its qualifying rows, seeded by the
 * pass. When no row of a batch qualifies for a side, that side falls back to the quarter of the
 * batch (at least one row) whose attributes are nearest to its range, and the node reports the
 * fractions `domainAFraction` and `domainBFraction` of qualifying rows so a starved side shows.
 * A wide input batch (64 or more rows) keeps the resampling from repeating rows too often.
 *
 * The attribute vector is read back with `dataSync`: the row choice is host logic, and
 * `tf.booleanMaskAsync` cannot run inside a synchronous forward pass. The vector is one number
 * per row and data nodes sit upstream of every trainable node, so the read-back is small (one
 * short stall per pass on a GPU backend, none on the CPU) and no gradient is lost.
 *
 * Two independent unpaired streams come either from two dataset nodes or from this node's two
 * outputs; batch samplers (random, P identities × K images) belong to the dataset nodes.
 * Images may have any per-sample shape; the attribute is one number per row, [] or [1].
 */
const OUTPUTS = {
  domainA: tensor({ label: 'domain A', description: 'Images with attribute below low.' }),
  domainB: tensor({ label: 'domain B', description: 'Images with attribute above high.' }),
}

export const attributeFilter = defineNode({
  type: 'data.attributeFilter',
  version: 1,
  category: 'data',
  label: 'Attribute filter',
  description: 'Splits images into two unpaired domains by an attribute, e.g. smiling or not.',
  inputs: {
    images: tensor({ description: 'Images [h, w, c] (any per-sample shape).' }),
    attribute: tensor({ description: 'One attribute score per image, [] or [1], e.g. smile.' }),
  },
  outputs: OUTPUTS,
  params: {
    low: param.number({
      default: 0.3,
      min: 0,
      max: 1,
      step: 0.05,
      help: 'Images with an attribute below this go to domain A.',
    }),
    high: param.number({
      default: 0.7,
      min: 0,
      max: 1,
      step: 0.05,
      help: 'Images with an attribute above this go to domain B; keep a gap above low so the domains differ clearly.',
    }),
    batchSize: param.int({
      default: 16,
      min: 1,
      max: 4096,
      label: 'batch size',
      help: 'Rows of each domain per step, resampled from the qualifying images of the input batch.',
    }),
  },
  // Annotated: inferring the result type from `fail`/`ok` alone depends on checking order.
  inferShapes({ images, attribute }, { low, high }): ShapeResult<typeof OUTPUTS> {
    const issues: ShapeIssue[] = []
    if (attribute.length > 1 || (attribute.length === 1 && attribute[0] !== 1)) {
      issues.push({
        port: 'attribute',
        message: 'The attribute filter takes one attribute score per image',
        expected: '[] or [1]',
        actual: formatShape(attribute),
      })
    }
    if (low > high) {
      issues.push({
        message: 'low must not be above high, or an image could belong to both domains',
        expected: 'low ≤ high',
        actual: `low ${low}, high ${high}`,
      })
    }
    if (issues.length > 0) return fail<typeof OUTPUTS>(...issues)
    return ok<typeof OUTPUTS>({ domainA: images, domainB: images })
  },
  build: ({ tf, params }) => ({
    forward: ({ images, attribute }, { seed, report }) => {
      const count = images.shape[0]
      if (count === 0) {
        // Nothing to choose from: empty domains keep the shapes and sizes downstream expects.
        const zeros = tf.zeros([params.batchSize, ...images.shape.slice(1)])
        return { domainA: zeros, domainB: tf.clone(zeros) }
      }
      if (attribute.size !== count) {
        throw new Error(
          `attribute has ${attribute.size} values for ${count} images; wire both from the same data node`,
        )
      }
      // One number per row, read back synchronously (see the TSDoc).
      const values = tf.reshape(attribute, [count]).dataSync()
      const sideA = domainRows(values, (value) => value - params.low)
      const sideB = domainRows(values, (value) => params.high - value)
      const pick = (rows: readonly number[], name: string) =>
        tf.gather(
          images,
          tf.tensor1d(resampleRows(rows, params.batchSize, seedFor(seed, name)), 'int32'),
        )
      report('domainAFraction', tf.scalar(sideA.qualifying / count))
      report('domainBFraction', tf.scalar(sideB.qualifying / count))
      return { domainA: pick(sideA.rows, 'domainA'), domainB: pick(sideB.rows, 'domainB') }
    },
  }),
})
