/**
 * What the explainer panel shows of a graph's `meta.explainer` (DESIGN §6), as plain data: the
 * explainer when it fits the schema, its knobs against the graph as it is now (a node the user
 * deleted, the param's current value), the training defaults and the quality targets in words.
 * Pure, so it is tested in Node; `ExplainerPanel.tsx` renders it.
 */
import type { GraphDocument } from '../../graph-core/document'
import type { NodeRegistry } from '../../graph-core/registry'
import {
  explainerSchema,
  METRICS,
  type Explainer,
  type QualityTarget,
} from '../../presets/explainer'
import type { BackendChoice } from '../../workers/backendChoice'
import { formatParamValue } from '../editor/formatting'

/**
 * The explainer a graph carries, or undefined. Only the schema is checked: the graph may have
 * been edited since it was a preset, and its explainer still applies (knobs on deleted nodes
 * are shown as such).
 */
export function graphExplainer(raw: unknown): Explainer | undefined {
  if (raw === undefined) return undefined
  const parsed = explainerSchema.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}

/** A knob as the panel lists it. */
export interface KnobRow {
  node: string
  param: string
  hint: string
  /** The param's label on its node's form (what the inspector shows). */
  paramLabel: string
  /** The node's title, or its type's label. */
  nodeName: string
  /** The param's value in the graph now, as the inspector would print it. */
  value: string | undefined
  /** False when the node (or the param on its type) is no longer in the graph. */
  isPresent: boolean
}

export function knobRows(
  explainer: Explainer,
  document: GraphDocument,
  registry: NodeRegistry,
): KnobRow[] {
  return explainer.knobs.map(({ node: nodeId, param, hint }) => {
    const node = document.nodes.find((candidate) => candidate.id === nodeId)
    const definition = node === undefined ? undefined : registry.get(node.type)
    const spec = definition?.params[param]
    if (node === undefined || spec === undefined) {
      return {
        node: nodeId,
        param,
        hint,
        paramLabel: param,
        nodeName: nodeId,
        value: undefined,
        isPresent: false,
      }
    }
    const value = Object.hasOwn(node.params, param) ? node.params[param] : spec.default
    return {
      node: nodeId,
      param,
      hint,
      paramLabel: spec.label ?? param,
      nodeName: node.title ?? definition?.label ?? nodeId,
      value: formatParamValue(spec, value),
      isPresent: true,
    }
  })
}

const BACKEND_TITLES: Readonly<Record<Explainer['training']['backend'], string>> = {
  wasm: 'WASM',
  cpu: 'CPU',
}

/** "3,000 steps on WASM". */
export function trainingText(training: Explainer['training']): string {
  const steps = training.steps.toLocaleString('en-US')
  return `${steps} step${training.steps === 1 ? '' : 's'} on ${BACKEND_TITLES[training.backend]}`
}

/** What the run is set to now, for comparing with the preset's defaults. */
export interface RunDefaults {
  maxSteps: number | undefined
  backend: BackendChoice
  /** The backend the worker proved, which `auto` resolves to. */
  activeBackend: string | undefined
}

/** Whether the run dock already uses the preset's steps and backend (`auto` landing on it counts). */
export function usesTrainingDefaults(training: Explainer['training'], run: RunDefaults): boolean {
  const isBackend =
    run.backend === training.backend ||
    (run.backend === 'auto' && run.activeBackend === training.backend)
  return run.maxSteps === training.steps && isBackend
}

/**
 * A target in words: "held-out verification AUC ≥ 0.95", "held-out verification AUC above
 * Softmax baseline's", "held-out MSE per pixel, reported". `titleOf` names another preset.
 */
export function targetText(target: QualityTarget, titleOf: (preset: string) => string): string {
  const { label, digits } = METRICS[target.metric]
  switch (target.op) {
    case 'report':
      return `${label}: reported, no threshold`
    case '>':
      return `${label} above ${titleOf(target.preset)}’s`
    case '>=':
    case '<=': {
      const value = target.value.toLocaleString('en-US', { maximumFractionDigits: digits })
      return `${label} ${target.op === '>=' ? '≥' : '≤'} ${value}`
    }
  }
}
