/**
 * D's decision surface for `view.scatter2d` (DESIGN §4): the view returns a grid of points
 * over the plane it shows; the session runs the discriminator that judges the view's points on
 * that grid and adds P(real) per pixel to the view's data as `surface`. Here: which
 * discriminator that is (pure, on the document), and the evaluation (TF.js passed in).
 */
import type { TrainingProgram } from '../graph-core/compiler'
import type { GraphDocument } from '../graph-core/document'
import type { Tf, ViewData } from '../graph-core/nodeDefinition'
import { probabilityGrid } from '../nodes/view/metrics/decisionSurface'

const DISCRIMINATOR = 'model.discriminator'

/**
 * For every `view.scatter2d` node, the discriminator fed the same tensor as the view's `real`
 * or `fake` input (any application of its `x`); views without one are left out.
 */
export function scatterDiscriminators(document: GraphDocument): Map<string, string> {
  const types = new Map(document.nodes.map((node) => [node.id, node.type]))
  const found = new Map<string, string>()
  for (const node of document.nodes) {
    if (node.type !== 'view.scatter2d') continue
    const sources = new Set(
      document.edges
        .filter((edge) => edge.to.node === node.id && /^(real|fake)$/.test(edge.to.port))
        .map((edge) => `${edge.from.node}\u0000${edge.from.port}`),
    )
    const judge = document.edges.find(
      (edge) =>
        types.get(edge.to.node) === DISCRIMINATOR &&
        /^x(@\d+)?$/.test(edge.to.port) &&
        sources.has(`${edge.from.node}\u0000${edge.from.port}`),
    )
    if (judge !== undefined) found.set(node.id, judge.to.node)
  }
  return found
}

/**
 * The scatter view's data with `surface`: σ(D(grid)) as a row-major `[resolution²]` list, top
 * row first (the order of `grid`). Data of another kind, or a grid D cannot take, is returned
 * as it is: the points still draw.
 */
export async function withDecisionSurface(
  tf: Tf,
  program: TrainingProgram,
  discriminator: string,
  data: ViewData,
): Promise<ViewData> {
  const { grid, resolution } = data
  if (data.kind !== 'scatter2d' || !Array.isArray(grid) || typeof resolution !== 'number')
    return data
  const points = tf.tensor2d(grid as number[], [resolution * resolution, 2])
  let outputs: Record<string, { data(): Promise<ArrayLike<number>>; dispose(): void }> = {}
  try {
    outputs = program.evaluateWith(discriminator, { x: points })
    const logits = outputs.logit
    if (logits === undefined) return data
    const probabilities = probabilityGrid(await logits.data(), resolution)
    return { ...data, surface: Array.from(probabilities, (value) => value + 0) }
  } catch {
    return data
  } finally {
    points.dispose()
    for (const output of Object.values(outputs)) output.dispose()
  }
}
