/**
 * What the preset evaluations feed through a trained program: whole held-out sets (every
 * held-out MNIST digit, the photos of every held-out SynthFaces person, each once), chains of
 * nodes run on them in chunks. Host arrays in, host arrays out; TF.js is passed in.
 */
import type * as tfjs from '@tensorflow/tfjs'
import type { TrainingProgram } from '../graph-core/compiler'
import type { DocumentNode, GraphDocument } from '../graph-core/document'
import { resolveParams } from '../graph-core/params'
import type { ResourceMap } from '../graph-core/resources'
import { MNIST_RESOURCE } from '../nodes/data/mnist'
import { decodeMnist } from '../nodes/data/mnist/format'
import { splitMnist, type MnistSplitKind } from '../nodes/data/mnist/sampling'
import { SYNTH_FACES_PARAMS, synthFacesConfig } from '../nodes/data/synthFaces'
import { FaceSource, splitRange, type Split } from '../nodes/data/synthFaces/dataset'

type Tf = typeof tfjs

/** Images with their per-sample shape and a label (digit, identity) and attribute per row. */
export interface ImageSet {
  readonly count: number
  /** [h, w, c] of one image. */
  readonly shape: readonly [number, number, number]
  /** Row-major [count, h, w, c] in [0, 1]. */
  readonly pixels: Float32Array
  readonly labels: Int32Array
  /** The smile label of each face; zeros for digits. */
  readonly smile: Float32Array
}

/** Rows per forward pass when a whole held-out set goes through a network. */
export const CHUNK = 250

/** The node `id` of the document, or an Error naming it. */
export function nodeOf(document: GraphDocument, id: string): DocumentNode {
  const node = document.nodes.find((candidate) => candidate.id === id)
  if (node === undefined) throw new Error(`the graph has no node ${id}`)
  return node
}

/**
 * Every image of one MNIST split as the data node `id` splits it (by sample: 8,000 / 2,000),
 * each once, in file order; the first `limit` only when given (quick runs in tests).
 */
export function mnistImages(
  document: GraphDocument,
  id: string,
  resources: ResourceMap | undefined,
  split: Split,
  limit = Infinity,
): ImageSet {
  const bytes = resources?.get(MNIST_RESOURCE)
  if (bytes === undefined) throw new Error('the evaluation needs the MNIST data')
  const { params } = nodeOf(document, id)
  const data = decodeMnist(bytes)
  const kind = (params.split ?? 'bySample') as MnistSplitKind
  const trainDigits = (params.trainDigits ?? [0, 1, 2, 3, 4, 5, 6, 7]) as number[]
  const part = splitMnist(data.labels, kind, trainDigits)[split === 'train' ? 'train' : 'heldOut']
  const samples = part.samples.subarray(0, Math.min(limit, part.samples.length))
  const area = data.width * data.height
  const pixels = new Float32Array(samples.length * area)
  samples.forEach((sample, row) => {
    const source = data.pixels.subarray(sample * area, (sample + 1) * area)
    for (let pixel = 0; pixel < area; pixel++)
      pixels[row * area + pixel] = (source[pixel] ?? 0) / 255
  })
  return {
    count: samples.length,
    shape: [data.height, data.width, 1],
    pixels,
    labels: Int32Array.from(samples, (sample) => part.labelOf[sample] ?? 0),
    smile: new Float32Array(samples.length),
  }
}

/**
 * Photos 0 … `photos`−1 of every identity of a SynthFaces split as the data node `id` draws
 * them, each once, grouped by identity, with identity labels and smile labels.
 */
export function faceImages(
  document: GraphDocument,
  id: string,
  split: Split,
  photosPerIdentity?: number,
): ImageSet {
  const config = synthFacesConfig(
    resolveParams(SYNTH_FACES_PARAMS, nodeOf(document, id).params).values,
  )
  const source = new FaceSource(config)
  const { first, count } = splitRange(config, split)
  const photos = Math.min(photosPerIdentity ?? config.photos, config.photos)
  const rows = count * photos
  const length = source.imageLength
  const pixels = new Float32Array(rows * length)
  const labels = new Int32Array(rows)
  const smile = new Float32Array(rows)
  for (let row = 0; row < rows; row++) {
    labels[row] = first + Math.floor(row / photos)
    smile[row] = source.renderInto(labels[row] ?? first, row % photos, pixels, row * length).smile
  }
  return { count: rows, shape: [config.size, config.size, config.channels], pixels, labels, smile }
}

