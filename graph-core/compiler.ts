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
import { createWeightAverages } from './weightAverages'

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
      /**
       * Every loss node the last run of each phase evaluated, `node.port` (`node.port@1` for a
       * later application) → its batch mean: the terms behind a weighted sum (a VAE's KL, a
       * GAN's D and G terms), which the optimizer's loss alone does not show.
       */
      lossTerms: Record<string, number>
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
   * The caller disposes the returned tensors. With `isRepeatable` the pass's seed does not
   * depend on the step, so every call draws the same samples (and noise): what the worker's
   * view tools show beside each other as training goes on.
   */
  evaluate(
    node: string,
    options?: { split?: 'train' | 'heldOut'; application?: number; isRepeatable?: boolean },
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
  /**
   * Reads the whole training state back (variables, optimizer slots, step, the pass counter
   * that drives sampling): continuing from it after `loadState` gives the same curve as never
   * stopping.
   */
  saveState(): Promise<ProgramState>
  /**
   * Replaces the training state with a saved one, also before the first step and after a
   * failure (which it clears). Throws an Error saying what does not fit when the state comes
   * from another graph; the program is unchanged then. Call it between iterations: TF.js sets
   * optimizer slots asynchronously, so they are applied before the next `runIteration` or
   * `saveState`, which wait for them.
   */
  loadState(state: ProgramState): void
  /** Frees every variable, optimizer state and kept tensor. */
  dispose(): void
}

/** The schema version of {@link ProgramState}; a newer one is refused. */
export const PROGRAM_STATE_VERSION = 1

/** A tensor's values on the host: plain data that structured cloning copies (or transfers). */
export interface SavedTensor {
  shape: number[]
  values: Float32Array | Int32Array
}

/** One optimizer weight (`iter`, or a slot named after its program variable: `gen/w0/m`). */
export interface SavedOptimizerWeight extends SavedTensor {
  name: string
}

/**
 * A training program's state as plain data (DESIGN §7: weights, optimizer state, step and
 * RNG): what a checkpoint holds. Every pass draws its data and noise from
 * `seedFor(seed, 'run', runs)`, so `runs` is both the RNG state and the data cursor.
 */
export interface ProgramState {
  schemaVersion: typeof PROGRAM_STATE_VERSION
  /** Completed iterations. */
  step: number
  /** Training passes run so far (each phase's repeats count). */
  runs: number
  /** Every program variable by name (`node/name`), trainable or not. */
  variables: Record<string, SavedTensor>
  /** Each optimizer's state by optimizer node id. */
  optimizers: Record<string, SavedOptimizer>
  /**
   * Moving averages of the weights of optimizers that keep them (`weightAveragingOf`), by
   * variable name. Absent in older checkpoints, and averages this graph does not keep are
   * ignored: averaging only changes what held-out passes see, so it may be switched on or off
   * between runs; a variable without a saved average starts from its loaded weights.
   */
  averages?: Record<string, SavedTensor>
}

/** An optimizer's `getWeights()`: `iter` first, then its slots in the order it keeps them. */
export interface SavedOptimizer {
  /** TF.js's class name (`Adam`): slots of one kind of optimizer mean nothing to another. */
  className: string
  /**
   * Slots are renamed after the program variables (`gen/w0/m`): TF.js names them after engine
   * variable names, which differ between two compilations of one graph.
   */
  weights: SavedOptimizerWeight[]
  /**
   * Running products TF.js keeps outside `getWeights` (Adam's `accBeta1`, `accBeta2` = β^t),
   * by field name. `setWeights` recomputes them as `pow(β, t)`, which differs from the product
   * of t multiplications in the last bits, so a resumed curve would drift; kept here, they
   * are put back exactly. Absent in older checkpoints (then `pow` it is).
   */
  accumulators?: Record<string, number>
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

