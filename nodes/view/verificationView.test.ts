import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { resolveParams } from '../../graph-core/params'
import { mulberry32 } from './metrics/random'
import {
  downsampleCurve,
  ROC_DRAW_POINTS,
  summarizeVerification,
  verificationView,
} from './verificationView'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})
const ids = (values: number[]): HostTensor => ({
  shape: [values.length],
  data: Int32Array.from(values),
})
/** Unit 2-D vectors at the given angles in degrees, as a [n, 2] host tensor. */
const atAngles = (degrees: number[]) =>
  host(
    [degrees.length, 2],
    degrees.flatMap((angle) => [
      Math.cos((angle * Math.PI) / 180),
      Math.sin((angle * Math.PI) / 180),
    ]),
  )

const params = resolveParams(verificationView.params, {}).values

const isAscending = (values: readonly number[]) =>
  values.every((value, index) => index === 0 || value >= (values[index - 1] ?? -Infinity))

describe('view.verification shapes', () => {
  it.each([
    [[128], [], { outputs: {} }],
    [
      [8, 8],
      [],
      {
        issues: [
          {
            port: 'embeddings',
            message:
              'embeddings must be one vector per sample; flatten it or add a dense or embedding head first',
            expected: '[d]',
            actual: '[8, 8]',
          },
        ],
      },
    ],
    [
      [128],
      [10],
      {
        issues: [
          {
            port: 'labels',
            message: 'labels must be one class or identity id per sample',
            expected: '[]',
            actual: '[10]',
          },
        ],
      },
    ],
  ])('embeddings %j with labels %j', (embeddings, labels, result) => {
    expect(verificationView.inferShapes({ embeddings, labels }, params)).toEqual(result)
  })

  it('has the documented defaults', () => {
    expect(params).toEqual({ samples: 512 })
  })
})