/** The rows of an image set chosen by `keep`, in order. */
export function selectRows(set: ImageSet, keep: (row: number) => boolean): ImageSet {
  const rows = Array.from({ length: set.count }, (_, row) => row).filter(keep)
  const length = set.shape[0] * set.shape[1] * set.shape[2]
  const pixels = new Float32Array(rows.length * length)
  rows.forEach((row, index) => {
    pixels.set(set.pixels.subarray(row * length, (row + 1) * length), index * length)
  })
  return {
    count: rows.length,
    shape: set.shape,
    pixels,
    labels: Int32Array.from(rows, (row) => set.labels[row] ?? 0),
    smile: Float32Array.from(rows, (row) => set.smile[row] ?? 0),
  }
}

/** One node run on evaluation inputs: its input port and the output port taken onwards. */
export interface ChainStep {
  readonly node: string
  readonly input: string
  readonly output: string
}

/** The result of a chain on every row: its per-sample shape and row-major values. */
export interface ChainOutput {
  readonly shape: number[]
  readonly values: Float32Array
}

/**
 * Runs `steps` in order on `count` rows of `input` ([count, ...shape]), in chunks, outside any
 * tape, and reads the last output back. Each chunk's intermediate tensors are freed.
 */
export async function runChain(
  tf: Tf,
  program: TrainingProgram,
  steps: readonly ChainStep[],
  input: { values: Float32Array; shape: readonly number[]; count: number },
): Promise<ChainOutput> {
  const width = input.shape.reduce((product, size) => product * size, 1)
  const parts: Float32Array[] = []
  let shape: number[] = []
  for (let start = 0; start < input.count; start += CHUNK) {
    const size = Math.min(CHUNK, input.count - start)
    let current: tfjs.Tensor = tf.tensor(
      input.values.subarray(start * width, (start + size) * width),
      [size, ...input.shape],
    )
    for (const step of steps) {
      const outputs = program.evaluateWith(step.node, { [step.input]: current })
      const next = outputs[step.output]
      if (next === undefined) throw new Error(`${step.node} gave no ${step.output}`)
      tf.dispose([current, ...Object.values(outputs).filter((tensor) => tensor !== next)])
      current = next
    }
    shape = current.shape.slice(1)
    parts.push((await current.data()) as Float32Array)
    current.dispose()
  }
  const rowWidth = shape.reduce((product, size) => product * size, 1)
  const values = new Float32Array(input.count * rowWidth)
  parts.forEach((part, index) => {
    values.set(part, index * CHUNK * rowWidth)
  })
  return { shape, values }
}

/**
 * Runs one node on `count` rows fed to `inputPort`, in chunks, and reads every output back:
 * for nodes with several outputs worth keeping (an encoder's z and log σ²).
 */
export async function runOutputs(
  tf: Tf,
  program: TrainingProgram,
  node: string,
  inputPort: string,
  input: { values: Float32Array; shape: readonly number[]; count: number },
): Promise<Record<string, ChainOutput>> {
  const width = input.shape.reduce((product, size) => product * size, 1)
  const parts = new Map<string, { shape: number[]; chunks: Float32Array[] }>()
  for (let start = 0; start < input.count; start += CHUNK) {
    const size = Math.min(CHUNK, input.count - start)
    const x = tf.tensor(input.values.subarray(start * width, (start + size) * width), [
      size,
      ...input.shape,
    ])
    const outputs = program.evaluateWith(node, { [inputPort]: x })
    x.dispose()
    for (const [port, tensor] of Object.entries(outputs)) {
      const entry = parts.get(port) ?? { shape: tensor.shape.slice(1), chunks: [] }
      entry.chunks.push((await tensor.data()) as Float32Array)
      parts.set(port, entry)
    }
    tf.dispose(Object.values(outputs))
  }
  const result: Record<string, ChainOutput> = {}
  for (const [port, { shape, chunks }] of parts) {
    const values = new Float32Array(chunks.reduce((total, chunk) => total + chunk.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      values.set(chunk, offset)
      offset += chunk.length
    }
    result[port] = { shape, values }
  }
  return result
}

/** PSNR in dB of images in [0, 1] from their mean squared error. */
export function psnr(mse: number): number {
  return 10 * Math.log10(1 / mse)
}

/** Mean squared error and mean absolute error between two equally long arrays. */
export function errors(a: ArrayLike<number>, b: ArrayLike<number>): { mse: number; l1: number } {
  let squared = 0
  let absolute = 0
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0)
    squared += difference * difference
    absolute += Math.abs(difference)
  }
  return { mse: squared / a.length, l1: absolute / a.length }
}
