/**
 * How a dataset's shape reads in the panel, the inspector and the previews: "32×32 grayscale",
 * "32×32 grayscale · 3 labels".
 */

/** "32×32 grayscale", "64×64 RGB". */
export function describeImages(dataset: { width: number; height: number; channels: number }) {
  return `${dataset.width}×${dataset.height} ${dataset.channels === 3 ? 'RGB' : 'grayscale'}`
}

/** "32×32 grayscale · 3 labels". */
export function describeShape(dataset: {
  width: number
  height: number
  channels: number
  labels: number | readonly string[]
}): string {
  const labels = typeof dataset.labels === 'number' ? dataset.labels : dataset.labels.length
  return `${describeImages(dataset)} · ${labels} label${labels === 1 ? '' : 's'}`
}
