import { writeFileSync } from 'node:fs'
import type { Tensor } from '../../graph-core/nodeDefinition'
import { resourcesOf } from '../../graph-core/resources'
import { buildNode } from '../../graph-core/runNode'
import { nodeRegistry } from '../../nodes/registry'
import { intOption, stringOption, UsageError, type ParsedArgs } from '../args'
import { encodePng, labelledGrid } from '../png'
import { loadResources } from '../resources'
import { loadTf } from '../tfNode'

const HISTOGRAM_BINS = 10

/** Ten equal bins over [0, 1] (values outside are clamped into the end bins). */
export function histogram(values: ArrayLike<number>): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0)
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? 0
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(value * HISTOGRAM_BINS)))
    bins[bin] = (bins[bin] ?? 0) + 1
  }
  return bins
}

/**
 * `dataset <type> [--params <json>] [--batches N] [--grid out.png] [--json]`: samples a data
 * node's train and held-out splits, prints counts, identities, attribute histograms and
 * generation speed, and writes a labelled sample grid.
 */
export async function dataset(args: ParsedArgs, print: (line: string) => void): Promise<number> {
  const [type] = args.positionals
  const definition = type === undefined ? undefined : nodeRegistry.get(type)
  // Sources only: transforms (corrupt, edges, …) need an input and cannot be sampled alone.
  const isSource = (d: typeof definition) =>
    d?.category === 'data' && Object.keys(d.inputs).length === 0
  if (definition === undefined || !isSource(definition)) {
    const known = nodeRegistry
      .all()
      .filter(isSource)
      .map((d) => d.type)
    throw new UsageError(`dataset needs a data source type; known: ${known.join(', ')}`)
  }
  let params: Record<string, unknown> = {}
  const rawParams = stringOption(args, 'params')
  if (rawParams !== undefined) {
    try {
      params = JSON.parse(rawParams) as Record<string, unknown>
    } catch {
      throw new UsageError('--params must be a JSON object')
    }
  }
  const batches = intOption(args, 'batches', 20, 1)
  const tf = await loadTf('cpu')
  const resources = await loadResources(resourcesOf(definition, params))
  const node = buildNode(tf, definition, { params, inputs: {}, resources })
  const report: Record<string, unknown> = { type, params }
  try {
    for (const split of ['train', 'heldOut'] as const) {
      const splitNode = buildNode(tf, definition, { params, inputs: {}, split, resources })
      const labels = new Map<number, number>()
      const attributes: Record<string, number[]> = {}
      let samples = 0
      const started = performance.now()
      for (let batch = 0; batch < batches; batch++) {
        const { outputs } = splitNode.forward({}, batch)
        const labelValues =
          outputs.labels === undefined ? [] : Array.from(await outputs.labels.data())
        for (const label of labelValues) labels.set(label, (labels.get(label) ?? 0) + 1)
        samples += Object.values(outputs)[0]?.shape[0] ?? 0
        for (const [port, tensor] of Object.entries<Tensor>(outputs)) {
          if (tensor.shape.length === 2 && tensor.shape[1] === 1) {
            ;(attributes[port] ??= []).push(...(await tensor.data()))
          }
        }
        tf.dispose(Object.values(outputs))
      }
      const seconds = (performance.now() - started) / 1000
      splitNode.dispose()
      report[split] = {
        samples,
        distinctLabels: labels.size,
        perLabel: labels.size === 0 ? 0 : samples / labels.size,
        samplesPerSecond: Math.round(samples / seconds),
        attributes: Object.fromEntries(
          Object.entries(attributes).map(([name, values]) => [name, histogram(values)]),
        ),
      }
      print(
        `${split}: ${samples} samples in ${batches} batches, ${labels.size} distinct labels, ${Math.round(samples / seconds)} samples/s`,
      )
      for (const [name, values] of Object.entries(attributes))
        print(`  ${name} histogram [0, 1] in tenths: ${histogram(values).join(' ')}`)
    }
    report.dataInfo = definition.dataInfo?.(
      Object.fromEntries(
        Object.entries(definition.params).map(([id, spec]) => [id, params[id] ?? spec.default]),
      ) as never,
    )
    const gridPath = stringOption(args, 'grid')
    if (gridPath !== undefined) {
      const { outputs } = node.forward({})
      const images = outputs.images
      if (images === undefined || images.shape.length !== 4) {
        tf.dispose(Object.values(outputs))
        throw new UsageError(`${type} has no image output to draw`)
      }
      const [count = 0, height = 0, width = 0, channels = 1] = images.shape
      const shown = Math.min(count, 64)
      const pixels = (await images.slice(0, shown).data()) as Float32Array
      const labels =
        outputs.labels === undefined ? [] : Array.from(await outputs.labels.slice(0, shown).data())
      tf.dispose(Object.values(outputs))
      const grid = labelledGrid(
        pixels,
        labels.length > 0 ? labels : new Array<number>(shown).fill(0),
        { height, width, channels: channels === 3 ? 3 : 1 },
        8,
      )
      writeFileSync(
        gridPath,
        encodePng(grid.width, grid.height, channels === 3 ? 3 : 1, grid.pixels),
      )
      print(`wrote ${shown} labelled samples to ${gridPath} (${grid.width}×${grid.height})`)
    }
    if (args.options.has('json')) print(JSON.stringify(report))
    return 0
  } finally {
    node.dispose()
  }
}