  let isDisposed = false
  const release = () => {
    isDisposed = true
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
  // Optimizer slots from `loadState` still to apply: TF.js's `setWeights` is async.
  let pendingLoad: Promise<void> = Promise.resolve()

  /**
   * Evaluates what one pass needs, memoised per node application. With `isKeepingTerms` it
   * also keeps the batch mean of every loss output it computes, for `lossTerms`.
   */
  function createPass(split: 'train' | 'heldOut', passSeed: number, isKeepingTerms = false) {
    const memo = new Map<string, Record<string, Tensor>>()
    const metrics: Record<string, Tensor> = {}
    const terms: Record<string, Tensor> = {}
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
      if (isKeepingTerms && definition.category === 'loss') {
        for (const [port, value] of Object.entries(outputs)) {
          // Losses are mostly scalars already: kept as they are, no op on the tape.
          terms[`${id}.${applicationPortId(port, application)}`] = tf.keep(
            value.rank === 0 ? value : tf.mean(value),
          )
        }
      }
      memo.set(key, outputs)
      return outputs
    }
    return { outputsOf, metrics, terms, updates }
  }

  /**
   * Nodes no variable influences: they own none and neither does anything upstream (data,
   * noise, their transforms). `analysis.order` is topological, so sources come first.
   */
  const owners = new Set(variables.map((entry) => entry.node))
  const variableFree = new Set<string>()
  for (const id of analysis.order) {
    if (owners.has(id) || !instances.has(id)) continue
    const isFed = analysis.validEdges.every(
      (edge) => edge.to.node !== id || variableFree.has(edge.from.node),
    )
    if (isFed) variableFree.add(id)
  }

  /**
   * The variable-free node applications a phase's loss needs, sources first. They run before
   * the gradient tape opens: recorded there they cost bookkeeping, and every input an op keeps
   * for its gradient is copied (on WASM, a whole dataset sliced into a batch, at every step).
   */
  const constantInputs = new Map<string, [string, number][]>()
  for (const phase of phases) {
    const needed: [string, number][] = []
    const seen = new Set<string>()
    const visit = (id: string, application: number) => {
      const key = `${id}@${application}`
      if (seen.has(key)) return
      seen.add(key)
      for (const port of Object.keys(analysis.nodes.get(id)?.definition?.inputs ?? {})) {
        const source = incoming.get(`${id}\u0000${applicationPortId(port, application)}`)
        if (source === undefined) continue
        visit(source.node, parseApplicationPortId(source.port).application)
      }
      if (variableFree.has(id)) needed.push([id, application])
    }
    visit(phase.lossNode, parseApplicationPortId(phase.lossPort).application)
    constantInputs.set(phase.optimizer, needed)
  }

  /** The rate each optimizer was last given, so a constant one is set only once. */
  const rates = new Map<string, number>()
  const scheduleLearningRate = (id: string, optimizer: Optimizer) => {
    const entry = analysis.nodes.get(id)
    const rateAt = entry?.definition?.learningRateAt
    if (entry === undefined || rateAt === undefined) return
    const rate = rateAt(entry.params as ParamValues<ParamMap>, step)
    if (rates.get(id) === rate) return
    rates.set(id, rate)
    setLearningRate(optimizer, rate)
  }

  /** The variables a phase's optimizer updates, in the order its slots are kept. */
  const variablesOf = (phase: Phase): ProgramVariable[] => {
    const trained = new Set(phase.trains)
    return variables.filter((entry) => entry.isTrainable && trained.has(entry.node))
  }

  const weightAverages = createWeightAverages(
    tf,
    phases.flatMap((phase) => {
      const entry = analysis.nodes.get(phase.optimizer)
      const decay = entry?.definition?.weightAveragingOf?.(entry.params as ParamValues<ParamMap>)
      if (decay === undefined || decay <= 0) return []
      return variablesOf(phase).map(({ name, variable }) => ({
        name,
        variable,
        optimizer: phase.optimizer,
        decay,
      }))
    }),
  )
  /** Held-out passes see the averaged weights; training passes the trained ones. */
  const onSplit = <T>(split: 'train' | 'heldOut', use: () => T): T =>
    split === 'heldOut' ? weightAverages.withAverages(use) : use()

