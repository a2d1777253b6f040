/**
 * Pictures for `view.latent` (issue #8): the view node only summarises latents; the session
 * finds the decoder they are meant for, runs it on the prior draws, on the held-out faces the
 * user picks from, on the interpolation between two picked faces and on a picked face plus the
 * attribute (smile) vector at several strengths, and adds the images to the view's data as
 * `decoded`. Here: which decoder and which faces (pure, on the document), and the evaluation
 * (TF.js passed in), in the manner of decisionSurface.ts.
 */
import type { TrainingProgram } from '../graph-core/compiler'
import type { DocumentEdge, GraphDocument } from '../graph-core/document'
import type { Tensor, Tf, ViewData } from '../graph-core/nodeDefinition'
import { applicationPortId, parseApplicationPortId } from '../graph-core/ports'
import { LATENT_FACE_COUNT, resolvePicks, type LatentPicks } from '../nodes/view/latentPicks'
import {
  ATTRIBUTE_STRENGTHS,
  type DecodedRows,
  type LatentDecodings,
  type LatentViewData,
} from '../nodes/view/latentView'
import { interpolateLatents } from '../nodes/view/metrics/latent'
import { displayRows, type PixelRange } from '../nodes/view/viewSupport'

/** Blocks that turn a latent z into an image. */
const DECODER_TYPES = new Set(['model.decoder', 'model.generator'])
/** A VAE's sampling step: its `mean` input passes on to its `z` output. */
const REPARAMETERIZE = 'model.reparameterize'

/** An output port of one application of a node. */
interface Endpoint {
  node: string
  port: string
  application: number
}

/** How the session decodes one latent view. */
export interface LatentDecodingPlan {
  decoder: string
  /** How the decoder's values map to brightness: a tanh decoder's [−1, 1], else [0, 1]. */
  range: PixelRange
  /**
   * The node that makes the latents and the one input it takes, to encode held-out faces with
   * (its input's source evaluated on held-out data); absent when it takes several inputs.
   */
  encoder?: { node: string; inputPort: string; outputPort: string; source: Endpoint }
}

export type LatentPlan = LatentDecodingPlan | { problem: string }

const endpointOf = (port: DocumentEdge['from']): Endpoint => ({
  node: port.node,
  ...parseApplicationPortId(port.port),
})

/**
 * The decoder of each `view.latent` node. The rule: start at the output feeding the view's
 * `latents` and walk its consumers breadth first, in the document's edge order; the first
 * `model.decoder` or `model.generator` taking it as `z` is the decoder, and a
 * `model.reparameterize` taking it as `mean` is walked through (its `z` carries the same
 * latent, sampled). Anything else (a loss, another view) is not followed. Views without a
 * decoder get a problem that says what to connect.
 */
export function latentDecodingPlans(document: GraphDocument): Map<string, LatentPlan> {
  const types = new Map(document.nodes.map((node) => [node.id, node.type]))
  const plans = new Map<string, LatentPlan>()
  for (const view of document.nodes) {
    if (view.type !== 'view.latent') continue
    const feed = document.edges.find(
      (edge) => edge.to.node === view.id && edge.to.port === 'latents',
    )
    if (feed === undefined) continue
    const decoder = findDecoder(document, types, endpointOf(feed.from))
    if (decoder === undefined) {
      plans.set(view.id, {
        problem:
          'No decoder to draw these latents: connect them (through Reparameterize, for a VAE) to a Decoder or Generator’s z.',
      })
      continue
    }
    const activation = document.nodes.find((node) => node.id === decoder)?.params.outputActivation
    const encoder = encoderOf(document, endpointOf(feed.from))
    plans.set(view.id, {
      decoder,
      range: activation === 'tanh' ? 'minusOneOne' : 'zeroOne',
      ...(encoder === undefined ? {} : { encoder }),
    })
  }
  return plans
}

