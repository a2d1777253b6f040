/**
 * The numbers behind `view.verification` (DESIGN §1, §4): the seminar's three questions asked of
 * a metric-learning model on held-out identities — verification (ROC, AUC, TAR at FAR),
 * identification (top-1 against a gallery) and few-shot (3 photos of a new person, is the 4th
 * the same person). Pure functions on plain arrays; the view only draws what they return.
 *
 * Embeddings are compared by cosine similarity. Every function normalises the rows itself (a
 * copy, in doubles), so callers may pass raw or already L2-normalised embeddings; a zero row has
 * similarity 0 to everything. A pair is accepted as "same person" when its similarity is
 * ≥ the threshold.
 */
import { mulberry32, uniformInt } from './random'
import { normalizeRows, rowCount, rowDot } from './vectors'

/** Embeddings with the identity of each row. */
export interface LabelledEmbeddings {
  /** Row-major `[n, dim]`; need not be normalised (see the module comment). */
  readonly embeddings: ArrayLike<number>
  readonly dim: number
  /** Identity of each row, length n; rows with equal labels are the same person. */
  readonly labels: ArrayLike<number>
}

/** Genuine (same identity) and impostor (different identities) pair similarities. */
export interface PairSimilarities {
  /** Cosine similarities of the genuine pairs used (all of them, or a sample). */
  readonly genuine: Float64Array
  /** Cosine similarities of the impostor pairs used. */
  readonly impostor: Float64Array
  /** Unordered genuine pairs that exist: Σ c(c−1)/2 over identity sizes c. */
  readonly genuineTotal: number
  /** Unordered impostor pairs that exist: n(n−1)/2 − genuineTotal. */
  readonly impostorTotal: number
  /** True when either kind was sampled down to `maxPairsPerKind`. */
  readonly isSampled: boolean
}

/** Options of {@link pairSimilarities}. */
export interface PairSimilarityOptions {
  /** At most this many pairs of each kind (genuine, impostor); default 100 000. */
  readonly maxPairsPerKind?: number
  /** Seed of the sample drawn when a kind has more pairs than the cap; default 0. */
  readonly seed?: number
}

/** Default cap on pairs of each kind: 2·10⁵ dot products stay well under a frame budget. */
export const DEFAULT_MAX_PAIRS_PER_KIND = 100_000

/** A ROC curve of accept-if-similarity ≥ threshold, one point per distinct threshold. */
export interface RocCurve {
  /** Descending: `+∞` (accept nothing, the point (0, 0)), then every distinct score. */
  readonly thresholds: Float64Array
  /** False accept rate at each threshold: accepted impostors / impostors; ascending. */
  readonly far: Float64Array
  /** True accept rate at each threshold: accepted genuines / genuines; ascending. */
  readonly tar: Float64Array
  /**
   * Area under the curve by the trapezoid rule. Scores shared by genuine and impostor pairs
   * make a diagonal step, so this equals the Mann–Whitney U / (n_genuine·n_impostor) with ties
   * counting ½: the probability that a random genuine pair outscores a random impostor pair.
   */
  readonly auc: number
  readonly genuineCount: number
  readonly impostorCount: number
}

/** TAR at a target FAR, read off a {@link RocCurve}. */
export interface TarAtFar {
  readonly targetFar: number
  /** The largest TAR among ROC points whose FAR ≤ targetFar. */
  readonly tar: number
  /** The FAR of that point (≤ targetFar): the lowest FAR at which that TAR is reached. */
  readonly far: number
  /** The threshold of that point: the highest one reaching that TAR (`+∞` when TAR is 0). */
  readonly threshold: number
  /**
   * False when there are fewer than 1/targetFar impostor pairs: then the smallest non-zero FAR,
   * 1/n_impostor, is above the target, only FAR = 0 qualifies, and `tar` is the TAR at FAR 0 —
   * a pessimistic stand-in, not a measurement at the target. Show it greyed out or as "n/a".
   */
  readonly isResolved: boolean
}

