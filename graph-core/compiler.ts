/**
 * Document → training program (DESIGN §3). One phase per optimizer node, run in order, each k
 * times; every run samples its inputs afresh, evaluates forward only what its loss needs, and
 * updates only its own variables. Seeded: the same document and seed on the CPU backend give
 * the same loss curve.
 */
import { analyzeGraph, type GraphAnalysis } from './analysis'
import { error, hasErrors, type Diagnostic } from './diagnostics'
import type { GraphDocument } from './document'
import { initialValue, seedFor } from './initializers'
import type {
  AnyNodeDefinition,
  ForwardContext,
  HostTensor,
  NodeInstance,
  Optimizer,
  Scalar,
  Tensor,
  Tf,
  Variable,
  ViewData,
} from './nodeDefinition'
import type { ParamMap, ParamValues } from './params'
import { applicationPortId, parseApplicationPortId, type PortMap } from './ports'
import type { NodeRegistry } from './registry'
import {
  missingResource,
  missingResourceMessage,
  resourceAccessor,
  type ResourceMap,
} from './resources'

/** One optimizer's share of an iteration. */
export interface Phase {
  optimizer: string
  /** The node whose loss output feeds the optimizer. */
  lossNode: string
  lossPort: string
  /** Updates per iteration (the optimizer's `steps` param, k). */
  repeats: number
  /** Nodes whose trainable variables this phase updates. */
  trains: readonly string[]
}

/** A program variable: `node/name`, owned by one node. */
export interface ProgramVariable {
  name: string
  node: string
  variable: Variable
  isTrainable: boolean
}

export type IterationResult =
  | {
      ok: true
      step: number
      /** Last loss of each phase that ran, by optimizer id. */
      losses: Record<string, number>
      /** Reported metrics of the last run of each phase, `node.metric` → value. */
      metrics: Record<string, number>
    }
  | { ok: false; step: number; diagnostic: Diagnostic }

