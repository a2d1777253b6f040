/**
 * The denoising slider of `view.reconstruction` (issue #8): when the view's reconstruction is a
 * denoiser's output on the corrupted images of a `data.corrupt` node, the session takes that
 * node's clean held-out images, adds Gaussian noise of each σ in NOISE_LEVELS itself, runs the
 * model nodes between the corrupt node and the reconstruction on them, and adds the noisy
 * inputs, outputs and PSNRs to the view's data as `denoising`. Here: which nodes (pure, on the
 * document), and the evaluation (TF.js passed in).
 */
import type { TrainingProgram } from '../graph-core/compiler'
import type { GraphDocument } from '../graph-core/document'
import { seedFor } from '../graph-core/initializers'
import type { Tensor, Tf, ViewData } from '../graph-core/nodeDefinition'
import { parseApplicationPortId } from '../graph-core/ports'
import {
  NOISE_LEVELS,
  psnr,
  type DenoisingLevel,
  type DenoisingLevels,
} from '../nodes/view/metrics/denoising'
import type { ReconstructionViewData } from '../nodes/view/reconstructionView'
import { displayRows, type PixelRange } from '../nodes/view/viewSupport'

const CORRUPT = 'data.corrupt'

/** One model node on the path: run on `inputPort`, its `outputPort` feeds the next. */
export interface ChainLink {
  node: string
  inputPort: string
  outputPort: string
}

/** How the session evaluates one denoiser at the noise levels. */
export interface DenoisingPlan {
  corrupt: string
  /** From the node taking the corrupted images to the one making the reconstruction. */
  chain: ChainLink[]
  range: PixelRange
}

export type DenoisingChain = DenoisingPlan | { problem: string }

/** Longest chain followed back: deeper graphs are not the simple denoisers this is for. */
const MAX_CHAIN = 32

/**
 * The denoising path of each `view.reconstruction` whose `reconstruction` has a `data.corrupt`
 * node among its ancestors. The rule: walk back from the node feeding `reconstruction`, each
 * node having exactly one input connected (for the application on the path), until the
 * corrupt node's `corrupted` output; those nodes are the chain. A node with several inputs on
 * the way, or a corrupt node that masks rather than adds Gaussian noise, gives a problem saying
 * so. Views whose reconstruction does not depend on a corrupt node, or is the corrupted image
 * itself (nothing to run), are left out.
 */
export function denoisingPlans(document: GraphDocument): Map<string, DenoisingChain> {
  const nodes = new Map(document.nodes.map((node) => [node.id, node]))
  const incoming = (node: string, application: number) =>
    document.edges.filter(
      (edge) =>
        edge.to.node === node && parseApplicationPortId(edge.to.port).application === application,
    )
  const plans = new Map<string, DenoisingChain>()
  for (const view of document.nodes) {
    if (view.type !== 'view.reconstruction') continue
    const feed = document.edges.find(
      (edge) => edge.to.node === view.id && edge.to.port === 'reconstruction',
    )
    if (feed === undefined || !hasCorruptAncestor(document, feed.from.node)) continue
    const range: PixelRange = view.params.range === 'minusOneOne' ? 'minusOneOne' : 'zeroOne'
    const chain: ChainLink[] = []
    let at = { node: feed.from.node, ...parseApplicationPortId(feed.from.port) }
    let plan: DenoisingChain | undefined
    while (plan === undefined) {
      const node = nodes.get(at.node)
      if (node?.type === CORRUPT) {
        if (at.port !== 'corrupted' || chain.length === 0) break
        const kind = typeof node.params.kind === 'string' ? node.params.kind : 'gaussian'
        plan =
          kind === 'gaussian'
            ? { corrupt: node.id, chain: chain.reverse(), range }
            : {
                problem: `The noise levels are Gaussian, and ${node.title ?? node.id} corrupts by ${kind}: no denoising slider.`,
              }
        break
      }
      const inputs = incoming(at.node, at.application)
      const [input] = inputs
      if (input === undefined || inputs.length !== 1 || chain.length >= MAX_CHAIN) {
        plan = {
          problem: `No denoising slider: the path from the Corrupt node to the reconstruction is not a chain of one-input nodes (${node?.title ?? at.node} takes ${inputs.length} inputs).`,
        }
        break
      }
      chain.push({
        node: at.node,
        inputPort: parseApplicationPortId(input.to.port).port,
        outputPort: at.port,
      })
      at = { node: input.from.node, ...parseApplicationPortId(input.from.port) }
    }
    if (plan !== undefined) plans.set(view.id, plan)
  }
  return plans
}

