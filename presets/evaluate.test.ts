import { describe, expect, it } from 'vitest'
import { graph } from '../graph-core/testing/graphBuilder'
import { ringCentres } from '../nodes/data/toy2d'
import { nodeRegistry } from '../nodes/registry'
import { formatTarget, formatVerdicts, judge, psnr, ringModes } from './evaluate'
import { applyVariant, readExplainer, type Explainer } from './explainer'

describe('ringModes', () => {
  const centres = ringCentres()
  const at = (mode: number, dx = 0, dy = 0) => {
    const [x = 0, y = 0] = centres[mode] ?? []
    return [x + dx, y + dy]
  }

  it('counts samples within 3σ of their nearest mode and modes with enough of them', () => {
    // 10 samples: 4 on mode 0, 3 on mode 1, 1 just inside 3σ of mode 2, 2 in the centre.
    const points = [
      ...at(0),
      ...at(0, 0.1),
      ...at(0, -0.1),
      ...at(0, 0, 0.14),
      ...at(1),
      ...at(1),
      ...at(1),
      ...at(2, 0.149),
      0,
      0,
      0.3,
      -0.2,
    ]
    expect(ringModes(points, 0.05, 0.1)).toEqual({ modesCovered: 3, highQualityFraction: 0.8 })
    // A mode needs at least minShare of all samples: mode 2 has 1 of 10.
    expect(ringModes(points, 0.05, 0.2).modesCovered).toBe(2)
  })

  it('calls a collapsed generator what it is', () => {
    const collapsed = Array.from({ length: 100 }, () => at(3)).flat()
    expect(ringModes(collapsed, 0.05, 0.025)).toEqual({
      modesCovered: 1,
      highQualityFraction: 1,
    })
    expect(ringModes([], 0.05, 0.025)).toEqual({ modesCovered: 0, highQualityFraction: 0 })
  })
})

describe('judge', () => {
  it('judges thresholds, relative targets against another preset, and reported numbers', () => {
    const verdicts = judge(
      [
        { metric: 'verificationAuc', op: '>=', value: 0.95 },
        { metric: 'verificationAuc', op: '>', preset: 'softmax-baseline' },
        { metric: 'mse', op: '<=', value: 0.02 },
        { metric: 'cycleL1', op: 'report' },
      ],
      { verificationAuc: 0.96, cycleL1: 0.05 },
      (preset) => (preset === 'softmax-baseline' ? { verificationAuc: 0.97 } : undefined),
    )
    expect(verdicts.map((verdict) => verdict.isMet)).toEqual([true, false, undefined, undefined])
    expect(verdicts[1]?.reference).toBe(0.97)
    expect(formatVerdicts(verdicts)).toEqual([
      'held-out verification AUC 0.960 (target ≥ 0.950): met',
      'held-out verification AUC 0.960 (target > softmax-baseline (0.970)): NOT met',
      'held-out MSE per pixel n/a (target ≤ 0.0200): not judged',
      'cycle reconstruction L1 0.0500 (target reported): reported',
    ])
  })

  it('leaves a relative target unjudged when the other preset did not run', () => {
    const [verdict] = judge([{ metric: 'verificationAuc', op: '>', preset: 'softmax-baseline' }], {
      verificationAuc: 0.9,
    })
    expect(verdict?.isMet).toBeUndefined()
    expect(formatTarget({ metric: 'verificationAuc', op: '>', preset: 'x' })).toBe('> x')
  })
})

describe('psnr', () => {
  it('is 10·log10(1/MSE) for pixels in [0, 1]', () => {
    expect(psnr(0.01)).toBeCloseTo(20, 10)
    expect(psnr(0.01) - psnr(0.04)).toBeCloseTo(6.02, 2) // a quarter of the error: +6 dB
  })
})

describe('readExplainer', () => {
  const document = graph('tiny')
    .node('points', 'data.toy2d')
    .node('scatter', 'view.scatter2d')
    .edge('points.points', 'scatter.real')
    .build()
  const explainer: Explainer = {
    title: 'Tiny',
    family: 'gan',
    model: 'm',
    point: 'p',
    lookAt: ['l'],
    knobs: [{ node: 'points', param: 'spread', hint: 'h' }],
    training: { steps: 10, backend: 'cpu' },
    quality: {
      summary: 's',
      measured: 'm',
      targets: [{ metric: 'modesCovered', op: '>=', value: 7 }],
      evaluation: { kind: 'ringModes', view: 'scatter', samples: 64, sigma: 0.05, minShare: 0 },
      variants: [
        { id: 'wide', title: 'Wide', edits: [{ node: 'points', param: 'spread', value: 0.2 }] },
      ],
    },
  }
  const withMeta = (meta: unknown) => ({ ...document, meta: { explainer: meta } })

  it('accepts an explainer whose nodes, params and views exist', () => {
    expect(readExplainer(withMeta(explainer), nodeRegistry)).toEqual({ ok: true, explainer })
  })

  it('names what is wrong: schema, knobs, evaluation views, variant params', () => {
    const broken = {
      ...explainer,
      knobs: [{ node: 'points', param: 'radius', hint: 'h' }],
      quality: {
        ...explainer.quality,
        evaluation: { ...explainer.quality.evaluation, view: 'points' },
        variants: [{ id: 'x', title: 'X', edits: [{ node: 'gone', param: 'spread', value: 1 }] }],
      },
    }
    const result = readExplainer(withMeta(broken), nodeRegistry)
    expect(result.ok ? [] : result.problems).toEqual([
      'knob points.radius: data.toy2d has no param radius',
      'variant x: no param gone.spread',
      'evaluation: no view.scatter2d node "points"',
    ])
    const schema = readExplainer(withMeta({ ...explainer, lookAt: [] }), nodeRegistry)
    expect(schema.ok ? [] : schema.problems).toEqual([
      expect.stringMatching(/^meta\.explainer\.lookAt: /),
    ])
  })

  it('applies a variant to a copy', () => {
    const [variant] = explainer.quality.variants ?? []
    if (variant === undefined) throw new Error('no variant')
    const changed = applyVariant(document, variant)
    expect(changed.nodes[0]?.params.spread).toBe(0.2)
    expect(document.nodes[0]?.params.spread).toBeUndefined()
  })
})
