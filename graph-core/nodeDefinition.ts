/**
 * The node contract (STYLE.md): one definition per node type holds its persisted id, version,
 * ports, params, param migrations, shape inference, cost and TF.js build. graph-core never
 * imports TF.js values: `tf` reaches `build` as an argument.
 */
import type * as TfJs from '@tensorflow/tfjs'
import type { ParamMap, ParamValues } from './params'
import type { PortMap } from './ports'
import type { Shape } from './shapes'

/** The TF.js namespace, injected by the worker or the CLI. */
export type Tf = typeof TfJs
export type Tensor = TfJs.Tensor
export type Variable = TfJs.Variable
export type Scalar = TfJs.Scalar
export type Optimizer = TfJs.Optimizer

export type NodeCategory = 'data' | 'model' | 'loss' | 'op' | 'optim' | 'view'

/** Per port: a shape, or possibly undefined for an optional input left unconnected. */
export type ShapesOf<M extends PortMap> = {
  [K in keyof M]: M[K] extends { isOptional: true } ? Shape | undefined : Shape
}
/** Per port: a tensor, or possibly undefined for an optional input left unconnected. */
export type TensorsOf<M extends PortMap> = {
  [K in keyof M]: M[K] extends { isOptional: true } ? Tensor | undefined : Tensor
}

/** A problem found by a node's shape inference; the analysis adds the node id. */
export interface ShapeIssue {
  /** The input port at fault; omitted for problems with the params. */
  port?: string
  message: string
  expected?: string
  actual?: string
}

export type ShapeResult<O extends PortMap> = { outputs: ShapesOf<O> } | { issues: ShapeIssue[] }

/** Cost of one application of a node, for the inspector and the graph totals. */
export interface NodeCost {
  /** Trainable scalars owned by the node (shared across its applications). */
  parameters: number
  /** Multiply-adds ×2 of one forward pass per sample. */
  flops: number
}

/** How a variable starts. Glorot for weights, zeros for biases, as tfjs-layers does. */
export type Initializer =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heNormal'
  | 'zeros'
  | 'ones'
  | { normal: { mean: number; stddev: number } }

export interface VariableOptions {
  /** Non-trainable variables (center loss centres, running statistics) are never in an optimizer's list. */
  isTrainable?: boolean
}

export interface BuildContext<I extends PortMap, P extends ParamMap> {
  tf: Tf
  params: ParamValues<P>
  /** Per-sample input shapes (of application 0; every application has the same). */
  inputShapes: ShapesOf<I>
  /** Creates one of the node's variables, seeded from the document seed and its name. */
  variable: (name: string, shape: Shape, init: Initializer, options?: VariableOptions) => Variable
  /**
   * The loaded bytes of a resource the node declares in `resources` (graph-core/resources.ts).
   * Throws a clear error naming the resource when it was not loaded or not declared.
   */
  resource: (id: string) => Uint8Array
}

/** Where and why a forward pass runs. */
export interface ForwardContext {
  tf: Tf
  /** `train` while optimizing; `heldOut` when views evaluate on held-out data. */
  split: 'train' | 'heldOut'
  /** Completed training iterations so far. */
  step: number
  /** A fresh seed for this node in this pass; random ops use it so runs are reproducible. */
  seed: number
  /** Streams a scalar metric (a triplet-kind fraction, mean D(real)) under this node's id. */
  report: (name: string, value: Tensor) => void
  /** Runs after the optimizer step of this pass, outside the gradient tape (center updates). */
  afterStep: (update: () => void) => void
}

export interface NodeInstance<I extends PortMap, O extends PortMap> {
  /** One application: per-sample inputs in, outputs out. Called inside tidy and the tape. */
  forward: (inputs: TensorsOf<I>, context: ForwardContext) => TensorsOf<O>
  /** Frees tensors the node keeps between passes (not its variables, which the program owns). */
  dispose?: () => void
}

/** A tensor read back to the host for a view: batch-first shape and its values. */
export interface HostTensor {
  shape: number[]
  data: Float32Array | Int32Array | Uint8Array
}

/** What a view node hands the app to draw: plain JSON-serialisable data, tagged by `kind`. */
export type ViewData = { readonly kind: string } & Readonly<Record<string, unknown>>

/** What a data node's labels are, for the semantic checks of DESIGN §3. */
export interface DataInfo {
  /** Distinct training labels (identities, digit classes). */
  classes?: number
  /** Samples sharing a label in one batch: about batch/classes for random batches, K for P×K. */
  samplesPerClassPerBatch?: number
}

