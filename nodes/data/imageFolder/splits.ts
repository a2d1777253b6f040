/**
 * Splits of an imported image folder, on the host: index arithmetic only, in the shape MNIST's
 * sampler takes (`SplitPart`), so random and P×K batches are drawn by the same code.
 */
import { mulberry32, uniformInt } from '../../view/metrics/random'
import type { MnistSplits, SplitPart } from '../mnist/sampling'

/** The by-sample split is fixed by this seed, so the held-out images never change. */
export const IMAGE_FOLDER_SPLIT_SEED = 0x696d6766
/** Share of every label's images the by-sample split holds out. */
export const IMAGE_FOLDER_HELD_OUT_SHARE = 0.2

export type ImageFolderSplitKind = 'bySample' | 'byLabel'

/**
 * Splits the images (by their label, 0 … labelCount−1).
 * - `bySample`: per label, a fixed seeded shuffle holds out 20 % of its images (rounded; a label
 *   with 2 or more images gives at least one, a label with one image keeps it for training).
 *   Stratified because user folders are small and uneven: a global draw could leave a label
 *   out of one side.
 * - `byLabel`: the last `heldOutLabels` labels (in the dataset's label order, which is sorted
 *   by name) are held out whole: classes never seen in training. Labels keep their indices, so
 *   training labels are 0 … n−1 and held-out labels n … labelCount−1.
 */
export function splitImageFolder(
  labels: Int32Array,
  labelCount: number,
  split: ImageFolderSplitKind,
  heldOutLabels: number,
): MnistSplits {
  const byLabel = Array.from({ length: labelCount }, () => [] as number[])
  labels.forEach((label, sample) => byLabel[label]?.push(sample))
  const train: number[] = []
  const heldOut: number[] = []
  if (split === 'byLabel') {
    const firstHeldOut = Math.max(0, labelCount - heldOutLabels)
    byLabel.forEach((samples, label) => (label < firstHeldOut ? train : heldOut).push(...samples))
  } else {
    const random = mulberry32(IMAGE_FOLDER_SPLIT_SEED)
    for (const samples of byLabel) {
      const order = Int32Array.from(samples)
      shuffle(order, random)
      const count =
        order.length < 2 ? 0 : Math.max(1, Math.round(order.length * IMAGE_FOLDER_HELD_OUT_SHARE))
      heldOut.push(...order.subarray(0, count))
      train.push(...order.subarray(count))
    }
  }
  return { train: splitPart(labels, train), heldOut: splitPart(labels, heldOut) }
}

function splitPart(labels: Int32Array, members: readonly number[]): SplitPart {
  const samples = Int32Array.from(members).sort()
  const labelOf = new Int32Array(labels.length).fill(-1)
  const byLabel = new Map<number, number[]>()
  for (const sample of samples) {
    const label = labels[sample] ?? 0
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

/** Fisher–Yates in place. */
function shuffle(values: Int32Array, random: () => number): void {
  for (let index = values.length - 1; index > 0; index--) {
    const other = uniformInt(random, index + 1)
    const value = values[index] ?? 0
    values[index] = values[other] ?? 0
    values[other] = value
  }
}
