/**
 * Ports: what a node takes and gives. A port has a kind, which decides what may connect to it,
 * and an optional rank constraint checked during shape inference.
 */

/**
 * - `tensor`: float values per sample, [batch, ...shape].
 * - `labels`: integer class or identity ids per sample, [batch], int32.
 * - `loss`: a scalar to minimise.
 */
export type PortKind = 'tensor' | 'labels' | 'loss'

export interface PortSpec {
  kind: PortKind
  /** Shown on the handle; defaults to the port id. */
  label?: string
  description?: string
  /** Required rank of the per-sample shape (1 for vectors, 3 for images). */
  rank?: number
  /** An optional input may stay unconnected. */
  isOptional?: boolean
}

export type PortMap = Readonly<Record<string, PortSpec>>

type PortOptions = Omit<PortSpec, 'kind'>

/**
 * Port constructors keep `isOptional: true` in the type, so a node's forward and shape
 * inference see an optional input as possibly undefined (it is, when unconnected).
 */
export const tensor = <const S extends PortOptions = PortOptions>(spec?: S) =>
  ({ kind: 'tensor', ...spec }) as S & { kind: 'tensor' }
export const labels = <const S extends PortOptions = PortOptions>(spec?: S) =>
  ({ kind: 'labels', ...spec }) as S & { kind: 'labels' }
export const loss = <const S extends PortOptions = PortOptions>(spec?: S) =>
  ({ kind: 'loss', ...spec }) as S & { kind: 'loss' }

/** Whether an output of one kind may feed an input of another; the reason when it may not. */
export function connectionProblem(from: PortKind, to: PortKind): string | undefined {
  if (from === to) return undefined
  return `a ${from} output cannot feed a ${to} input`
}

/**
 * Port ids of trainable blocks applied several times (weight sharing) carry the application
 * index: `x` is application 0, `x@1` application 1. The id without suffix is the base port.
 */
export function applicationPortId(port: string, application: number): string {
  return application === 0 ? port : `${port}@${application}`
}

/** `x@2` → { port: 'x', application: 2 }; `x` → application 0; malformed suffixes stay ports. */
export function parseApplicationPortId(id: string): { port: string; application: number } {
  const match = /^(.+)@([1-9]\d*)$/.exec(id)
  if (match === null) return { port: id, application: 0 }
  return { port: match[1] ?? id, application: Number(match[2]) }
}
