import { describe, expect, it } from 'vitest'
import { mulberry32 } from './random'
import {
  fewShot,
  identificationTop1,
  pairSimilarities,
  bestThresholdAccuracy,
  rocCurve,
  tarAtFar,
  verificationReport,
} from './verification'

const SQRT_HALF = Math.SQRT1_2

const closeAll = (actual: ArrayLike<number>, expected: readonly number[], digits = 12) => {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, digits)
  })
}

/** Mann–Whitney U / (n_pos·n_neg) with ties ½, by brute force: the definition AUC must match. */
function bruteForceAuc(genuine: readonly number[], impostor: readonly number[]): number {
  let wins = 0
  for (const g of genuine) for (const i of impostor) wins += g > i ? 1 : g === i ? 0.5 : 0
  return wins / (genuine.length * impostor.length)
}

const sorted = (values: Float64Array) => [...values].sort((a, b) => a - b)

describe('pairSimilarities', () => {
  // Rows (label): 0 (1,0) [7]; 1 (0,1) [3]; 2 (2,0) [7] → unit (1,0); 3 (1,1) [3] → (√½,√½).
  const input = {
    embeddings: Float32Array.from([1, 0, 0, 1, 2, 0, 1, 1]),
    dim: 2,
    labels: [7, 3, 7, 3],
  }

  it('scores every genuine and impostor pair by cosine, normalising the rows', () => {
    const pairs = pairSimilarities(input)
    // Genuine: (0,2) cos = 1; (1,3) cos = √½.
    closeAll(sorted(pairs.genuine), [SQRT_HALF, 1])
    // Impostor: (0,1) 0; (0,3) √½; (1,2) 0; (2,3) √½.
    closeAll(sorted(pairs.impostor), [0, 0, SQRT_HALF, SQRT_HALF])
    expect(pairs).toMatchObject({ genuineTotal: 2, impostorTotal: 4, isSampled: false })
  })

  it('rejects labels that do not match the rows', () => {
    expect(() => pairSimilarities({ ...input, labels: [1, 2, 3] })).toThrow(RangeError)
    expect(() => pairSimilarities({ ...input, dim: 3 })).toThrow(RangeError)
  })

  // 60 random 4-D rows, 6 identities × 10 images: genuine 6·C(10,2) = 270 pairs, impostor
  // C(60,2) − 270 = 1770 − 270 = 1500 pairs. Random rows make every similarity distinct.
  const random = mulberry32(7)
  const big = {
    embeddings: Float32Array.from({ length: 60 * 4 }, () => random() - 0.5),
    dim: 4,
    labels: Array.from({ length: 60 }, (_, row) => row % 6),
  }

  it('samples at most the cap per kind, without replacement, from the real pairs', () => {
    const all = pairSimilarities(big)
    expect(all.genuine).toHaveLength(270)
    expect(all.impostor).toHaveLength(1500)
    const sample = pairSimilarities(big, { maxPairsPerKind: 100, seed: 1 })
    expect(sample).toMatchObject({ genuineTotal: 270, impostorTotal: 1500, isSampled: true })
    expect(sample.genuine).toHaveLength(100)
    expect(sample.impostor).toHaveLength(100)
    for (const [part, whole] of [
      [sample.genuine, all.genuine],
      [sample.impostor, all.impostor],
    ] as const) {
      const wholeSet = new Set(whole)
      expect(new Set(part).size).toBe(part.length)
      expect([...part].every((score) => wholeSet.has(score))).toBe(true)
    }
  })

  it('is deterministic for a seed and changes with it', () => {
    const a = pairSimilarities(big, { maxPairsPerKind: 50, seed: 3 })
    const b = pairSimilarities(big, { maxPairsPerKind: 50, seed: 3 })
    const c = pairSimilarities(big, { maxPairsPerKind: 50, seed: 4 })
    expect(b).toEqual(a)
    expect(c.impostor).not.toEqual(a.impostor)
  })
})