function findDecoder(
  document: GraphDocument,
  types: ReadonlyMap<string, string>,
  start: Endpoint,
): string | undefined {
  const key = (at: Endpoint) => `${at.node}\u0000${applicationPortId(at.port, at.application)}`
  const queue = [start]
  const seen = new Set([key(start)])
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    const from = key(at)
    for (const edge of document.edges) {
      if (`${edge.from.node}\u0000${edge.from.port}` !== from) continue
      const type = types.get(edge.to.node)
      const { port, application } = parseApplicationPortId(edge.to.port)
      if (type !== undefined && DECODER_TYPES.has(type) && port === 'z') return edge.to.node
      if (type === REPARAMETERIZE && port === 'mean') {
        const next = { node: edge.to.node, port: 'z', application }
        if (!seen.has(key(next))) {
          seen.add(key(next))
          queue.push(next)
        }
      }
    }
  }
  return undefined
}

/** The latents' node when that application of it has exactly one input connected. */
function encoderOf(document: GraphDocument, latents: Endpoint): LatentDecodingPlan['encoder'] {
  const inputs = document.edges.filter(
    (edge) =>
      edge.to.node === latents.node &&
      parseApplicationPortId(edge.to.port).application === latents.application,
  )
  const [input] = inputs
  if (input === undefined || inputs.length !== 1) return undefined
  return {
    node: latents.node,
    inputPort: parseApplicationPortId(input.to.port).port,
    outputPort: latents.port,
    source: endpointOf(input.from),
  }
}

/** A tensor's first `count` rows, or all of it. */
function firstRowsOf(tf: Tf, value: Tensor, count: number): Tensor {
  const rows = value.shape.at(0) ?? 0
  return rows > count ? tf.slice(value, 0, count) : value.clone()
}

/** The held-out faces and their latents, read back; undefined when there is no encoder. */
async function encodeFaces(
  tf: Tf,
  program: TrainingProgram,
  encoder: NonNullable<LatentDecodingPlan['encoder']>,
): Promise<{ images: DecodedRowsSource; latents: Float32Array; count: number }> {
  const kept: Tensor[] = []
  try {
    // The same held-out faces at every step (a repeatable pass), so picks keep their meaning.
    const [images, latents] = tf.tidy(() => {
      const sourceOutputs = program.evaluate(encoder.source.node, {
        application: encoder.source.application,
        isRepeatable: true,
      })
      const all = sourceOutputs[encoder.source.port]
      if (all === undefined)
        throw new Error(`${encoder.source.node} gave no ${encoder.source.port}`)
      const faces = firstRowsOf(tf, all, LATENT_FACE_COUNT)
      const z = program.evaluateWith(encoder.node, { [encoder.inputPort]: faces })[
        encoder.outputPort
      ]
      if (z === undefined) throw new Error(`${encoder.node} gave no ${encoder.outputPort}`)
      return [faces, z] as [Tensor, Tensor]
    })
    kept.push(images, latents)
    return {
      images: { shape: images.shape, data: await images.data() },
      latents: Float32Array.from(await latents.data()),
      count: images.shape.at(0) ?? 0,
    }
  } finally {
    tf.dispose(kept)
  }
}

interface DecodedRowsSource {
  shape: readonly number[]
  data: ArrayLike<number>
}

/** Rows `start … start + count` of a read-back batch, for the display helpers. */
function rowsOf(source: DecodedRowsSource, start: number, count: number, range: PixelRange) {
  const shape = source.shape.slice(1)
  const width = shape.reduce((product, size) => product * size, 1)
  const data = Array.prototype.slice.call(source.data, start * width, (start + count) * width)
  return displayRows({ count, shape, width, data: data as number[] }, range)
}

/**
 * The latent view's data with `decoded`: every latent to draw stacked into one batch, decoded
 * in one pass of the decoder, and cut back into its groups. A failure (a decoder that cannot
 * take these latents) becomes the `problem`; data of another kind is returned as it is.
 */