/** A semantic problem a node finds in how it is wired (DESIGN §3: checks beyond shapes). */
export interface SemanticIssue {
  code: 'CLASS_COUNT_MISMATCH' | 'TRIPLET_NEEDS_PK_BATCHES' | 'VAE_WITHOUT_KL'
  severity: 'error' | 'warning'
  port?: string
  message: string
  expected?: string
  actual?: string
}

/** What a node's semantic check may ask about the graph around it. */
export interface CheckContext<P extends ParamMap> {
  params: ParamValues<P>
  /** The data info of the data node wired straight into `port`, if it is one that has some. */
  dataInfo: (port: string) => DataInfo | undefined
  /** Types of every node consuming the output that feeds `port` (this node included). */
  consumersOfSource: (port: string) => string[]
}

/** A named, forward-only change of a node's saved params from one version to the next. */
export interface ParamMigration {
  /** A verb phrase: `AddDistanceParam`, `RenameWidthToUnits`. */
  name: string
  /** The version this migration produces; migrations run in order from the saved version. */
  toVersion: number
  migrate: (params: Readonly<Record<string, unknown>>) => Record<string, unknown>
}

export interface NodeDefinition<
  I extends PortMap = PortMap,
  O extends PortMap = PortMap,
  P extends ParamMap = ParamMap,
> {
  /** Persisted id `category.camelName`; never renamed. */
  type: string
  version: number
  category: NodeCategory
  label: string
  /** One sentence for the palette and the inspector. */
  description: string
  inputs: I
  outputs: O
  params: P
  migrations?: readonly ParamMigration[]
  /** A trainable block that may be applied to several inputs with the same weights (DESIGN §3). */
  isShareable?: boolean
  /** Output shapes from input shapes, or what is wrong. Never throws. */
  inferShapes: (inputs: ShapesOf<I>, params: ParamValues<P>) => ShapeResult<O>
  /**
   * Binary resources the node reads in `build` (`'mnist'`), by id. The worker or the CLI loads
   * them before compiling (`requiredResources`); a missing one fails the build on this node.
   */
  resources?: (params: ParamValues<P>) => readonly string[]
  /** Data nodes: what their labels mean, for semantic checks of the losses they feed. */
  dataInfo?: (params: ParamValues<P>) => DataInfo
  /** Semantic checks beyond shapes (ArcFace classes vs identities, P×K batches for triplets). */
  check?: (context: CheckContext<P>) => SemanticIssue[]
  /** Parameters and FLOPs of one application; omitted for nodes that cost nothing to speak of. */
  cost?: (inputs: ShapesOf<I>, params: ParamValues<P>) => NodeCost
  /** The TF.js side. Absent for optimizers (`createOptimizer`) and views (`summarize`). */
  build?: (context: BuildContext<I, P>) => NodeInstance<I, O>
  /**
   * View nodes only: turns the view's inputs, evaluated on held-out data and read back, into
   * the data the app draws (ROC points, a 2-D projection, an image grid). Pure, no TF.js.
   */
  summarize?: (inputs: Readonly<Record<string, HostTensor>>, params: ParamValues<P>) => ViewData
  /** Optimizer nodes only: a TF.js optimizer configured from the params. */
  createOptimizer?: (tf: Tf, params: ParamValues<P>) => Optimizer
  /** Optimizer nodes only: the learning rate at `step` (iterations done), for schedules. */
  learningRateAt?: (params: ParamValues<P>, step: number) => number
  /**
   * Optimizer nodes only: β of the moving average of the weights it trains, which held-out
   * passes (views, samples, evaluations) use instead of the last weights; 0 for none.
   */
  weightAveragingOf?: (params: ParamValues<P>) => number
}

/**
 * Any node definition, as the registry and the analysis hold them: ports and params typed as
 * maps, the functions loosened (each node's are typed by its own maps).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: a registry holds definitions of every port and param map
type LooseDefinition = NodeDefinition<any, any, any>
export type AnyNodeDefinition = Omit<LooseDefinition, 'inputs' | 'outputs' | 'params'> & {
  inputs: PortMap
  outputs: PortMap
  params: ParamMap
}

/** Identity with inference: node files write `export const x = defineNode({...})`. */
export function defineNode<I extends PortMap, O extends PortMap, P extends ParamMap>(
  definition: NodeDefinition<I, O, P>,
): NodeDefinition<I, O, P> {
  return definition
}

/** Helpers for inferShapes. */
export const ok = <O extends PortMap>(outputs: ShapesOf<O>): ShapeResult<O> => ({ outputs })
export const fail = <O extends PortMap>(...issues: ShapeIssue[]): ShapeResult<O> => ({ issues })