/** Top-1 identification against a gallery of one image per identity. */
export interface IdentificationResult {
  /** correct / probeCount; undefined when there are no probes. */
  readonly accuracy: number | undefined
  readonly correct: number
  readonly probeCount: number
  /** One gallery image per identity, including identities with a single image (distractors). */
  readonly galleryCount: number
}

/** Few-shot 3 → 1 over the identities that have at least 4 images. */
export interface FewShotResult {
  /**
   * Share of episodes whose query is nearest (cosine) to its own identity's support mean among
   * all episodes' support means; undefined with fewer than 2 episodes (nothing to confuse).
   */
  readonly accuracy: number | undefined
  readonly correct: number
  readonly episodeCount: number
  /**
   * The threshold-free answer to "is the 4th the same person": ROC AUC of query-to-own-mean
   * similarities (genuine) against query-to-other-means similarities (impostor) — the
   * probability that a query is closer to its own person than a random (query, other person)
   * pair is, ties ½. Undefined with fewer than 2 episodes.
   */
  readonly verificationAuc: number | undefined
}

/** Everything `view.verification` shows, from one call. */
export interface VerificationReport {
  readonly pairs: PairSimilarities
  /** Undefined when there are no genuine or no impostor pairs. */
  readonly roc: RocCurve | undefined
  /** TAR at each of {@link VERIFICATION_FAR_TARGETS}, in that order; empty without a ROC. */
  readonly tarAtFar: readonly TarAtFar[]
  readonly identification: IdentificationResult
  readonly fewShot: FewShotResult
}

/** The FAR targets the verification view reports. */
export const VERIFICATION_FAR_TARGETS = [1e-1, 1e-2] as const

/** Images of one identity used as support in a few-shot episode. */
export const FEW_SHOT_SUPPORT = 3

/** Unit rows and labels after checking that their sizes agree. */
interface Prepared {
  readonly unit: Float64Array
  readonly dim: number
  readonly labels: ArrayLike<number>
  readonly rows: number
}

function prepare(input: LabelledEmbeddings): Prepared {
  const rows = rowCount(input.embeddings, input.dim)
  if (input.labels.length !== rows)
    throw new RangeError(`${input.labels.length} labels for ${rows} embeddings`)
  return {
    unit: normalizeRows(input.embeddings, input.dim),
    dim: input.dim,
    labels: input.labels,
    rows,
  }
}

/** Rows of each identity in ascending row order, identities in order of first appearance. */
function rowsByIdentity(labels: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>()
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row] ?? Number.NaN
    const group = groups.get(label)
    if (group === undefined) groups.set(label, [row])
    else group.push(row)
  }
  return [...groups.values()]
}

/**
 * Index of the candidate row (of `candidates`, width `dim`) with the largest dot product with
 * row `queryRow` of `queries`; the lowest index wins ties, so the answer is deterministic.
 */
