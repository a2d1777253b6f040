import { readFileSync } from 'node:fs'
import type { Tensor } from '../../graph-core/nodeDefinition'
import { nodeGradients, runNode } from '../../graph-core/runNode'
import { nodeRegistry } from '../../nodes/registry'
import { stringOption, UsageError, type ParsedArgs } from '../args'
import { loadTf, type NodeBackend } from '../tfNode'

type Json = number | Json[]

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (cause) {
    throw new UsageError(
      `${what} ${path} is not readable JSON (${cause instanceof Error ? cause.message : String(cause)})`,
    )
  }
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new UsageError(`${what} must be a JSON object, e.g. '{"units": 8}'`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${what} must be a JSON object, e.g. '{"units": 8}'`)
  }
  return value as Record<string, unknown>
}

/**
 * `node <type> --params <json> --inputs <file.json> [--weights <file.json>] [--grad a,b]`:
 * runs one node's forward on the given tensors (nested arrays, batch first; labels as integers)
 * and prints `{outputs: {port: {shape, data}}, grads: {name: {shape, data}}}`.
 */
export async function node(args: ParsedArgs, print: (line: string) => void): Promise<number> {
  const [type] = args.positionals
  if (type === undefined)
    throw new UsageError('node needs a node type: node <type> --inputs <file.json>')
  const definition = nodeRegistry.get(type)
  if (definition === undefined) {
    const known = nodeRegistry
      .all()
      .map((d) => d.type)
      .join(', ')
    throw new UsageError(`unknown node type "${type}"; known: ${known}`)
  }
  const inputsPath = stringOption(args, 'inputs')
  if (inputsPath === undefined) throw new UsageError('node needs --inputs <file.json>')
  const params = parseObject(stringOption(args, 'params') ?? '{}', '--params')
  const rawInputs = readJson(inputsPath, 'inputs file')
  const weightsPath = stringOption(args, 'weights')
  const rawWeights = weightsPath === undefined ? {} : readJson(weightsPath, 'weights file')
  const grads = (stringOption(args, 'grad') ?? '').split(',').filter(Boolean)

  const tf = await loadTf((stringOption(args, 'backend') ?? 'cpu') as NodeBackend)
  const toTensors = (raw: unknown, what: string, labelPorts: ReadonlySet<string>) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new UsageError(`${what} must be a JSON object of nested arrays by name`)
    }
    const tensors: Record<string, Tensor> = {}
    for (const [name, value] of Object.entries(raw)) {
      try {
        tensors[name] = tf.tensor(
          value as Json[],
          undefined,
          labelPorts.has(name) ? 'int32' : 'float32',
        )
      } catch (cause) {
        throw new UsageError(
          `${what}: ${name} is not a rectangular nested array of numbers (${cause instanceof Error ? cause.message : String(cause)})`,
        )
      }
    }
    return tensors
  }
  const labelPorts = new Set(
    Object.entries(definition.inputs)
      .filter(([, spec]) => spec.kind === 'labels')
      .map(([port]) => port),
  )
  const inputs = toTensors(rawInputs, 'inputs', labelPorts)
  const weights = toTensors(rawWeights, 'weights', new Set())
  const describe = async (tensor: Tensor) => ({ shape: tensor.shape, data: await tensor.array() })

  let run
  try {
    run = runNode(tf, definition, { params, inputs, weights })
  } catch (cause) {
    throw new UsageError(`${type}: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
  const outputs: Record<string, unknown> = {}
  for (const [port, tensor] of Object.entries(run.outputs)) outputs[port] = await describe(tensor)
  const gradients: Record<string, unknown> = {}
  if (grads.length > 0) {
    const [port] = Object.keys(run.outputs)
    if (port === undefined) throw new UsageError(`${type} has no output to differentiate`)
    const result = nodeGradients(tf, definition, {
      params,
      inputs,
      weights,
      output: port,
      wrt: grads,
    })
    for (const [name, tensor] of Object.entries(result)) gradients[name] = await describe(tensor)
    tf.dispose(Object.values(result))
  }
  run.dispose()
  print(JSON.stringify({ outputs, grads: gradients }))
  return 0
}