function hasCorruptAncestor(document: GraphDocument, start: string): boolean {
  const types = new Map(document.nodes.map((node) => [node.id, node.type]))
  const seen = new Set<string>()
  const stack = [start]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (seen.has(node)) continue
    seen.add(node)
    if (types.get(node) === CORRUPT) return true
    for (const edge of document.edges) if (edge.to.node === node) stack.push(edge.from.node)
  }
  return false
}

/**
 * `clean` with Gaussian noise of σ added and clipped to [0, 1], as `data.corrupt` does; the
 * noise comes from a fixed seed per level, so the same level shows the same noise every time.
 */
export function addNoise(tf: Tf, clean: Tensor, sigma: number, seed: number): Tensor {
  return tf.tidy(() =>
    sigma === 0
      ? clean.clone()
      : tf.clipByValue(
          tf.add(clean, tf.randomNormal(clean.shape, 0, sigma, 'float32', seed)),
          0,
          1,
        ),
  )
}

/** Runs the chain's nodes one after another on `input`; the caller disposes the result. */
export function runChain(program: TrainingProgram, chain: readonly ChainLink[], input: Tensor) {
  let value = input.clone()
  for (const link of chain) {
    const outputs = program.evaluateWith(link.node, { [link.inputPort]: value })
    value.dispose()
    const next = outputs[link.outputPort]
    for (const [port, output] of Object.entries(outputs))
      if (port !== link.outputPort) output.dispose()
    if (next === undefined) throw new Error(`${link.node} gave no ${link.outputPort}`)
    value = next
  }
  return value
}

/**
 * The reconstruction view's data with `denoising`: the view's first `count` clean held-out
 * images (a repeatable pass, so the same images every time) at every noise level, through the
 * chain. A failure becomes the `problem`; data of another kind is returned as it is.
 */
export async function withDenoisingLevels(
  tf: Tf,
  program: TrainingProgram,
  plan: DenoisingChain,
  data: ViewData,
): Promise<ViewData> {
  if (data.kind !== 'reconstruction') return data
  const view = data as unknown as ReconstructionViewData
  const denoising = await evaluateLevels(tf, program, plan, Math.max(1, view.count)).catch(
    (cause: unknown): DenoisingLevels => ({
      problem: `Could not evaluate the noise levels: ${cause instanceof Error ? cause.message : String(cause)}`,
    }),
  )
  return { ...data, denoising }
}

async function evaluateLevels(
  tf: Tf,
  program: TrainingProgram,
  plan: DenoisingChain,
  count: number,
): Promise<DenoisingLevels> {
  if ('problem' in plan) return plan
  const outputs = program.evaluate(plan.corrupt, { isRepeatable: true })
  const all = outputs.clean
  const clean =
    all === undefined
      ? undefined
      : tf.tidy(() => tf.slice(all, 0, Math.min(count, all.shape.at(0) ?? 0)))
  tf.dispose(Object.values(outputs))
  if (clean === undefined) return { problem: `${plan.corrupt} gave no clean images` }
  try {
    const cleanValues = await clean.data()
    const shape = clean.shape.slice(1)
    const rows = clean.shape.at(0) ?? 0
    const width = shape.reduce((product, size) => product * size, 1)
    const display = (values: ArrayLike<number>, range: PixelRange) =>
      displayRows({ count: rows, shape, width, data: values }, range)
    const levels: DenoisingLevel[] = []
    for (const [index, sigma] of NOISE_LEVELS.entries()) {
      const noisy = addNoise(tf, clean, sigma, seedFor(0, 'denoising', index))
      let output: Tensor | undefined
      try {
        output = runChain(program, plan.chain, noisy)
        if (!sameShape(output.shape, clean.shape))
          return {
            problem: `the reconstruction ${JSON.stringify(output.shape.slice(1))} is not shaped like the clean images`,
          }
        const [noisyValues, outputValues] = await Promise.all([noisy.data(), output.data()])
        levels.push({
          sigma,
          noisy: display(noisyValues, 'zeroOne'),
          output: display(outputValues, plan.range),
          noisyPsnr: psnr(noisyValues, cleanValues),
          outputPsnr: psnr(outputValues, cleanValues),
        })
      } finally {
        noisy.dispose()
        output?.dispose()
      }
    }
    return {
      corrupt: plan.corrupt,
      chain: plan.chain.map((link) => link.node),
      clean: display(cleanValues, 'zeroOne'),
      levels,
    }
  } finally {
    clean.dispose()
  }
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((size, index) => size === b[index])