  async function runIteration({ only }: { only?: string } = {}): Promise<IterationResult> {
    await pendingLoad
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
    const termTensors: Record<string, Tensor> = {}
    try {
      for (const phase of selected) {
        const optimizer = optimizers.get(phase.optimizer)
        if (optimizer === undefined) continue
        const varList = variablesOf(phase).map((entry) => entry.variable)
        scheduleLearningRate(phase.optimizer, optimizer)
        for (let repeat = 0; repeat < phase.repeats; repeat++) {
          const pass = createPass('train', seedFor(seed, 'run', runs++), true)
          const { port, application } = parseApplicationPortId(phase.lossPort)
          // Kept (memoised for the pass) until the update is done.
          const prepared = tf.tidy(() =>
            (constantInputs.get(phase.optimizer) ?? []).flatMap(([node, nodeApplication]) =>
              Object.values(pass.outputsOf(node, nodeApplication)),
            ),
          )
          let cost: Scalar | null
          try {
            cost = optimizer.minimize(
              () => {
                const loss = pass.outputsOf(phase.lossNode, application)[port]
                if (loss === undefined) throw new Error(`${phase.lossNode} gave no ${port}`)
                return loss.rank === 0 ? (loss as Scalar) : tf.mean<Scalar>(loss)
              },
              true,
              varList,
            )
            for (const update of pass.updates) tf.tidy(update)
          } finally {
            tf.dispose(prepared)
          }
          if (repeat < phase.repeats - 1) {
            cost?.dispose()
            tf.dispose([...Object.values(pass.metrics), ...Object.values(pass.terms)])
          } else {
            if (cost !== null) lossTensors.push(cost)
            for (const [kept, fresh] of [
              [metricTensors, pass.metrics],
              [termTensors, pass.terms],
            ] as const) {
              for (const [name, value] of Object.entries(fresh)) {
                kept[name]?.dispose()
                kept[name] = value
              }
            }
          }
        }
        weightAverages.update(phase.optimizer, step)
      }
      const metricNames = Object.keys(metricTensors)
      const termNames = Object.keys(termTensors)
      // One read-back for everything: on a GPU each `data()` is a round trip.
      const packed = tf.tidy(() =>
        tf.concat([
          ...lossTensors.map((loss) => tf.reshape(loss, [1])),
          ...[
            ...metricNames.map((name) => metricTensors[name]),
            ...termNames.map((name) => termTensors[name]),
          ].map((value = tf.scalar(0)) => {
            const float = value.dtype === 'float32' ? value : tf.cast(value, 'float32')
            return tf.reshape(float.rank === 0 ? float : tf.mean(float), [1])
          }),
        ]),
      )
      const values = await packed.data()
      packed.dispose()
      const losses: Record<string, number> = {}
      selected.forEach((phase, index) => {
        losses[phase.optimizer] = values[index] ?? Number.NaN
      })
      const metrics: Record<string, number> = {}
      metricNames.forEach((name, index) => {
        metrics[name] = values[selected.length + index] ?? Number.NaN
      })
      const lossTerms: Record<string, number> = {}
      termNames.forEach((name, index) => {
        lossTerms[name] = values[selected.length + metricNames.length + index] ?? Number.NaN
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
      return { ok: true, step, losses, metrics, lossTerms }
    } finally {
      tf.dispose([...lossTensors, ...Object.values(metricTensors), ...Object.values(termTensors)])
    }
  }

  /** The variables an optimizer node keeps slots for, in their order; none without a loss. */
  const slotOwners = (optimizer: string): ProgramVariable[] => {
    const phase = phases.find((candidate) => candidate.optimizer === optimizer)
    return phase === undefined ? [] : variablesOf(phase)
  }

  async function saveState(): Promise<ProgramState> {
    await pendingLoad
    // Clones share buffers (no copy) and pin this moment's values while the reads are awaited.
    const held: Tensor[] = []
    const pin = (tensor: Tensor) => {
      const copy = tensor.clone()
      held.push(copy)
      return copy
    }
    try {
      const pinnedVariables = variables.map((entry) => ({
        name: entry.name,
        tensor: pin(entry.variable),
      }))
      const pinnedAverages = [...weightAverages.averages].map(([name, average]) => ({
        name,
        tensor: pin(average),
      }))
      const pinnedOptimizers = await Promise.all(
        [...optimizers].map(async ([id, optimizer]) => {
          const weights = await optimizer.getWeights()
          const pinned = weights.map(({ name, tensor }) => ({ name, tensor: pin(tensor) }))
          // `iter` is made afresh for the call; the slots are the optimizer's own variables.
          tf.dispose(
            weights.flatMap(({ tensor }) => (tensor instanceof tf.Variable ? [] : [tensor])),
          )
          const accumulators = accumulatorsOf(tf, optimizer).map(([field, variable]) => ({
            field,
            tensor: pin(variable),
          }))
          return { id, className: optimizer.getClassName(), weights: pinned, accumulators }
        }),
      )
      const saved = async ({ tensor }: { tensor: Tensor }): Promise<SavedTensor> => ({
        shape: [...tensor.shape],
        values: hostValues(tensor.dtype, await tensor.data()),
      })
      const engineToProgram = new Map(variables.map((entry) => [entry.variable.name, entry.name]))
      const slotName = (name: string) => {
        if (name === 'iter') return name
        const slash = name.indexOf('/')
        const owner = slash < 0 ? undefined : engineToProgram.get(name.slice(0, slash))
        if (owner === undefined) throw new Error(`optimizer weight ${name} has no program variable`)
        return `${owner}${name.slice(slash)}`
      }
      const state: ProgramState = {
        schemaVersion: PROGRAM_STATE_VERSION,
        step,
        runs,
        variables: {},
        optimizers: {},
      }
      for (const entry of pinnedVariables) state.variables[entry.name] = await saved(entry)
      if (pinnedAverages.length > 0) {
        state.averages = {}
        for (const entry of pinnedAverages) state.averages[entry.name] = await saved(entry)
      }
      for (const { id, className, weights, accumulators } of pinnedOptimizers) {
        const optimizer: SavedOptimizer = {
          className,
          weights: await Promise.all(
            weights.map(async (weight) => ({
              name: slotName(weight.name),
              ...(await saved(weight)),
            })),
          ),
        }
        if (accumulators.length > 0) {
          optimizer.accumulators = {}
          for (const { field, tensor } of accumulators) {
            optimizer.accumulators[field] = (await tensor.data())[0] ?? Number.NaN
          }
        }
        state.optimizers[id] = optimizer
      }
      return state
    } finally {
      tf.dispose(held)
    }
  }

  /** Why a state cannot be loaded into this program; empty when it fits. */
  function stateProblems(input: unknown): string[] {
    // Checkpoints come back from storage: check the outline before trusting the type.
    if (!isRecord(input) || !isRecord(input.variables) || !isRecord(input.optimizers))
      return ['it is not a training state']
    if (input.schemaVersion !== PROGRAM_STATE_VERSION) {
      return [
        `it has state version ${String(input.schemaVersion)}, this Latent Lab reads version ${PROGRAM_STATE_VERSION}`,
      ]
    }
    const state = input as unknown as ProgramState
    const problems: string[] = []
    if (!isCount(state.step)) problems.push(`its step ${String(state.step)} is not a count`)
    if (!isCount(state.runs)) problems.push(`its pass counter ${String(state.runs)} is not a count`)
    for (const entry of variables) {
      const saved = ownEntry(state.variables, entry.name)
      if (saved === undefined) problems.push(`it has no values for ${entry.name}`)
      else {
        const issue = tensorProblem(saved, entry.variable)
        if (issue !== undefined) problems.push(`${entry.name} ${issue}`)
      }
    }
    const known = new Set(variables.map((entry) => entry.name))
    for (const name of Object.keys(state.variables)) {
      if (!known.has(name)) problems.push(`it has ${name}, which this graph does not`)
    }
    for (const [id, optimizer] of optimizers) {
      const saved = ownEntry(state.optimizers, id)
      if (saved === undefined) {
        problems.push(`it has no state for the optimizer ${id}`)
        continue
      }
      if (!Array.isArray(saved.weights)) {
        problems.push(`${id} has no weights`)
        continue
      }
      if (saved.className !== optimizer.getClassName()) {
        problems.push(`${id} was ${saved.className}, here it is ${optimizer.getClassName()}`)
        continue
      }
      const { accumulators } = saved as { accumulators?: unknown }
      if (
        accumulators !== undefined &&
        (!isRecord(accumulators) ||
          Object.values(accumulators).some((value) => typeof value !== 'number'))
      ) {
        problems.push(`${id}'s accumulators are not numbers`)
        continue
      }
      const [iter, ...slots] = saved.weights as unknown[]
      if (!isRecord(iter) || iter.name !== 'iter' || !isSavedTensor(iter)) {
        problems.push(`${id} lacks its iteration count`)
        continue
      }
      const owners = slotOwners(id)
      if (owners.length === 0 ? slots.length > 0 : slots.length % owners.length !== 0) {
        problems.push(`${id} keeps ${slots.length} slots for ${owners.length} variables`)
        continue
      }
      slots.forEach((slot, index) => {
        const owner = owners[index % owners.length]
        if (owner === undefined) return
        if (!isRecord(slot) || typeof slot.name !== 'string' || !isSavedTensor(slot)) {
          problems.push(`${id}'s slot ${index} is not a saved tensor`)
          return
        }
        if (!slot.name.startsWith(`${owner.name}/`)) {
          problems.push(`${id}'s slot ${index} is ${slot.name}, expected one of ${owner.name}`)
          return
        }
        const issue = tensorProblem(slot, owner.variable)
        if (issue !== undefined) problems.push(`${id}'s ${slot.name} ${issue}`)
      })
    }
    for (const id of Object.keys(state.optimizers)) {
      if (!optimizers.has(id))
        problems.push(`it has the optimizer ${id}, which this graph does not`)
    }
    const saved = (input as { averages?: unknown }).averages
    if (saved !== undefined && !isRecord(saved))
      problems.push('its weight averages are not a record')
    else if (saved !== undefined) {
      for (const [name, average] of weightAverages.averages) {
        const entry = ownEntry(saved, name)
        const issue = entry === undefined ? undefined : tensorProblem(entry as SavedTensor, average)
        if (issue !== undefined) problems.push(`the average of ${name} ${issue}`)
      }
    }
    return problems
  }

  function loadState(state: ProgramState): void {
    if (isDisposed) throw new Error('The training program was disposed')
    const problems = stateProblems(state)
    if (problems.length > 0) {
      const shown = problems.slice(0, 4).join('; ')
      const more = problems.length > 4 ? ` (and ${problems.length - 4} more)` : ''
      throw new Error(`The checkpoint does not fit this graph: ${shown}${more}.`)
    }
    // Every tensor copies its values (`slice`): the CPU backend would otherwise keep the
    // caller's arrays, which a later transfer to another thread would detach.
    const restores = [...optimizers].map(([id, optimizer]) => {
      const weights = ownEntry(state.optimizers, id)?.weights ?? []
      const owners = slotOwners(id)
      return {
        optimizer,
        accumulators: ownEntry(state.optimizers, id)?.accumulators,
        // TF.js's slot names and order: the engine name of the owning variable, then the kind.
        weights: weights.map((weight, index) => {
          const owner = index === 0 ? undefined : owners[(index - 1) % owners.length]
          const name =
            owner === undefined
              ? weight.name
              : `${owner.variable.name}${weight.name.slice(owner.name.length)}`
          return { name, tensor: hostTensor(tf, weight) }
        }),
      }
    })
    tf.tidy(() => {
      for (const entry of variables) {
        const saved = ownEntry(state.variables, entry.name)
        if (saved !== undefined) entry.variable.assign(hostTensor(tf, saved))
      }
      weightAverages.reset()
      for (const [name, average] of weightAverages.averages) {
        const saved = state.averages === undefined ? undefined : ownEntry(state.averages, name)
        if (saved !== undefined) average.assign(hostTensor(tf, saved))
      }
    })
    step = state.step
    runs = state.runs
    failure = undefined
    pendingLoad = pendingLoad.then(async () => {
      for (const { optimizer, weights, accumulators } of restores) {
        try {
          if (isDisposed) continue
          // The old slots are the optimizer's own variables; setWeights replaces, not frees, them.
          tf.dispose((await optimizer.getWeights()).map(({ tensor }) => tensor))
          await optimizer.setWeights(weights)
          for (const [field, variable] of accumulatorsOf(tf, optimizer)) {
            const value = accumulators?.[field]
            if (value === undefined) continue
            tf.tidy(() => {
              variable.assign(tf.scalar(value))
            })
          }
        } finally {
          tf.dispose(weights.map(({ tensor }) => tensor))
        }
      }
    })
  }

  return {
    phases,
    variables,
    get step() {
      return step
    },
    runIteration,
    evaluate(node, { split = 'heldOut', application = 0, isRepeatable = false } = {}) {
      return onSplit(split, () =>
        tf.tidy(() => {
          const passSeed = isRepeatable
            ? seedFor(seed, 'repeatable', node)
            : seedFor(seed, 'evaluate', node, step)
          const pass = createPass(split, passSeed)
          const outputs = pass.outputsOf(node, application)
          tf.dispose(Object.values(pass.metrics))
          return outputs
        }),
      )
    },
    evaluateWith(node, inputs) {
      const instance = instances.get(node)
      if (instance === undefined) throw new Error(`${node} has no forward pass to run`)
      return onSplit('heldOut', () =>
        tf.tidy(() => {
          const context: ForwardContext = {
            tf,
            split: 'heldOut',
            step,
            seed: seedFor(seed, 'evaluateWith', node, step),
            report: () => undefined,
            afterStep: () => undefined,
          }
          return instance.forward(inputs, context)
        }),
      )
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
          const batch = onSplit(split, () =>
            tf.tidy(() => {
              const evaluation = createPass(split, seedFor(seed, 'view', node, pass))
              const values = sources.map(({ source }) => {
                const { port, application } = parseApplicationPortId(source.port)
                const value = evaluation.outputsOf(source.node, application)[port]
                if (value === undefined) throw new Error(`${source.node} gave no ${port}`)
                return value
              })
              tf.dispose(Object.values(evaluation.metrics))
              return values
            }),
          )
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
    saveState,
    loadState,
    dispose() {
      weightAverages.dispose()
      release()
    },
  }
}

/**
 * Gives a TF.js optimizer a new learning rate. SGD and momentum keep it as a scalar tensor, which
 * `setLearningRate` replaces; Adam, RMSProp and the rest read their `learningRate` field at
 * every update.
 */
function setLearningRate(optimizer: Optimizer, rate: number): void {
  const settable = optimizer as Optimizer & {
    learningRate: number
    setLearningRate?: (rate: number) => void
  }
  if (settable.setLearningRate !== undefined) settable.setLearningRate(rate)
  else settable.learningRate = rate
}

/** The running products TF.js's optimizers keep beside their weights (see `SavedOptimizer`). */
const ACCUMULATOR_FIELDS = ['accBeta1', 'accBeta2'] as const

/** An optimizer's accumulator variables that exist, by field name (TF.js internals, read only). */
function accumulatorsOf(tf: Tf, optimizer: Optimizer): [string, Variable][] {
  const fields = optimizer as unknown as Record<string, unknown>
  return ACCUMULATOR_FIELDS.flatMap((field) => {
    const value = fields[field]
    return value instanceof tf.Variable ? [[field, value as Variable] as [string, Variable]] : []
  })
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0

/** `record[key]` for own keys only: a checkpoint is outside data (`__proto__` is no variable). */
function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** A copy of read-back values a checkpoint can hold: float32 or int32 only. */
function hostValues(dtype: string, data: unknown): Float32Array | Int32Array {
  if (dtype === 'float32' && data instanceof Float32Array) return data.slice()
  if (dtype === 'int32' && data instanceof Int32Array) return data.slice()
  throw new Error(`a ${dtype} tensor cannot be saved in a checkpoint`)
}

function hostTensor(tf: Tf, saved: SavedTensor): Tensor {
  const dtype = saved.values instanceof Int32Array ? 'int32' : 'float32'
  return tf.tensor(saved.values.slice(), saved.shape, dtype)
}

const isSavedTensor = (value: unknown): value is SavedTensor =>
  isRecord(value) &&
  Array.isArray(value.shape) &&
  (value.values instanceof Float32Array || value.values instanceof Int32Array)

/** Why saved values cannot replace a tensor's; undefined when they can. */
function tensorProblem(saved: SavedTensor, target: Tensor): string | undefined {
  if (!isSavedTensor(saved)) return 'is not a saved tensor'
  const { shape, values } = saved
  if (
    shape.length !== target.shape.length ||
    shape.some((size, axis) => size !== target.shape[axis])
  )
    return `has shape [${shape.join(', ')}], the graph's is [${target.shape.join(', ')}]`
  const dtype = values instanceof Int32Array ? 'int32' : 'float32'
  if (dtype !== target.dtype) return `holds ${dtype} values, the graph's are ${target.dtype}`
  if (values.length !== target.size) return `has ${values.length} values for ${target.size}`
  return undefined
}
