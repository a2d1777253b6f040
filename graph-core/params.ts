/**
 * Node parameters: a schema per node type rich enough for the inspector to render a form with
 * no per-node code (kind, default, limits, step, choices, help), and the resolution of saved
 * values against it.
 */
import { datasetRefProblem } from './datasetRef'

interface ParamBase<T> {
  default: T
  /** Form label; defaults to the param id. */
  label?: string
  /** One or two sentences: what the knob does and when to turn it. */
  help: string
}

export interface IntParam extends ParamBase<number> {
  type: 'int'
  min?: number
  max?: number
}

export interface NumberParam extends ParamBase<number> {
  type: 'number'
  min?: number
  max?: number
  step?: number
  /** A slider for this param moves on a log scale (learning rates, weights). */
  isLogScale?: boolean
}

export interface ChoiceParam<V extends string = string> extends ParamBase<V> {
  type: 'choice'
  options: readonly { value: V; label: string }[]
}

export interface BooleanParam extends ParamBase<boolean> {
  type: 'boolean'
}

export interface IntListParam extends ParamBase<readonly number[]> {
  type: 'intList'
  min?: number
  max?: number
  minLength?: number
  maxLength?: number
}

/** Ids of nodes in the same graph (an optimizer's trainable set); empty means "the default". */
export interface NodeRefsParam extends ParamBase<readonly string[]> {
  type: 'nodeRefs'
}

/**
 * A dataset the user imported (graph-core/datasetRef.ts): a reference string that also names
 * the image size, channels and label count, so shapes infer without the data; empty = none.
 */
export interface DatasetRefParam extends ParamBase<string> {
  type: 'datasetRef'
}

export type ParamSpec =
  | IntParam
  | NumberParam
  | ChoiceParam
  | BooleanParam
  | IntListParam
  | NodeRefsParam
  | DatasetRefParam

export type ParamMap = Readonly<Record<string, ParamSpec>>

/** The value type a spec resolves to. */
export type ParamValue<S extends ParamSpec> =
  S extends ChoiceParam<infer V>
    ? V
    : S extends IntParam | NumberParam
      ? number
      : S extends BooleanParam
        ? boolean
        : S extends IntListParam
          ? readonly number[]
          : S extends DatasetRefParam
            ? string
            : readonly string[]

export type ParamValues<P extends ParamMap> = { readonly [K in keyof P]: ParamValue<P[K]> }

type Args<S extends ParamSpec> = Omit<S, 'type'>

/** Constructors for param specs, as node files write them. */
export const param = {
  int: (spec: Args<IntParam>): IntParam => ({ type: 'int', ...spec }),
  number: (spec: Args<NumberParam>): NumberParam => ({ type: 'number', ...spec }),
  choice: <const V extends string>(spec: {
    default: NoInfer<V>
    options: readonly V[] | readonly { value: V; label: string }[]
    label?: string
    help: string
  }): ChoiceParam<V> => ({
    ...spec,
    type: 'choice',
    options: spec.options.map((option) =>
      typeof option === 'string' ? { value: option, label: option } : option,
    ),
  }),
  boolean: (spec: Args<BooleanParam>): BooleanParam => ({ type: 'boolean', ...spec }),
  intList: (spec: Args<IntListParam>): IntListParam => ({ type: 'intList', ...spec }),
  nodeRefs: (spec: Args<NodeRefsParam>): NodeRefsParam => ({ type: 'nodeRefs', ...spec }),
  /** A dataset reference; starts empty (none picked) unless a default is given. */
  datasetRef: (
    spec: Omit<Args<DatasetRefParam>, 'default'> & { default?: string },
  ): DatasetRefParam => ({ ...spec, type: 'datasetRef', default: spec.default ?? '' }),
}

/** Why a value does not fit its spec, or undefined when it does. */
export function paramProblem(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number'
      if (spec.type === 'int' && !Number.isInteger(value)) return 'must be a whole number'
      return rangeProblem(value, spec.min, spec.max)
    }
    case 'choice':
      return spec.options.some((option) => option.value === value)
        ? undefined
        : `must be one of ${spec.options.map((option) => option.value).join(', ')}`
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false'
    case 'intList': {
      if (!Array.isArray(value)) return 'must be a list of whole numbers'
      const items: unknown[] = value
      if (spec.minLength !== undefined && items.length < spec.minLength)
        return `needs at least ${spec.minLength} entries`
      if (spec.maxLength !== undefined && items.length > spec.maxLength)
        return `takes at most ${spec.maxLength} entries`
      for (const item of items) {
        if (typeof item !== 'number' || !Number.isInteger(item))
          return 'must be a list of whole numbers'
        const problem = rangeProblem(item, spec.min, spec.max)
        if (problem !== undefined) return `entries ${problem.replace('must be', 'must each be')}`
      }
      return undefined
    }
    case 'nodeRefs':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? undefined
        : 'must be a list of node ids'
    case 'datasetRef':
      return datasetRefProblem(value)
  }
}

function rangeProblem(value: number, min?: number, max?: number): string | undefined {
  if (min !== undefined && value < min) return `must be at least ${min}`
  if (max !== undefined && value > max) return `must be at most ${max}`
  return undefined
}

export interface ResolvedParams<P extends ParamMap> {
  values: ParamValues<P>
  /** Saved values that did not fit, by param id, with the reason; their defaults are used. */
  invalid: Record<string, string>
  /** Saved params the node type does not know; kept in the document, ignored here. */
  unknown: string[]
}

/**
 * The values a node runs with: each saved value that fits its spec, else the default. Never
 * throws and never changes the saved params.
 */
export function resolveParams<P extends ParamMap>(
  specs: P,
  saved: Readonly<Record<string, unknown>>,
): ResolvedParams<P> {
  const values: Record<string, unknown> = {}
  const invalid: Record<string, string> = {}
  for (const [id, spec] of Object.entries(specs)) {
    if (!Object.hasOwn(saved, id)) {
      values[id] = spec.default
      continue
    }
    const problem = paramProblem(spec, saved[id])
    if (problem === undefined) values[id] = saved[id]
    else {
      invalid[id] = problem
      values[id] = spec.default
    }
  }
  const unknown = Object.keys(saved).filter((id) => !Object.hasOwn(specs, id))
  return { values: values as ParamValues<P>, invalid, unknown }
}

/** The defaults of every param, as a new document node gets them. */
export function defaultParams(specs: ParamMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs).map(([id, spec]) => [id, spec.default]))
}
