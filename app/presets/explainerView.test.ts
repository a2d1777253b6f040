import { describe, expect, it } from 'vitest'
import { loadPreset } from '../../presets/catalog'
import { nodeRegistry } from '../../nodes/registry'
import {
  graphExplainer,
  knobRows,
  targetText,
  trainingText,
  usesTrainingDefaults,
} from './explainerView'

function arcface() {
  const loaded = loadPreset('arcface', nodeRegistry)
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
  return loaded
}

describe('graphExplainer', () => {
  it('reads a preset’s explainer, and nothing from graphs without one or with a broken one', () => {
    const { document, explainer } = arcface()
    expect(graphExplainer(document.meta.explainer)).toEqual(explainer)
    expect(graphExplainer(undefined)).toBeUndefined()
    expect(graphExplainer({ title: 'half an explainer' })).toBeUndefined()
    expect(graphExplainer('<script>')).toBeUndefined()
  })
})

describe('knobRows', () => {
  it('names each knob by its param label and node, with the value the graph has now', () => {
    const { document, explainer } = arcface()
    const rows = knobRows(explainer, document, nodeRegistry)
    expect(rows.map((row) => `${row.node}.${row.param}`)).toEqual(
      explainer.knobs.map((knob) => `${knob.node}.${knob.param}`),
    )
    const margin = rows.find((row) => row.node === 'loss' && row.param === 'margin')
    expect(margin).toMatchObject({ isPresent: true, nodeName: 'ArcFace loss' })
    const node = document.nodes.find((candidate) => candidate.id === 'loss')
    expect(margin?.value).toBe(String(node?.params.margin))
  })

  it('keeps a knob whose node was deleted, marked absent, and follows edits and renames', () => {
    const { document, explainer } = arcface()
    const edited = {
      ...document,
      nodes: document.nodes
        .filter((node) => node.id !== 'encoder')
        .map((node) =>
          node.id === 'loss'
            ? { ...node, title: 'My loss', params: { ...node.params, margin: 0.3 } }
            : node,
        ),
    }
    const rows = knobRows(explainer, edited, nodeRegistry)
    expect(rows.find((row) => row.node === 'encoder')).toMatchObject({
      isPresent: false,
      value: undefined,
    })
    expect(rows.find((row) => row.param === 'margin')).toMatchObject({
      nodeName: 'My loss',
      value: '0.3',
    })
  })
})

describe('training and quality in words', () => {
  it('says the steps and backend', () => {
    expect(trainingText({ steps: 3000, backend: 'wasm' })).toBe('3,000 steps on WASM')
    expect(trainingText({ steps: 1, backend: 'cpu' })).toBe('1 step on CPU')
  })

  it('tells whether the run dock already uses them, auto counting when it chose that backend', () => {
    const training = { steps: 3000, backend: 'wasm' } as const
    const run = { maxSteps: 3000, backend: 'wasm', activeBackend: 'wasm' } as const
    expect(usesTrainingDefaults(training, run)).toBe(true)
    expect(usesTrainingDefaults(training, { ...run, backend: 'auto' })).toBe(true)
    expect(
      usesTrainingDefaults(training, { ...run, backend: 'auto', activeBackend: 'webgpu' }),
    ).toBe(false)
    expect(usesTrainingDefaults(training, { ...run, maxSteps: undefined })).toBe(false)
    expect(usesTrainingDefaults(training, { ...run, backend: 'cpu' })).toBe(false)
  })

  it('puts every kind of target into words, naming the other preset by its title', () => {
    const titleOf = (id: string) => (id === 'softmax-baseline' ? 'Softmax baseline' : id)
    expect(targetText({ metric: 'verificationAuc', op: '>=', value: 0.95 }, titleOf)).toBe(
      'held-out verification AUC ≥ 0.95',
    )
    expect(targetText({ metric: 'mse', op: '<=', value: 0.0125 }, titleOf)).toBe(
      'held-out MSE per pixel ≤ 0.0125',
    )
    expect(
      targetText({ metric: 'verificationAuc', op: '>', preset: 'softmax-baseline' }, titleOf),
    ).toBe('held-out verification AUC above Softmax baseline’s')
    expect(targetText({ metric: 'psnr', op: 'report' }, titleOf)).toBe(
      'held-out PSNR (dB): reported, no threshold',
    )
  })
})