export async function withDecodedLatents(
  tf: Tf,
  program: TrainingProgram,
  plan: LatentPlan,
  data: ViewData,
  picks: LatentPicks | undefined,
): Promise<ViewData> {
  if (data.kind !== 'latent') return data
  const view = data as unknown as LatentViewData
  const decoded = await decodeLatents(tf, program, plan, view, picks).catch(
    (cause: unknown): LatentDecodings => ({
      problem: `Could not decode: ${cause instanceof Error ? cause.message : String(cause)}`,
    }),
  )
  return { ...data, decoded }
}

async function decodeLatents(
  tf: Tf,
  program: TrainingProgram,
  plan: LatentPlan,
  view: LatentViewData,
  requested: LatentPicks | undefined,
): Promise<LatentDecodings> {
  if ('problem' in plan) return plan
  const { dim } = view
  if (dim < 1) return { problem: 'The latents are empty: nothing to decode.' }
  const faces =
    plan.encoder === undefined ? undefined : await encodeFaces(tf, program, plan.encoder)
  const picks = resolvePicks(requested, faces?.count ?? 0)
  const latentOf = (face: number) =>
    faces?.latents.subarray(face * dim, (face + 1) * dim) ?? new Float32Array(dim)

  // Groups of latents, decoded together: [rows, dim] each.
  const prior = Float32Array.from(view.prior.latents)
  const mode = view.interpolation?.mode ?? 'linear'
  const steps = view.interpolation?.steps ?? 8
  const interpolation =
    faces !== undefined && faces.count >= 2
      ? interpolateLatents(latentOf(picks.from), latentOf(picks.to), steps, mode)
      : view.interpolation === null
        ? new Float32Array(0)
        : Float32Array.from(view.interpolation.latents)
  const vector = view.attribute?.vector ?? null
  const attribute = new Float32Array(
    faces !== undefined && faces.count > 0 && vector !== null
      ? ATTRIBUTE_STRENGTHS.length * dim
      : 0,
  )
  if (attribute.length > 0 && vector !== null) {
    const base = latentOf(picks.face)
    ATTRIBUTE_STRENGTHS.forEach((strength, row) => {
      for (let k = 0; k < dim; k++)
        attribute[row * dim + k] = (base[k] ?? 0) + strength * (vector[k] ?? 0)
    })
  }
  const groups = [prior, faces?.latents ?? new Float32Array(0), interpolation, attribute]
  const counts = groups.map((group) => group.length / dim)
  const total = counts.reduce((sum, count) => sum + count, 0)
  if (total === 0) return { problem: 'No latents to decode yet.' }
  const stacked = new Float32Array(total * dim)
  let offset = 0
  for (const group of groups) {
    stacked.set(group, offset)
    offset += group.length
  }

  const z = tf.tensor2d(stacked, [total, dim])
  let outputs: Record<string, Tensor> = {}
  try {
    outputs = program.evaluateWith(plan.decoder, { z })
    const images = outputs.x
    if (images === undefined) return { problem: `${plan.decoder} gave no images` }
    const source = { shape: images.shape, data: await images.data() }
    const [priorCount = 0, faceCount = 0, pathCount = 0, attributeCount = 0] = counts
    const cut = (start: number, count: number): DecodedRows =>
      rowsOf(source, start, count, plan.range)
    return {
      decoder: plan.decoder,
      prior: cut(0, priorCount),
      faces:
        faces === undefined
          ? null
          : {
              // The encoder's inputs are the data's images: drawn as [0, 1].
              originals: rowsOf(faces.images, 0, faces.count, 'zeroOne'),
              decoded: cut(priorCount, faceCount),
            },
      picks,
      interpolation: pathCount === 0 ? null : cut(priorCount + faceCount, pathCount),
      attribute:
        attributeCount === 0
          ? null
          : {
              strengths: [...ATTRIBUTE_STRENGTHS],
              images: cut(priorCount + faceCount + pathCount, attributeCount),
            },
    }
  } finally {
    z.dispose()
    tf.dispose(Object.values(outputs))
  }
}
