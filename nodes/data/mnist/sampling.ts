/**
 * Splits and batches of the MNIST digits, on the host: index arithmetic only, so the node keeps
 * no tensors and each batch is one small upload. Every draw comes from a seeded generator.
 */
import { mulberry32, uniformInt, type RandomFn } from '../../view/metrics/random'

/** The by-sample split is fixed by this seed, so held-out images never change between runs. */
export const SPLIT_SEED = 0x6d6e6973
/** Share of the images held out by the by-sample split (2,000 of 10,000). */
export const HELD_OUT_SHARE = 0.2

export type MnistSplitKind = 'bySample' | 'byClass'

/** One class of a split: the label it is given and its images (indices into the file). */
export interface SplitClass {
  label: number
  samples: Int32Array
}

/** The images of one split, by class, with the label each class gets. */
export interface SplitPart {
  classes: SplitClass[]
  /** Every image of the split, ascending. */
  samples: Int32Array
  /** Label of each image of the file in this split (−1 for images outside it). */
  labelOf: Int32Array
}

export interface MnistSplits {
  train: SplitPart
  heldOut: SplitPart
}

/** The training digits of a by-class split: unique, ascending. */
export const trainingDigits = (digits: readonly number[]): number[] =>
  [...new Set(digits)].sort((a, b) => a - b)

/**
 * Splits the images (by their digit, 0–9).
 * - `bySample`: a fixed seeded shuffle holds out 20 % of the images of every digit mixed
 *   together; labels are the digits.
 * - `byClass`: the images of `trainDigits` train, those of every other digit are held out (the
 *   seminar's new classes at test time). Labels are class indices: the training digits in
 *   ascending order get 0…n−1, the held-out digits n…9 after them (with the default 0–7 they
 *   are the digits themselves), so a classifier over n classes fits the training labels.
 */
export function splitMnist(
  digits: Uint8Array,
  split: MnistSplitKind,
  trainDigits: readonly number[],
): MnistSplits {
  const count = digits.length
  if (split === 'bySample') {
    const order = Int32Array.from({ length: count }, (_, index) => index)
    shuffle(order, mulberry32(SPLIT_SEED))
    const heldOutCount = Math.round(count * HELD_OUT_SHARE)
    const identity = Array.from({ length: 10 }, (_, digit) => digit)
    return {
      train: splitPart(digits, order.subarray(heldOutCount), identity),
      heldOut: splitPart(digits, order.subarray(0, heldOutCount), identity),
    }
  }
  const training = trainingDigits(trainDigits)
  const heldOutDigits = Array.from({ length: 10 }, (_, digit) => digit).filter(
    (digit) => !training.includes(digit),
  )
  const labelOfDigit = Array.from({ length: 10 }, (_, digit) => {
    const index = training.indexOf(digit)
    return index >= 0 ? index : training.length + heldOutDigits.indexOf(digit)
  })
  const all = Int32Array.from({ length: count }, (_, index) => index)
  const isTraining = (sample: number) => training.includes(digits[sample] ?? -1)
  return {
    train: splitPart(digits, all.filter(isTraining), labelOfDigit),
    heldOut: splitPart(
      digits,
      all.filter((sample) => !isTraining(sample)),
      labelOfDigit,
    ),
  }
}

function splitPart(
  digits: Uint8Array,
  members: Int32Array,
  labelOfDigit: readonly number[],
): SplitPart {
  const samples = Int32Array.from(members).sort()
  const labelOf = new Int32Array(digits.length).fill(-1)
  const byLabel = new Map<number, number[]>()
  for (const sample of samples) {
    const label = labelOfDigit[digits[sample] ?? 0] ?? 0
    labelOf[sample] = label
    const list = byLabel.get(label)
    if (list === undefined) byLabel.set(label, [sample])
    else list.push(sample)
  }
  const classes = [...byLabel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([label, list]) => ({ label, samples: Int32Array.from(list) }))
  return { classes, samples, labelOf }
}

export interface BatchOptions {
  sampler: 'random' | 'pk'
  batchSize: number
  /** P: classes per P×K batch; fewer when the split has fewer (a by-class held-out split). */
  identitiesPerBatch: number
  /** K: images per class in a P×K batch. */
  photosPerIdentity: number
}

/** One batch of a split: image indices and their labels, rows of a class together for P×K. */
export function sampleBatch(
  part: SplitPart,
  options: BatchOptions,
  random: RandomFn,
): { samples: Int32Array; labels: Int32Array } {
  let samples: number[]
  if (options.sampler === 'pk') {
    const classCount = Math.min(options.identitiesPerBatch, part.classes.length)
    samples = pick(part.classes.length, classCount, random).flatMap((classIndex) => {
      const pool = part.classes[classIndex]?.samples ?? new Int32Array(0)
      return pick(pool.length, options.photosPerIdentity, random).map((at) => pool[at] ?? 0)
    })
  } else {
    samples = pick(part.samples.length, options.batchSize, random).map(
      (at) => part.samples[at] ?? 0,
    )
  }
  return {
    samples: Int32Array.from(samples),
    labels: Int32Array.from(samples, (sample) => part.labelOf[sample] ?? -1),
  }
}

/**
 * `k` positions in [0, n): distinct when k ≤ n (a partial Fisher–Yates shuffle that records only
 * the swaps, O(k)), else drawn with replacement.
 */
function pick(n: number, k: number, random: RandomFn): number[] {
  if (n === 0) return []
  if (k > n) return Array.from({ length: k }, () => uniformInt(random, n))
  const swapped = new Map<number, number>()
  const picked: number[] = []
  for (let index = 0; index < k; index++) {
    const other = index + uniformInt(random, n - index)
    picked.push(swapped.get(other) ?? other)
    swapped.set(other, swapped.get(index) ?? index)
  }
  return picked
}

/** Fisher–Yates in place. */
function shuffle(values: Int32Array, random: RandomFn): void {
  for (let index = values.length - 1; index > 0; index--) {
    const other = uniformInt(random, index + 1)
    const value = values[index] ?? 0
    values[index] = values[other] ?? 0
    values[other] = value
  }
}
