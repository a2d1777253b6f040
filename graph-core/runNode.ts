import { initialValue, seedFor } from './initializers'
import type {
  AnyNodeDefinition,
  ForwardContext,
  Scalar,
  Tensor,
  Tf,
  Variable,
} from './nodeDefinition'
import { resolveParams } from './params'
import {
  missingResource,
  missingResourceMessage,
  resourceAccessor,
  type ResourceMap,
} from './resources'
import { formatShape, shapesEqual, type Shape } from './shapes'

export interface RunNodeOptions {
  /** Saved-style params; missing ones take their defaults, invalid ones throw. */
  params?: Readonly<Record<string, unknown>>
  /** One tensor per input port, batch first (labels are int32 [batch]). */
  inputs: Readonly<Record<string, Tensor>>
  /** Values for the node's variables by name; the rest start from their initializers. */
  weights?: Readonly<Record<string, Tensor>>
  seed?: number
  step?: number
  split?: 'train' | 'heldOut'
  /** Loaded binary resources by id, for nodes that declare `resources` (data.mnist). */
  resources?: ResourceMap
}

/** A node built on its own, for unit tests and the CLI's `node` command. */
export interface BuiltNode {
  variables: ReadonlyMap<string, Variable>
  /** One forward pass; the caller disposes what it returns. */
  forward(
    inputs: Readonly<Record<string, Tensor>>,
    /** A seed for this pass; by default every pass gets the same one. */
    passSeed?: number,
  ): {
    outputs: Record<string, Tensor>
    metrics: Record<string, Tensor>
  }
  /** Applies the updates the last forward deferred to after the optimizer step (center loss). */
  runAfterStep(): void
  dispose(): void
}

/**
 * Builds one node from its definition for the shapes of the given inputs. Throws a clear error
 * naming the port or param when an input is missing or misshapen or a param is invalid.
 */
export function buildNode(
  tf: Tf,
  definition: AnyNodeDefinition,
  options: RunNodeOptions,
): BuiltNode {
  const { build } = definition
  if (build === undefined) throw new Error(`${definition.type} has no forward pass`)
  const { values, invalid } = resolveParams(definition.params, options.params ?? {})
  const [badParam, reason] = Object.entries(invalid)[0] ?? []
  if (badParam !== undefined) throw new Error(`param ${badParam} ${String(reason)}`)

  const ports = definition.inputs
  const inputShapes: Record<string, Shape> = {}
  for (const [port, spec] of Object.entries(ports)) {
    const input = options.inputs[port]
    if (input === undefined) {
      if (spec.isOptional === true) continue
      const given = Object.keys(options.inputs)
      throw new Error(
        `input ${port} is missing; ${definition.type} takes ${Object.keys(ports).join(', ')}${given.length > 0 ? ` (given: ${given.join(', ')})` : ''}`,
      )
    }
    inputShapes[port] = input.shape.slice(1)
  }
  for (const port of Object.keys(options.inputs)) {
    if (!Object.hasOwn(ports, port)) {
      throw new Error(
        `${definition.type} has no input ${port}; it takes ${Object.keys(ports).join(', ')}`,
      )
    }
  }
  const inferred = definition.inferShapes(inputShapes, values)
  if ('issues' in inferred) {
    const issue = inferred.issues[0]
    const where = issue?.port === undefined ? '' : `input ${issue.port}: `
    const detail =
      issue?.expected === undefined
        ? ''
        : ` (expected ${issue.expected}, got ${issue.actual ?? '?'})`
    throw new Error(`${where}${issue?.message ?? 'shapes do not fit'}${detail}`)
  }

  const missing = missingResource(definition, values, options.resources)
  if (missing !== undefined) throw new Error(missingResourceMessage(missing))

  const seed = options.seed ?? 1
  const variables = new Map<string, Variable>()
  const instance = build({
    tf,
    params: values,
    inputShapes,
    variable(name, shape, init, variableOptions) {
      const given = options.weights?.[name]
      if (given !== undefined && !shapesEqual(given.shape, shape)) {
        throw new Error(
          `weight ${name} must have shape ${formatShape(shape)}, got ${formatShape(given.shape)}`,
        )
      }
      const variable = tf.tidy(() =>
        tf.variable(
          given?.clone() ?? initialValue(tf, shape, init, seedFor(seed, name)),
          variableOptions?.isTrainable ?? true,
        ),
      )
      variables.set(name, variable)
      return variable
    },
    resource: resourceAccessor(definition, values, options.resources),
  })
  for (const name of Object.keys(options.weights ?? {})) {
    if (!variables.has(name)) {
      throw new Error(
        `${definition.type} has no variable ${name}; it has ${[...variables.keys()].join(', ') || 'none'}`,
      )
    }
  }

  let updates: (() => void)[] = []
  return {
    variables,
    forward(inputs, passSeed) {
      const metrics: Record<string, Tensor> = {}
      updates = []
      const context: ForwardContext = {
        tf,
        split: options.split ?? 'train',
        step: options.step ?? 0,
        seed:
          passSeed === undefined ? seedFor(seed, 'forward') : seedFor(seed, 'forward', passSeed),
        report(name, value) {
          metrics[name] = tf.keep(value)
        },
        afterStep(update) {
          updates.push(update)
        },
      }
      const outputs = tf.tidy(() => instance.forward(inputs, context) as Record<string, Tensor>)
      return { outputs, metrics }
    },
    runAfterStep() {
      for (const update of updates.splice(0)) tf.tidy(update)
    },
    dispose() {
      instance.dispose?.()
      tf.dispose([...variables.values()])
    },
  }
}