describe('view.verification summary', () => {
  it('scores perfectly separated identities as perfect', () => {
    // Three identities of four images near the axes of 3-D: every genuine cosine ≈ 1, every
    // impostor ≈ 0. Genuine pairs 3·C(4, 2) = 18, impostor C(12, 2) − 18 = 48.
    const values = [0, 1, 2].flatMap((axis) =>
      [0, 1, 2, 3].flatMap((k) => [0, 1, 2].map((j) => (j === axis ? 1 : 0.01 * k))),
    )
    const summary = summarizeVerification(
      { embeddings: host([12, 3], values), labels: ids([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]) },
      params,
    )
    expect(summary).toMatchObject({
      kind: 'verification',
      rowCount: 12,
      identityCount: 3,
      nonFiniteCount: 0,
      auc: 1,
      bestAccuracy: { accuracy: 1 },
      identification: { accuracy: 1, correct: 9, probeCount: 9, galleryCount: 3 },
      fewShot: { accuracy: 1, correct: 3, episodeCount: 3, verificationAuc: 1 },
      pairs: { genuine: 18, impostor: 48, genuineTotal: 18, impostorTotal: 48, isSampled: false },
    })
    // 48 impostors resolve FAR 10⁻¹ (≥ 10) but not 10⁻² (needs ≥ 100); TAR is 1 at FAR 0.
    expect(
      summary.tarAtFar.map(({ targetFar, tar, far, isResolved }) => [
        targetFar,
        tar,
        far,
        isResolved,
      ]),
    ).toEqual([
      [0.1, 1, 0, true],
      [0.01, 1, 0, false],
    ])
    expect(summary.tarAtFar[0]?.threshold).toBeGreaterThan(0.99)
    expect(summary.roc?.far.at(0)).toBe(0)
    expect(summary.roc?.tar.at(0)).toBe(0)
    expect(summary.roc?.far.at(-1)).toBe(1)
    expect(summary.roc?.tar.at(-1)).toBe(1)
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('matches a hand-computed AUC and top-1', () => {
    // A at 0°, 10°; B at 25°, 90°. Genuine cosines: cos 10°, cos 65°. Impostor: cos 25°,
    // cos 90°, cos 15°, cos 80°. cos 10° beats all four, cos 65° (0.42) beats cos 90° and
    // cos 80° → AUC = 6/8. Top-1 with gallery A0°, B25°: 10° is nearer A (10° < 15°), 90° is
    // nearer B (65° < 90°) → 2/2. No identity has 4 images: no few-shot episodes.
    const summary = summarizeVerification(
      { embeddings: atAngles([0, 10, 25, 90]), labels: ids([0, 0, 1, 1]) },
      params,
    )
    expect(summary.auc).toBeCloseTo(0.75, 12)
    // ROC: (0,0) ½; cos 10° (0,½) ¾; cos 15° (¼,½) ⅝; cos 25° (½,½) ½; cos 65° (½,1) ¾;
    // cos 80° … (1,1) ½. Best ¾, first reached at the highest threshold, cos 10°.
    expect(summary.bestAccuracy?.accuracy).toBeCloseTo(0.75, 12)
    expect(summary.bestAccuracy?.threshold).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 6)
    expect(summary.identification).toEqual({
      accuracy: 1,
      correct: 2,
      probeCount: 2,
      galleryCount: 2,
    })
    expect(summary.fewShot).toEqual({
      accuracy: null,
      correct: 0,
      episodeCount: 0,
      verificationAuc: null,
    })
    // Too few impostors (4) for either target: nothing but FAR 0, where only cos 10° is accepted.
    expect(summary.tarAtFar.map(({ tar, isResolved }) => [tar, isResolved])).toEqual([
      [0.5, false],
      [0.5, false],
    ])
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('has no ROC with a single identity, and drops non-finite embeddings', () => {
    const summary = verificationView.summarize?.(
      { embeddings: host([3, 2], [1, 0, Number.NaN, 1, 0.9, 0.1]), labels: ids([4, 4, 4]) },
      params,
    )
    expect(summary).toMatchObject({
      rowCount: 2,
      identityCount: 1,
      nonFiniteCount: 1,
      roc: null,
      auc: null,
      tarAtFar: [],
      bestAccuracy: null,
      identification: { accuracy: 1, probeCount: 1 },
    })
    expect(JSON.parse(JSON.stringify(summary))).toStrictEqual(summary)
  })

  it('draws at most 200 ROC points from (0, 0) to (1, 1), ascending', () => {
    // 60 random identities × 4 images in 8-D: 28 320 impostor pairs, a ROC of thousands of points.
    const random = mulberry32(11)
    const rows = 240
    const values = Array.from({ length: rows * 8 }, () => random() - 0.5)
    const labels = Array.from({ length: rows }, (_, row) => Math.floor(row / 4))
    const summary = summarizeVerification(
      { embeddings: host([rows, 8], values), labels: ids(labels) },
      params,
    )
    const roc = summary.roc
    if (roc === null) throw new Error('expected a ROC')
    expect(roc.far.length).toBeLessThanOrEqual(ROC_DRAW_POINTS)
    expect(roc.far.length).toBeGreaterThan(ROC_DRAW_POINTS / 2)
    expect(roc.tar).toHaveLength(roc.far.length)
    expect([roc.far[0], roc.tar[0], roc.far.at(-1), roc.tar.at(-1)]).toEqual([0, 0, 1, 1])
    expect(isAscending(roc.far)).toBe(true)
    expect(isAscending(roc.tar)).toBe(true)
    expect(summary.pairs).toMatchObject({ genuineTotal: 360, impostorTotal: 28_320 })
  })
})

describe('downsampleCurve', () => {
  it('keeps every point of a short curve', () => {
    expect(downsampleCurve([0, 0.5, 1], [0, 0.5, 1], 200)).toEqual([0, 1, 2])
  })

  it('keeps both ends and spreads points evenly along the length', () => {
    // A staircase of 1025 points: up 512 steps of 1/512, then right 512 (exact in binary).
    // Length 2; 5 points at lengths 0, ½, 1, 1½, 2 → indices 0, 256, 512, 768, 1024.
    const x = Array.from({ length: 1025 }, (_, i) => Math.max(0, i - 512) / 512)
    const y = Array.from({ length: 1025 }, (_, i) => Math.min(512, i) / 512)
    expect(downsampleCurve(x, y, 5)).toEqual([0, 256, 512, 768, 1024])
    const many = downsampleCurve(x, y, 200)
    expect(many.length).toBeLessThanOrEqual(200)
    expect([many[0], many.at(-1)]).toEqual([0, 1024])
    expect(isAscending(many)).toBe(true)
    expect(new Set(many).size).toBe(many.length)
  })

  it('does not repeat points of a curve without length', () => {
    expect(downsampleCurve([0, 0, 0, 0], [0, 0, 0, 0], 3)).toEqual([0, 1, 3])
  })
})
