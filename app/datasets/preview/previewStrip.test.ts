import { describe, expect, it } from 'vitest'
import { packedMnist } from '../../../tooling/mnistAsset'
import { decodeMnist } from '../../../nodes/data/mnist/format'
import {
  hasPreview,
  imageFolderDatasetId,
  imageFolderPicks,
  imageFolderStrip,
  mnistStrip,
  synthFacesStrip,
  toy2dStrip,
} from './previewStrip'
import { toy2dPoints } from './toy2dPoints'

describe('dataset previews', () => {
  it('covers every dataset node but noise', () => {
    expect(
      ['data.mnist', 'data.synthFaces', 'data.toy2d', 'data.imageFolder', 'data.noise'].map(
        hasPreview,
      ),
    ).toEqual([true, true, true, true, false])
  })

  it('shows SynthFaces as four identities with two photos each, at the node size', () => {
    const strip = synthFacesStrip({ size: 16, channels: '3' })
    if (strip.kind !== 'tiles') throw new Error(strip.kind)
    expect(strip.tiles.map((tile) => tile.label)).toEqual([
      'id 0',
      'id 0',
      'id 1',
      'id 1',
      'id 2',
      'id 2',
      'id 3',
      'id 3',
    ])
    expect(strip.tiles[0]?.pixels.length).toBe(16 * 16 * 3)
    // Deterministic, and two photos of one person differ.
    expect(synthFacesStrip({ size: 16, channels: '3' })).toEqual(strip)
    expect(strip.tiles[0]?.pixels).not.toEqual(strip.tiles[1]?.pixels)
    expect(synthFacesStrip({ identities: 4, heldOutIdentities: 10 })).toMatchObject({
      kind: 'message',
    })
  })

  it('shows one MNIST image per digit, the training digits of a by-digit split', async () => {
    const data = decodeMnist(await packedMnist())
    const strip = mnistStrip(data, {})
    if (strip.kind !== 'tiles') throw new Error(strip.kind)
    expect(strip.tiles.map((tile) => tile.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7'])
    const first = data.labels.indexOf(3)
    expect(strip.tiles[3]?.pixels).toEqual(data.pixels.slice(first * 784, (first + 1) * 784))
    const byDigit = mnistStrip(data, { split: 'byClass', trainDigits: [9, 4, 4] })
    expect(byDigit.kind === 'tiles' && byDigit.tiles.map((tile) => tile.label)).toEqual(['4', '9'])
  })

  it('draws toy 2-D points like the node: ring modes on the circle of radius 2', () => {
    const { points, labels } = toy2dPoints('ring', 0, 50, 3)
    for (let index = 0; index < 50; index++) {
      const angle = (2 * Math.PI * (labels[index] ?? 0)) / 8
      expect(points[index * 2]).toBeCloseTo(2 * Math.cos(angle), 5)
      expect(points[index * 2 + 1]).toBeCloseTo(2 * Math.sin(angle), 5)
    }
    const moons = toy2dPoints('moons', 0, 200, 1)
    for (let index = 0; index < 200; index++) {
      const x = moons.points[index * 2] ?? 0
      const y = moons.points[index * 2 + 1] ?? 0
      const [cx, cy] = moons.labels[index] === 0 ? [-2 / 3, -1 / 3] : [2 / 3, 1 / 3]
      expect(Math.hypot(x - cx, y - cy)).toBeCloseTo(4 / 3, 5)
    }
    expect(toy2dStrip({ distribution: 'grid' })).toMatchObject({
      kind: 'points',
      modes: 25,
      caption: 'grid · 25 modes',
    })
  })

  it('picks image-folder images across the labels in turn', () => {
    // Stored grouped by label: label 0 at 0–2, label 1 at 3, label 2 at 4–13.
    expect(imageFolderPicks([3, 1, 10])).toEqual([
      [0, 0],
      [3, 1],
      [4, 2],
      [1, 0],
      [5, 2],
      [2, 0],
      [6, 2],
      [7, 2],
    ])
    expect(imageFolderPicks([2])).toEqual([
      [0, 0],
      [1, 0],
    ])
    const strip = imageFolderStrip(
      { width: 1, height: 1, channels: 3, labels: ['a', 'b'], countsPerLabel: [1, 1] },
      [
        [0, 0],
        [1, 1],
      ],
      [Uint8Array.of(1, 2, 3)],
    )
    expect(
      strip.kind === 'tiles' && strip.tiles.map((tile) => [tile.label, [...tile.pixels]]),
    ).toEqual([
      ['a', [1, 2, 3]],
      ['b', [0, 0, 0]],
    ])
    expect(imageFolderDatasetId({ dataset: 'ds-1@8x8x1/2' })).toBe('ds-1')
    expect(imageFolderDatasetId({ dataset: '' })).toBeUndefined()
  })
})