export interface TrainingProgram {
  readonly phases: readonly Phase[]
  readonly variables: readonly ProgramVariable[]
  /** Completed iterations. */
  readonly step: number
  /**
   * Runs one iteration (every phase in order), or only the named optimizer's phase, which
   * does not advance the step. Reads the losses back once; a NaN or Inf fails the iteration
   * with a diagnostic naming the loss node, and the program refuses further steps.
   */
  runIteration(options?: { only?: string }): Promise<IterationResult>
  /**
   * Forward pass of one node on held-out (or training) data, outside any tape, for views.
   * The caller disposes the returned tensors.
   */
  evaluate(
    node: string,
    options?: { split?: 'train' | 'heldOut'; application?: number },
  ): Record<string, Tensor>
  /**
   * Runs one node on inputs the caller supplies (D on a grid of 2-D points, a decoder on
   * latents from a view), outside any tape. The caller disposes inputs and outputs.
   */
  evaluateWith(node: string, inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor>
  /**
   * Evaluates a view node's inputs on held-out data (`samples` rows, in as many passes as the
   * batch size needs), reads them back and returns the view's data. Never touches training.
   */
  evaluateView(
    node: string,
    options?: { samples?: number; split?: 'train' | 'heldOut' },
  ): Promise<ViewData>
  /** Frees every variable, optimizer state and kept tensor. */
  dispose(): void
}

export type CompileResult =
  | { ok: true; program: TrainingProgram; analysis: GraphAnalysis; diagnostics: Diagnostic[] }
  | { ok: false; analysis: GraphAnalysis; diagnostics: Diagnostic[] }

export interface CompileOptions {
  /** Overrides the document seed. */
  seed?: number
  /**
   * Loaded binary resources by id (graph-core/resources.ts): at least those
   * `requiredResources(document, registry)` lists. A missing one is a BUILD_FAILED diagnostic
   * on the node that needs it.
   */
  resources?: ResourceMap
}

/** Compiles a document; refuses (with the analysis diagnostics) when it has errors. */
export function compileGraph(
  tf: Tf,
  document: GraphDocument,
  registry: NodeRegistry,
  options: CompileOptions = {},
): CompileResult {
  const analysis = analyzeGraph(document, registry)
  const diagnostics = [...analysis.diagnostics]
  const phases = planPhases(document, analysis)
  if (phases.length === 0) {
    diagnostics.push(
      error('NO_OPTIMIZER', 'Nothing to train: add an optimizer and connect a loss to it.'),
    )
  }
  if (hasErrors(diagnostics)) return { ok: false, analysis, diagnostics }
  try {
    const program = createProgram(
      tf,
      analysis,
      phases,
      options.seed ?? document.seed,
      options.resources,
    )
    return { ok: true, program, analysis, diagnostics }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const node = cause instanceof NodeBuildError ? cause.node : undefined
    diagnostics.push(
      error(
        'BUILD_FAILED',
        `The graph could not be built: ${reason}.`,
        node === undefined ? {} : { node },
      ),
    )
    return { ok: false, analysis, diagnostics }
  }
}

class NodeBuildError extends Error {
  constructor(
    readonly node: string,
    message: string,
  ) {
    super(message)
  }
}

/** Optimizers sorted by their `order` param, then by document order. */
function planPhases(document: GraphDocument, analysis: GraphAnalysis): Phase[] {
  const phases: (Phase & { order: number; index: number })[] = []
  document.nodes.forEach((node, index) => {
    const entry = analysis.nodes.get(node.id)
    if (entry?.definition?.category !== 'optim') return
    const edge = analysis.validEdges.find((candidate) => candidate.to.node === node.id)
    if (edge === undefined) return
    const repeats = typeof entry.params.steps === 'number' ? entry.params.steps : 1
    const order = typeof entry.params.order === 'number' ? entry.params.order : 0
    phases.push({
      optimizer: node.id,
      lossNode: edge.from.node,
      lossPort: edge.from.port,
      repeats,
      trains: analysis.trainedBy.get(node.id) ?? [],
      order,
      index,
    })
  })
  phases.sort((a, b) => a.order - b.order || a.index - b.index)
  return phases.map(({ order: _order, index: _index, ...phase }) => phase)
}

function createProgram(
  tf: Tf,
  analysis: GraphAnalysis,
  phases: readonly Phase[],
  seed: number,
  resources: ResourceMap | undefined,
): TrainingProgram {
  const variables: ProgramVariable[] = []
  const instances = new Map<string, NodeInstance<PortMap, PortMap>>()
  const optimizers = new Map<string, Optimizer>()
  const incoming = new Map<string, { node: string; port: string }>()
  for (const edge of analysis.validEdges)
    incoming.set(`${edge.to.node}\u0000${edge.to.port}`, edge.from)

  const release = () => {
    for (const instance of instances.values()) instance.dispose?.()
    for (const optimizer of optimizers.values()) optimizer.dispose()
    tf.dispose(variables.map((entry) => entry.variable))
  }

  try {
    for (const id of analysis.order) {
      const entry = analysis.nodes.get(id)
      const definition = entry?.definition
      if (entry === undefined || definition === undefined) continue
      const params = entry.params as ParamValues<ParamMap>
      if (definition.createOptimizer !== undefined) {
        optimizers.set(id, definition.createOptimizer(tf, params))
        continue
      }
      if (definition.build === undefined) continue
      const inputShapes = entry.inputShapes[0] ?? {}
      try {
        const missing = missingResource(definition, params, resources)
        if (missing !== undefined) throw new Error(missingResourceMessage(missing))
        const build = definition.build as (
          context: Parameters<NonNullable<AnyNodeDefinition['build']>>[0],
        ) => NodeInstance<PortMap, PortMap>
        instances.set(
          id,
          build({
            tf,
            params,
            inputShapes,
            variable(name, shape, init, variableOptions) {
              const isTrainable = variableOptions?.isTrainable ?? true
              const variable = tf.tidy(() =>
                tf.variable(initialValue(tf, shape, init, seedFor(seed, id, name)), isTrainable),
              )
              variables.push({ name: `${id}/${name}`, node: id, variable, isTrainable })
              return variable
            },
            resource: resourceAccessor(definition, params, resources),
          }),
        )
      } catch (cause) {
        throw new NodeBuildError(
          id,
          `${definition.label} (${id}): ${cause instanceof Error ? cause.message : String(cause)}`,
        )
      }
    }
  } catch (cause) {
    release()
    throw cause
  }

  let step = 0
  let runs = 0
  let failure: Diagnostic | undefined

  /** Evaluates what one pass needs, memoised per node application. */
  function createPass(split: 'train' | 'heldOut', passSeed: number) {
    const memo = new Map<string, Record<string, Tensor>>()
    const metrics: Record<string, Tensor> = {}
    const updates: (() => void)[] = []
    const outputsOf = (id: string, application: number): Record<string, Tensor> => {
      const key = `${id}@${application}`
      const cached = memo.get(key)
      if (cached !== undefined) return cached
      const entry = analysis.nodes.get(id)
      const definition: AnyNodeDefinition | undefined = entry?.definition
      const instance = instances.get(id)
      if (definition === undefined || instance === undefined)
        throw new Error(`node ${id} cannot run`)
      const inputs: Record<string, Tensor> = {}
      for (const port of Object.keys(definition.inputs)) {
        const source = incoming.get(`${id}\u0000${applicationPortId(port, application)}`)
        if (source === undefined) continue
        const { port: sourcePort, application: sourceApplication } = parseApplicationPortId(
          source.port,
        )
        const value = outputsOf(source.node, sourceApplication)[sourcePort]
        if (value !== undefined) inputs[port] = value
      }
      const context: ForwardContext = {
        tf,
        split,
        step,
        seed: seedFor(passSeed, id, application),
        report(name, value) {
          const previous = metrics[`${id}.${name}`]
          if (previous !== undefined) previous.dispose()
          metrics[`${id}.${name}`] = tf.keep(value)
        },
        afterStep(update) {
          updates.push(update)
        },
      }
      const outputs = instance.forward(inputs, context) as Record<string, Tensor>
      memo.set(key, outputs)
      return outputs
    }
    return { outputsOf, metrics, updates }
  }

  async function runIteration({ only }: { only?: string } = {}): Promise<IterationResult> {
    if (failure !== undefined) return { ok: false, step, diagnostic: failure }
    const selected =
      only === undefined ? phases : phases.filter((phase) => phase.optimizer === only)
    if (selected.length === 0) {
      return {
        ok: false,
        step,
        diagnostic: error('UNKNOWN_NODE', `There is no optimizer "${only ?? ''}" to step.`),
      }
    }
    const lossTensors: Tensor[] = []
    const metricTensors: Record<string, Tensor> = {}
    try {
      for (const phase of selected) {
        const optimizer = optimizers.get(phase.optimizer)
        if (optimizer === undefined) continue
        const trained = new Set(phase.trains)
        const varList = variables
          .filter((entry) => entry.isTrainable && trained.has(entry.node))
          .map((entry) => entry.variable)
        for (let repeat = 0; repeat < phase.repeats; repeat++) {
          const pass = createPass('train', seedFor(seed, 'run', runs++))
          const { port, application } = parseApplicationPortId(phase.lossPort)
          const cost = optimizer.minimize(
            () => {
              const loss = pass.outputsOf(phase.lossNode, application)[port]
              if (loss === undefined) throw new Error(`${phase.lossNode} gave no ${port}`)
              return tf.mean<Scalar>(loss)
            },
            true,
            varList,
          )
          for (const update of pass.updates) tf.tidy(update)
          if (repeat < phase.repeats - 1) {
            cost?.dispose()
            tf.dispose(Object.values(pass.metrics))
          } else {
            if (cost !== null) lossTensors.push(cost)
            for (const [name, value] of Object.entries(pass.metrics)) {
              metricTensors[name]?.dispose()
              metricTensors[name] = value
            }
          }
        }
      }
      const names = Object.keys(metricTensors)
      const packed = tf.tidy(() =>
        tf.concat([
          ...lossTensors.map((loss) => tf.reshape(loss, [1])),
          ...names.map((name) =>
            tf.reshape(tf.mean(tf.cast(metricTensors[name] ?? tf.scalar(0), 'float32')), [1]),
          ),
        ]),
      )
      const values = await packed.data()
      packed.dispose()
      const losses: Record<string, number> = {}
      selected.forEach((phase, index) => {
        losses[phase.optimizer] = values[index] ?? Number.NaN
      })
      const metrics: Record<string, number> = {}
      names.forEach((name, index) => {
        metrics[name] = values[selected.length + index] ?? Number.NaN
      })
      const bad = selected.find((phase) => !Number.isFinite(losses[phase.optimizer]))
      if (bad !== undefined) {
        const value = losses[bad.optimizer]
        const label = analysis.nodes.get(bad.lossNode)?.definition?.label ?? bad.lossNode
        failure = error(
          'NON_FINITE_LOSS',
          `${label} became ${String(value)} at step ${step + 1}; training stopped. Try a lower learning rate.`,
          { node: bad.lossNode },
        )
        return { ok: false, step, diagnostic: failure }
      }
      if (only === undefined) step++
      return { ok: true, step, losses, metrics }
    } finally {
      tf.dispose([...lossTensors, ...Object.values(metricTensors)])
    }
  }

  return {
    phases,
    variables,
    get step() {
      return step
    },
    runIteration,
    evaluate(node, { split = 'heldOut', application = 0 } = {}) {
      return tf.tidy(() => {
        const pass = createPass(split, seedFor(seed, 'evaluate', node, step))
        const outputs = pass.outputsOf(node, application)
        tf.dispose(Object.values(pass.metrics))
        return outputs
      })
    },
    evaluateWith(node, inputs) {
      const instance = instances.get(node)
      if (instance === undefined) throw new Error(`${node} has no forward pass to run`)
      return tf.tidy(() => {
        const context: ForwardContext = {
          tf,
          split: 'heldOut',
          step,
          seed: seedFor(seed, 'evaluateWith', node, step),
          report: () => undefined,
          afterStep: () => undefined,
        }
        return instance.forward(inputs, context)
      })
    },
    async evaluateView(node, { samples = 256, split = 'heldOut' } = {}) {
      const entry = analysis.nodes.get(node)
      const summarize = entry?.definition?.summarize
      if (entry === undefined || summarize === undefined) throw new Error(`${node} is not a view`)
      const sources = Object.keys(entry.definition?.inputs ?? {}).flatMap((port) => {
        const source = incoming.get(`${node}\u0000${port}`)
        return source === undefined ? [] : [{ port, source }]
      })
      const chunks = new Map<string, Tensor[]>()
      let rows = 0
      try {
        for (let pass = 0; rows < samples && pass < 1000; pass++) {
          const batch = tf.tidy(() => {
            const evaluation = createPass(split, seedFor(seed, 'view', node, pass))
            const values = sources.map(({ source }) => {
              const { port, application } = parseApplicationPortId(source.port)
              const value = evaluation.outputsOf(source.node, application)[port]
              if (value === undefined) throw new Error(`${source.node} gave no ${port}`)
              return value
            })
            tf.dispose(Object.values(evaluation.metrics))
            return values
          })
          sources.forEach(({ port }, index) => {
            const value = batch[index]
            if (value !== undefined) chunks.set(port, [...(chunks.get(port) ?? []), value])
          })
          const count = batch[0]?.shape.at(0) ?? 0
          if (count === 0) break
          rows += count
        }
        const inputs: Record<string, HostTensor> = {}
        for (const [port, parts] of chunks) {
          const joined = tf.tidy(() => {
            const all = parts.length === 1 ? (parts[0] ?? tf.zeros([0])) : tf.concat(parts, 0)
            return (all.shape.at(0) ?? 0) > samples ? tf.slice(all, 0, samples) : all.clone()
          })
          const data = await joined.data()
          inputs[port] = { shape: joined.shape, data: data }
          joined.dispose()
        }
        return summarize(inputs, entry.params as ParamValues<ParamMap>)
      } finally {
        for (const parts of chunks.values()) tf.dispose(parts)
      }
    },
    dispose: release,
  }
}