describe('rocCurve', () => {
  it('has one point per distinct threshold, and the trapezoid AUC', () => {
    // Genuine 0.9 0.8 0.4, impostor 0.7 0.3. Accept score ≥ t:
    //   t=+∞ (0,0); 0.9 (FAR 0, TAR 1/3); 0.8 (0, 2/3); 0.7 (1/2, 2/3); 0.4 (1/2, 1); 0.3 (1, 1).
    // AUC = ½·(2/3+2/3)/2 + ½·(1+1)/2 = 1/3 + 1/2 = 5/6; U: 5 of 6 pairs won (only 0.4 < 0.7).
    const roc = rocCurve([0.9, 0.4, 0.8], [0.3, 0.7])
    expect(roc).toBeDefined()
    expect([...(roc?.thresholds ?? [])]).toEqual([Infinity, 0.9, 0.8, 0.7, 0.4, 0.3])
    expect([...(roc?.far ?? [])]).toEqual([0, 0, 0, 0.5, 0.5, 1])
    expect([...(roc?.tar ?? [])]).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1, 1])
    expect(roc?.auc).toBeCloseTo(5 / 6, 12)
  })

  it('gives ties between genuine and impostor scores half credit', () => {
    // Genuine 0.5 0.5, impostor 0.5 0.1: points (0,0), t=0.5 (1/2, 1), t=0.1 (1, 1).
    // AUC = ½·(0+1)/2 + ½·1 = 3/4; U = (½ + 1 + ½ + 1)/4 = 3/4.
    expect(rocCurve([0.5, 0.5], [0.5, 0.1])?.auc).toBeCloseTo(0.75, 12)
    // Every score equal: one diagonal step from (0,0) to (1,1), AUC ½.
    const flat = rocCurve([0.3, 0.3], [0.3])
    expect([...(flat?.far ?? [])]).toEqual([0, 1])
    expect(flat?.auc).toBeCloseTo(0.5, 12)
  })

  it('equals the Mann–Whitney statistic on random scores with many ties', () => {
    const random = mulberry32(11)
    // Scores rounded to tenths: 11 values, so ties across and within the lists are common.
    const genuine = Array.from({ length: 200 }, () => Math.round(random() * 10 + 2) / 10)
    const impostor = Array.from({ length: 300 }, () => Math.round(random() * 10) / 10)
    expect(rocCurve(genuine, impostor)?.auc).toBeCloseTo(bruteForceAuc(genuine, impostor), 12)
  })

  it('is undefined without genuine or impostor scores, and treats NaN as never accepted', () => {
    expect(rocCurve([], [0.1])).toBeUndefined()
    expect(rocCurve([0.1], [])).toBeUndefined()
    // NaN genuine counts as −∞: below the impostor 0 → U = (1 + 0)/2.
    expect(rocCurve([1, Number.NaN], [0])?.auc).toBeCloseTo(0.5, 12)
  })
})

