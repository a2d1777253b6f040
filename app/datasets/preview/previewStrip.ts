/**
 * What a dataset node's preview shows (issue #4): a few labelled images, or for 2-D points a
 * small scatter, computed on the main thread from the pure generators and decoders of nodes/data
 * (no TF.js). Pure apart from what the callers pass in, so it is tested on Node.
 */
import { parseDatasetRef } from '../../../graph-core/datasetRef'
import { resolveParams } from '../../../graph-core/params'
import type { MnistData } from '../../../nodes/data/mnist/format'
import {
  renderPhoto,
  synthFaces,
  synthFacesConfig,
  type SynthFacesParams,
} from '../../../nodes/data/synthFaces'
import { configProblem } from '../../../nodes/data/synthFaces/dataset'
import { toy2d, TOY2D_MODES } from '../../../nodes/data/toy2d'
import { toy2dPoints } from './toy2dPoints'

/** The most images a preview draws. */
export const PREVIEW_TILES = 8

/** One image of a preview: `height`×`width`×`channels` bytes, row-major, and its label. */
export interface PreviewTile {
  width: number
  height: number
  channels: 1 | 3
  pixels: Uint8Array
  label: string
}

export type PreviewStrip =
  | { kind: 'tiles'; tiles: PreviewTile[] }
  | { kind: 'points'; points: Float32Array; labels: Int32Array; modes: number; caption: string }
  | { kind: 'message'; text: string }

/** The dataset node types that have a preview, and what each needs loaded first. */
export const PREVIEW_SOURCES = {
  'data.mnist': 'mnist',
  'data.synthFaces': 'none',
  'data.toy2d': 'none',
  'data.imageFolder': 'dataset',
} as const

export type PreviewType = keyof typeof PREVIEW_SOURCES

export const hasPreview = (type: string): type is PreviewType =>
  Object.hasOwn(PREVIEW_SOURCES, type)

const toBytes = (values: Float32Array) =>
  Uint8Array.from(values, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255))

/** Four identities × two photos each, so a same-person pair sits side by side. */
export function synthFacesStrip(saved: Readonly<Record<string, unknown>>): PreviewStrip {
  const params: SynthFacesParams = resolveParams(synthFaces.params, saved).values
  const config = synthFacesConfig(params)
  const { channels } = config
  const problem = configProblem(config)
  if (problem !== undefined) return { kind: 'message', text: problem }
  const identities = Math.min(4, params.identities - params.heldOutIdentities)
  const photos = Math.min(2, params.photos)
  const tiles: PreviewTile[] = []
  for (let identity = 0; identity < identities; identity++) {
    for (let photo = 0; photo < photos; photo++) {
      tiles.push({
        width: params.size,
        height: params.size,
        channels,
        pixels: toBytes(renderPhoto(params, identity, photo).pixels),
        label: `id ${identity}`,
      })
    }
  }
  return { kind: 'tiles', tiles }
}

/** The first image of each of eight digits (the training digits of a by-digit split). */
export function mnistStrip(
  data: MnistData,
  saved: Readonly<Record<string, unknown>>,
): PreviewStrip {
  const split = saved.split === 'byClass' ? 'byClass' : 'bySample'
  const trainDigits = Array.isArray(saved.trainDigits)
    ? [...new Set(saved.trainDigits.filter((digit): digit is number => typeof digit === 'number'))]
    : [0, 1, 2, 3, 4, 5, 6, 7]
  const digits = (
    split === 'byClass' ? trainDigits.sort((a, b) => a - b) : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  ).slice(0, PREVIEW_TILES)
  const area = data.width * data.height
  const tiles: PreviewTile[] = []
  for (const digit of digits) {
    const sample = data.labels.indexOf(digit)
    if (sample < 0) continue
    tiles.push({
      width: data.width,
      height: data.height,
      channels: 1,
      // MNIST stores ink as 255; drawn as stored (white digits on black), as the model sees them.
      pixels: data.pixels.slice(sample * area, (sample + 1) * area),
      label: String(digit),
    })
  }
  return { kind: 'tiles', tiles }
}

/** 400 points of the distribution, coloured by mode. */
export function toy2dStrip(saved: Readonly<Record<string, unknown>>): PreviewStrip {
  const params = resolveParams(toy2d.params, saved).values
  const { points, labels } = toy2dPoints(params.distribution, params.spread, 400, 1)
  const modes = TOY2D_MODES[params.distribution]
  const names = { ring: 'ring', grid: 'grid', spiral: 'spiral', moons: 'two moons' }
  return {
    kind: 'points',
    points,
    labels,
    modes,
    caption: `${names[params.distribution]} · ${modes} mode${modes === 1 ? '' : 's'}`,
  }
}

/** What an image-folder preview reads of a stored dataset. */
export interface StoredPreviewSource {
  width: number
  height: number
  channels: number
  labels: readonly string[]
  countsPerLabel: readonly number[]
}

/**
 * Which stored images an image-folder preview shows: up to eight, spread over the labels in
 * turn (the first of each label, then the second, …), as [image index, label] pairs. Images are
 * stored grouped by label, so the index of image j of label k is the sum of the counts before k
 * plus j.
 */
export function imageFolderPicks(countsPerLabel: readonly number[]): [number, number][] {
  const starts: number[] = []
  let at = 0
  for (const count of countsPerLabel) {
    starts.push(at)
    at += count
  }
  const picks: [number, number][] = []
  const longest = Math.max(0, ...countsPerLabel)
  for (let round = 0; round < longest && picks.length < PREVIEW_TILES; round++) {
    for (const [label, count] of countsPerLabel.entries()) {
      if (round < count && picks.length < PREVIEW_TILES)
        picks.push([(starts[label] ?? 0) + round, label])
    }
  }
  return picks
}

/** The preview tiles of an image-folder dataset from the bytes of the picked images. */
export function imageFolderStrip(
  source: StoredPreviewSource,
  picks: readonly [number, number][],
  images: readonly Uint8Array[],
): PreviewStrip {
  const channels = source.channels === 3 ? 3 : 1
  return {
    kind: 'tiles',
    tiles: picks.map(([, label], index) => ({
      width: source.width,
      height: source.height,
      channels,
      pixels: images[index] ?? new Uint8Array(source.width * source.height * channels),
      label: source.labels[label] ?? '?',
    })),
  }
}

/** The dataset id an image-folder node refers to, if any. */
export function imageFolderDatasetId(saved: Readonly<Record<string, unknown>>): string | undefined {
  return typeof saved.dataset === 'string' ? parseDatasetRef(saved.dataset)?.id : undefined
}