function nearestRow(
  queries: Float64Array,
  queryRow: number,
  candidates: Float64Array,
  dim: number,
): number {
  let best = -1
  let bestScore = Number.NEGATIVE_INFINITY
  for (let candidate = 0; candidate < candidates.length / dim; candidate++) {
    const score = rowDot(queries, queryRow, candidates, candidate, dim)
    if (score > bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best
}

/**
 * The pairs of one kind as a ranked list: with rows sorted by label, the partners of sorted
 * position s are a contiguous run of later positions (the rest of its group for genuine pairs,
 * everything after its group for impostor pairs). `offsets[s]` is the rank of s's first pair.
 */
interface PairRanking {
  readonly offsets: Float64Array // [n + 1], offsets[n] = number of pairs
  readonly firstPartner: Int32Array // [n]
}

function rankPairs(groupEnd: Int32Array, kind: 'genuine' | 'impostor'): PairRanking {
  const n = groupEnd.length
  const offsets = new Float64Array(n + 1)
  const firstPartner = new Int32Array(n)
  for (let s = 0; s < n; s++) {
    const end = groupEnd[s] ?? n
    const start = kind === 'genuine' ? s + 1 : end
    firstPartner[s] = start
    offsets[s + 1] = (offsets[s] ?? 0) + (kind === 'genuine' ? end : n) - start
  }
  return { offsets, firstPartner }
}

/** The (sorted position, partner position) of the pair with rank `rank`. */
function unrankPair(ranking: PairRanking, rank: number): [number, number] {
  // Largest s with offsets[s] ≤ rank; rows with no pairs share an offset with the next row.
  let low = 0
  let high = ranking.firstPartner.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((ranking.offsets[middle] ?? Number.POSITIVE_INFINITY) <= rank) low = middle
    else high = middle - 1
  }
  const partner = (ranking.firstPartner[low] ?? 0) + rank - (ranking.offsets[low] ?? 0)
  return [low, partner]
}

/**
 * Ranks of the pairs to score: all of `total` when it fits the cap, else `cap` distinct ranks
 * drawn uniformly by Floyd's algorithm, sorted ascending so the order does not depend on the
 * draw.
 */
function chooseRanks(total: number, cap: number, random: () => number): Float64Array {
  if (total <= cap) return Float64Array.from({ length: total }, (_, rank) => rank)
  const chosen = new Set<number>()
  for (let j = total - cap; j < total; j++) {
    const candidate = uniformInt(random, j + 1)
    chosen.add(chosen.has(candidate) ? j : candidate)
  }
  return Float64Array.from(chosen).sort()
}

/**
 * Cosine similarities of all unordered genuine and impostor pairs (i < j), or, when a kind has
 * more than `maxPairsPerKind` pairs, of a uniform sample without replacement of that many,
 * drawn from a generator seeded with `seed` (genuine first, then impostor, from one stream).
 * The cap is per kind because genuine pairs are rare: sampling all pairs together would leave
 * few genuine ones. Same input and seed give the same output.
 */
export function pairSimilarities(
  input: LabelledEmbeddings,
  options: PairSimilarityOptions = {},
): PairSimilarities {
  const { unit, dim, labels, rows } = prepare(input)
  const cap = Math.max(0, Math.floor(options.maxPairsPerKind ?? DEFAULT_MAX_PAIRS_PER_KIND))
  const random = mulberry32(options.seed ?? 0)

  // Stable sort by label: identities become contiguous runs of sorted positions.
  const order = Array.from({ length: rows }, (_, row) => row).sort(
    (a, b) => (labels[a] ?? 0) - (labels[b] ?? 0) || a - b,
  )
  const groupEnd = new Int32Array(rows)
  for (let end = rows, s = rows - 1; s >= 0; s--) {
    if (s < rows - 1 && labels[order[s] ?? 0] !== labels[order[s + 1] ?? 0]) end = s + 1
    groupEnd[s] = end
  }

  const score = (kind: 'genuine' | 'impostor') => {
    const ranking = rankPairs(groupEnd, kind)
    const total = ranking.offsets[rows] ?? 0
    const ranks = chooseRanks(total, cap, random)
    const scores = ranks.map((rank) => {
      const [s, partner] = unrankPair(ranking, rank)
      return rowDot(unit, order[s] ?? 0, unit, order[partner] ?? 0, dim)
    })
    return { scores, total }
  }
  const genuine = score('genuine')
  const impostor = score('impostor')
  return {
    genuine: genuine.scores,
    impostor: impostor.scores,
    genuineTotal: genuine.total,
    impostorTotal: impostor.total,
    isSampled: genuine.total > cap || impostor.total > cap,
  }
}

/** Ascending copy with NaN mapped to −∞: a NaN score is never accepted, so it cannot crash. */
function sortedScores(scores: ArrayLike<number>): Float64Array {
  return Float64Array.from(scores, (score) => (Number.isNaN(score) ? -Infinity : score)).sort()
}

/**
 * ROC of accept-if-score ≥ threshold over every distinct score, with AUC by the trapezoid rule
 * (ties handled: see {@link RocCurve.auc}). Returns undefined when either list is empty, since
 * one of the rates would be 0/0. NaN scores count as −∞.
 */
export function rocCurve(
  genuine: ArrayLike<number>,
  impostor: ArrayLike<number>,
): RocCurve | undefined {
  if (genuine.length === 0 || impostor.length === 0) return undefined
  const positives = sortedScores(genuine)
  const negatives = sortedScores(impostor)
  const thresholds = [Number.POSITIVE_INFINITY]
  const far = [0]
  const tar = [0]
  // Sweep thresholds downwards; p and q index the highest score not yet accepted.
  let p = positives.length - 1
  let q = negatives.length - 1
  let auc = 0
  while (p >= 0 || q >= 0) {
    const threshold = Math.max(positives[p] ?? -Infinity, negatives[q] ?? -Infinity)
    while (p >= 0 && (positives[p] ?? -Infinity) >= threshold) p--
    while (q >= 0 && (negatives[q] ?? -Infinity) >= threshold) q--
    const nextTar = (positives.length - 1 - p) / positives.length
    const nextFar = (negatives.length - 1 - q) / negatives.length
    auc += ((nextFar - (far.at(-1) ?? 0)) * (nextTar + (tar.at(-1) ?? 0))) / 2
    thresholds.push(threshold)
    far.push(nextFar)
    tar.push(nextTar)
  }
  return {
    thresholds: Float64Array.from(thresholds),
    far: Float64Array.from(far),
    tar: Float64Array.from(tar),
    auc,
    genuineCount: positives.length,
    impostorCount: negatives.length,
  }
}

/**
 * TAR at a target FAR: the largest TAR among the ROC points with FAR ≤ targetFar (a relative
 * slack of 10⁻⁹ absorbs rounding, so FAR 1/100 counts as ≤ 0.01). See
 * {@link TarAtFar.isResolved} for too few impostor pairs.
 */
export function tarAtFar(roc: RocCurve, targetFar: number): TarAtFar {
  let best = 0
  // Points ascend in FAR and TAR; of those within the target, keep the first with the largest
  // TAR: the highest threshold (lowest FAR) that reaches it.
  for (let k = 1; k < roc.far.length; k++) {
    const isWithin = (roc.far[k] ?? Infinity) <= targetFar * (1 + 1e-9)
    if (isWithin && (roc.tar[k] ?? 0) > (roc.tar[best] ?? 0)) best = k
  }
  return {
    targetFar,
    tar: roc.tar[best] ?? 0,
    far: roc.far[best] ?? 0,
    threshold: roc.thresholds[best] ?? Number.POSITIVE_INFINITY,
    isResolved: roc.impostorCount * targetFar * (1 + 1e-9) >= 1,
  }
}

/** The best accuracy a single threshold reaches, and that threshold (see {@link bestThresholdAccuracy}). */
export interface BestThresholdAccuracy {
  /** max over thresholds of (TAR + 1 − FAR) / 2. */
  readonly accuracy: number
  /** Accept-if-similarity ≥ this; the highest threshold reaching `accuracy` (`+∞` = accept none). */
  readonly threshold: number
}

/**
 * Best-threshold verification accuracy on balanced pairs, as LFW reports it: at each ROC point
 * the accuracy on as many genuine as impostor pairs is (TAR + (1 − FAR)) / 2, and the best
 * threshold maximises it. Balanced, because the pairs of a held-out set are mostly impostors:
 * plain accuracy would reward rejecting everything. Ties keep the highest threshold.
 */
export function bestThresholdAccuracy(roc: RocCurve): BestThresholdAccuracy {
  let best = 0
  let accuracy = -1
  for (let k = 0; k < roc.far.length; k++) {
    const candidate = ((roc.tar[k] ?? 0) + 1 - (roc.far[k] ?? 0)) / 2
    if (candidate > accuracy * (1 + 1e-12)) {
      accuracy = candidate
      best = k
    }
  }
  return { accuracy, threshold: roc.thresholds[best] ?? Number.POSITIVE_INFINITY }
}

/**
 * Top-1 identification. Gallery: the first row (lowest index) of each identity; probes: every
 * other row. Each probe is assigned the identity of its nearest gallery row by cosine (lowest
 * gallery row on ties) and counts as correct when that is its own identity. Identities with a
 * single image stay in the gallery as distractors.
 */
export function identificationTop1(input: LabelledEmbeddings): IdentificationResult {
  const { unit, dim, labels } = prepare(input)
  const groups = rowsByIdentity(labels)
  const galleryRows = groups.map((group) => group[0] ?? 0)
  const gallery = new Float64Array(galleryRows.length * dim) // [identities, dim]
  galleryRows.forEach((row, g) => {
    gallery.set(unit.subarray(row * dim, (row + 1) * dim), g * dim)
  })
  let correct = 0
  let probeCount = 0
  groups.forEach((group, identity) => {
    for (const probe of group.slice(1)) {
      probeCount++
      if (nearestRow(unit, probe, gallery, dim) === identity) correct++
    }
  })
  return {
    accuracy: probeCount === 0 ? undefined : correct / probeCount,
    correct,
    probeCount,
    galleryCount: galleryRows.length,
  }
}

/**
 * Few-shot 3 → 1. Every identity with ≥ 4 images forms one episode: its first three rows (by
 * index) are the support, the fourth is the query; further images are not used. The support
 * mean, L2-normalised, is the identity's prototype. Accuracy: the query's nearest prototype by
 * cosine (lowest index on ties), among all episodes' prototypes, is its own. Also reports the
 * threshold-free verification AUC described at {@link FewShotResult.verificationAuc}.
 */
export function fewShot(input: LabelledEmbeddings): FewShotResult {
  const { unit, dim, labels } = prepare(input)
  const episodes = rowsByIdentity(labels).filter((group) => group.length > FEW_SHOT_SUPPORT)
  const supportMeans = new Float64Array(episodes.length * dim) // [episodes, dim]
  episodes.forEach((group, e) => {
    for (const row of group.slice(0, FEW_SHOT_SUPPORT)) {
      for (let k = 0; k < dim; k++) {
        supportMeans[e * dim + k] = (supportMeans[e * dim + k] ?? 0) + (unit[row * dim + k] ?? 0)
      }
    }
  })
  // Normalising the sum equals normalising the mean.
  const prototypes = normalizeRows(supportMeans, dim)
  const queries = episodes.map((group) => group[FEW_SHOT_SUPPORT] ?? 0)

  let correct = 0
  const genuine: number[] = []
  const impostor: number[] = []
  queries.forEach((query, e) => {
    if (nearestRow(unit, query, prototypes, dim) === e) correct++
    for (let other = 0; other < episodes.length; other++) {
      const similarity = rowDot(unit, query, prototypes, other, dim)
      if (other === e) genuine.push(similarity)
      else impostor.push(similarity)
    }
  })
  const isMeaningful = episodes.length >= 2
  return {
    accuracy: isMeaningful ? correct / episodes.length : undefined,
    correct,
    episodeCount: episodes.length,
    verificationAuc: isMeaningful ? rocCurve(genuine, impostor)?.auc : undefined,
  }
}

/**
 * The whole verification view from one call: pair similarities (capped and seeded as in
 * {@link pairSimilarities}), their ROC, TAR at FAR 10⁻¹ and 10⁻², top-1 identification and
 * few-shot 3 → 1.
 */
export function verificationReport(
  input: LabelledEmbeddings,
  options: PairSimilarityOptions = {},
): VerificationReport {
  const pairs = pairSimilarities(input, options)
  const roc = rocCurve(pairs.genuine, pairs.impostor)
  return {
    pairs,
    roc,
    tarAtFar: roc === undefined ? [] : VERIFICATION_FAR_TARGETS.map((far) => tarAtFar(roc, far)),
    identification: identificationTop1(input),
    fewShot: fewShot(input),
  }
}