describe('tarAtFar', () => {
  it('is 1 at FAR 0.01 for perfectly separated scores with enough impostors', () => {
    // 100 impostors resolve FAR 0.01 = 1/100 exactly.
    const genuine = [0.8, 0.85, 0.9]
    const impostor = Array.from({ length: 100 }, (_, k) => k / 200 - 0.2) // −0.2 … 0.295
    const roc = rocCurve(genuine, impostor)
    if (roc === undefined) throw new Error('expected a ROC')
    expect(roc.auc).toBe(1)
    expect(tarAtFar(roc, 1e-2)).toMatchObject({ tar: 1, far: 0, threshold: 0.8, isResolved: true })
  })

  it('takes the largest TAR with FAR ≤ target, FAR = target included', () => {
    // Genuine 0.9 0.5; impostors 0.6 and nine below 0.4 (10 in all).
    // t=0.9 (FAR 0, TAR ½); t=0.6 (1/10, ½); t=0.5 (1/10, 1); lower t raise FAR above 1/10.
    const roc = rocCurve([0.9, 0.5], [0.6, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1, 0, 0, 0])
    if (roc === undefined) throw new Error('expected a ROC')
    expect(tarAtFar(roc, 0.1)).toMatchObject({ tar: 1, far: 0.1, threshold: 0.5, isResolved: true })
    // 10 impostors cannot resolve 1/100: only FAR 0 qualifies, TAR ½ there, flagged.
    expect(tarAtFar(roc, 0.01)).toMatchObject({
      tar: 0.5,
      far: 0,
      threshold: 0.9,
      isResolved: false,
    })
  })

  it('counts FAR 3/300 as within 0.01 despite rounding', () => {
    // 300 impostors: three at 0.7, the rest at 0; genuine 0.8 and 0.7.
    // t=0.7 accepts 3/300 = 0.01 impostors and both genuine pairs → TAR 1.
    const impostor = [0.7, 0.7, 0.7, ...Array.from({ length: 297 }, () => 0)]
    const roc = rocCurve([0.8, 0.7], impostor)
    if (roc === undefined) throw new Error('expected a ROC')
    expect(tarAtFar(roc, 0.01)).toMatchObject({ tar: 1, isResolved: true })
  })
})

describe('identificationTop1', () => {
  it('matches probes to the first image of each identity', () => {
    // Gallery: A row 0 (1,0); B row 1 (0,1); C row 5 (−1,0), a distractor with one image.
    // Probes: row 2 (0.9,0.1) A → A ✓; row 3 (0.2,0.9) B → B ✓;
    //         row 4 (0.8,0.3) B: cos A = 0.8/0.854 = 0.94 > cos B = 0.35 → A ✗. Top-1 = 2/3.
    const result = identificationTop1({
      embeddings: Float32Array.from([1, 0, 0, 1, 0.9, 0.1, 0.2, 0.9, 0.8, 0.3, -1, 0]),
      dim: 2,
      labels: [0, 1, 0, 1, 1, 2],
    })
    expect(result).toEqual({ accuracy: 2 / 3, correct: 2, probeCount: 3, galleryCount: 3 })
  })

  it('breaks ties towards the earlier gallery identity and has no accuracy without probes', () => {
    // Probe (1,1) of identity 4 is equally close to (1,0) [9] and (0,1) [4]: 9 comes first.
    const tie = identificationTop1({
      embeddings: Float32Array.from([1, 0, 0, 1, 1, 1]),
      dim: 2,
      labels: [9, 4, 4],
    })
    expect(tie.correct).toBe(0)
    const single = identificationTop1({
      embeddings: Float32Array.from([1, 0]),
      dim: 2,
      labels: [1],
    })
    expect(single).toEqual({ accuracy: undefined, correct: 0, probeCount: 0, galleryCount: 1 })
  })
})