export interface NodeRun {
  outputs: Record<string, Tensor>
  metrics: Record<string, Tensor>
  variables: ReadonlyMap<string, Variable>
  runAfterStep(): void
  /** Frees outputs, metrics and variables. */
  dispose(): void
}

/** Builds a node and runs one forward pass on the given inputs. */
export function runNode(tf: Tf, definition: AnyNodeDefinition, options: RunNodeOptions): NodeRun {
  const node = buildNode(tf, definition, options)
  try {
    const { outputs, metrics } = node.forward(options.inputs)
    return {
      outputs,
      metrics,
      variables: node.variables,
      runAfterStep: () => {
        node.runAfterStep()
      },
      dispose() {
        tf.dispose([...Object.values(outputs), ...Object.values(metrics)])
        node.dispose()
      },
    }
  } catch (cause) {
    node.dispose()
    throw cause
  }
}

/**
 * Gradients of the sum of one output with respect to named inputs and variables. Finite-gradient
 * tests and the CLI's `--grad` use it. The caller disposes the returned tensors.
 */
export function nodeGradients(
  tf: Tf,
  definition: AnyNodeDefinition,
  options: RunNodeOptions & { output: string; wrt: readonly string[] },
): Record<string, Tensor> {
  const node = buildNode(tf, definition, options)
  // Inputs become variables for the tape; node variables are differentiated as they are.
  const inputVariables = new Map<string, Variable>()
  try {
    const sources = options.wrt.map((name) => {
      const input = options.inputs[name]
      if (input !== undefined) {
        const variable = tf.tidy(() => tf.variable(input.toFloat(), true))
        inputVariables.set(name, variable)
        return variable
      }
      const variable = node.variables.get(name)
      if (variable === undefined) throw new Error(`nothing named ${name} to differentiate by`)
      return variable
    })
    const { value, grads } = tf.variableGrads(() => {
      const { outputs, metrics } = node.forward({
        ...options.inputs,
        ...Object.fromEntries(inputVariables),
      })
      tf.dispose(Object.values(metrics))
      const output = outputs[options.output]
      if (output === undefined)
        throw new Error(`${definition.type} has no output ${options.output}`)
      return tf.sum<Scalar>(output)
    }, sources)
    value.dispose()
    const result: Record<string, Tensor> = {}
    options.wrt.forEach((name, index) => {
      const source = sources[index]
      const grad = source === undefined ? undefined : grads[source.name]
      // A source the output does not depend on has no entry: its gradient is zero.
      result[name] = grad ?? tf.zerosLike(source ?? tf.scalar(0))
    })
    return result
  } finally {
    tf.dispose([...inputVariables.values()])
    node.dispose()
  }
}
