/**
 * Colours of the view drawings. Categorical colours for identities (Tableau 10, then hues a
 * golden angle apart), and the two clouds of a 2-D GAN: real data green, generated rose, as the
 * dock's D(real)/D(fake) lines.
 */

const TABLEAU = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
]

export const REAL_COLOR = '#059669'
export const FAKE_COLOR = '#e11d48'
export const POINT_COLOR = '#0284c7'

/** The colour of the `index`-th distinct label: Tableau 10 first, then golden-angle hues. */
export function categoryColor(index: number): string {
  const fixed = TABLEAU[index]
  if (fixed !== undefined) return fixed
  const hue = Math.round((index * 137.508) % 360)
  return `hsl(${hue} 62% 52%)`
}

/** Each distinct label's position in ascending order: the index of its colour. */
export function labelIndices(labels: readonly number[]): Map<number, number> {
  const distinct = [...new Set(labels)].sort((a, b) => a - b)
  return new Map(distinct.map((label, index) => [label, index]))
}