describe('fewShot', () => {
  // Rows in index order (label): identities interleaved so "first three by index" matters.
  //   A [5]: support (1,0) (0.8,0.6) (0.8,−0.6) → mean ∝ (2.6,0) → prototype (1,0);
  //          query (0.6,0.8); a fifth image (0,1) that must be ignored.
  //   B [2]: support (0,1)×3 → (0,1); query (0.28,0.96).
  //   C [8]: support (−1,0)×3 → (−1,0); query (−0.96,−0.28).
  //   D [9]: three images (0,−1): no episode, so no prototype either.
  const rows: [number, number, number][] = [
    [5, 1, 0],
    [2, 0, 1],
    [8, -1, 0],
    [9, 0, -1],
    [5, 0.8, 0.6],
    [2, 0, 1],
    [8, -1, 0],
    [9, 0, -1],
    [5, 0.8, -0.6],
    [2, 0, 1],
    [8, -1, 0],
    [9, 0, -1],
    [5, 0.6, 0.8],
    [2, 0.28, 0.96],
    [8, -0.96, -0.28],
    [5, 0, 1],
  ]
  const input = {
    embeddings: Float32Array.from(rows.flatMap(([, x, y]) => [x, y])),
    dim: 2,
    labels: rows.map(([label]) => label),
  }

  it('classifies each 4th image against the support means', () => {
    // A's query: cos A 0.6 < cos B 0.8 → ✗; B's: 0.96 vs A 0.28, C −0.28 → ✓;
    // C's: 0.96 vs A −0.96, B −0.28 → ✓. Accuracy 2/3.
    // Verification AUC: genuine {0.6, 0.96, 0.96}; impostor {0.8, −0.6, 0.28, −0.28, −0.96, −0.28}.
    // 0.6 beats 5 of 6, each 0.96 beats 6 of 6 → U = 17/18. (D as a prototype would add impostors.)
    const result = fewShot(input)
    expect(result.episodeCount).toBe(3)
    expect(result.correct).toBe(2)
    expect(result.accuracy).toBeCloseTo(2 / 3, 12)
    expect(result.verificationAuc).toBeCloseTo(17 / 18, 12)
  })

  it('has no accuracy with fewer than two episodes', () => {
    const lone = {
      embeddings: Float32Array.from([1, 0, 1, 0, 1, 0, 1, 0, 0, 1]),
      dim: 2,
      labels: [1, 1, 1, 1, 2],
    }
    expect(fewShot(lone)).toEqual({
      accuracy: undefined,
      correct: 1,
      episodeCount: 1,
      verificationAuc: undefined,
    })
  })
})

describe('verificationReport', () => {
  it('bundles the ROC and TAR at FAR 10⁻¹ and 10⁻² with the other metrics', () => {
    // Two tight identities far apart: perfect separation, but only 4 impostor pairs (2·2), so
    // FAR 10⁻¹ and 10⁻² are both unresolved (need ≥ 10 and ≥ 100 impostors).
    const report = verificationReport({
      embeddings: Float32Array.from([1, 0, 0.99, 0.1, 0, 1, 0.1, 0.99]),
      dim: 2,
      labels: [0, 0, 1, 1],
    })
    expect(report.roc?.auc).toBe(1)
    expect(
      report.tarAtFar.map(({ targetFar, tar, isResolved }) => [targetFar, tar, isResolved]),
    ).toEqual([
      [0.1, 1, false],
      [0.01, 1, false],
    ])
    expect(report.identification.accuracy).toBe(1)
    expect(report.fewShot.episodeCount).toBe(0)
  })
})

describe('bestThresholdAccuracy', () => {
  it('maximises (TAR + 1 − FAR) / 2 over the ROC points', () => {
    // The ROC of the rocCurve test: (FAR, TAR) = (0,0) (0,1/3) (0,2/3) (1/2,2/3) (1/2,1) (1,1).
    // Balanced accuracies: 1/2, 2/3, 5/6, 7/12, 3/4, 1/2 → 5/6 at threshold 0.8.
    const roc = rocCurve([0.9, 0.4, 0.8], [0.3, 0.7])
    if (roc === undefined) throw new Error('no ROC')
    const best = bestThresholdAccuracy(roc)
    expect(best.accuracy).toBeCloseTo(5 / 6, 12)
    expect(best.threshold).toBe(0.8)
  })

  it('is 1 for separated scores and keeps the highest threshold on ties', () => {
    // Genuine 0.9 0.8, impostor 0.1: (0,0) ½; t=0.9 (0,½) ¾; t=0.8 (0,1) 1; t=0.1 (1,1) ½.
    const roc = rocCurve([0.9, 0.8], [0.1])
    if (roc === undefined) throw new Error('no ROC')
    expect(bestThresholdAccuracy(roc)).toEqual({ accuracy: 1, threshold: 0.8 })
    // Every score equal: (0,0) and (1,1) both give ½; the first (accept none) is kept.
    const flat = rocCurve([0.3], [0.3])
    if (flat === undefined) throw new Error('no ROC')
    expect(bestThresholdAccuracy(flat)).toEqual({ accuracy: 0.5, threshold: Infinity })
  })
})
