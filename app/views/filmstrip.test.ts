import { describe, expect, it } from 'vitest'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import {
  addFrame,
  filmstripRaster,
  formatStep,
  frameOf,
  thinFrames,
  type FilmFrame,
} from './filmstrip'

/** `count` 1×2 grey images, image i filled with value i/10 + `base`. */
const grid = (count: number, base = 0): ImageGrid => ({
  kind: 'images',
  width: 2,
  height: 1,
  channels: 1,
  count,
  columns: Math.ceil(Math.sqrt(count)),
  pixels: Array.from({ length: count * 2 }, (_, index) => Math.floor(index / 2) / 10 + base),
})

const frame = (step: number): FilmFrame => ({ step, grid: frameOf(grid(4), step).grid })
const steps = (frames: readonly FilmFrame[]) => frames.map((kept) => kept.step)

describe('frameOf', () => {
  it('keeps the first samples of the grid, in one column', () => {
    const kept = frameOf(grid(9), 40, 3)
    expect(kept.step).toBe(40)
    expect(kept.grid).toMatchObject({ count: 3, columns: 1, width: 2, height: 1 })
    expect(kept.grid.pixels).toEqual([0, 0, 0.1, 0.1, 0.2, 0.2])
    expect(frameOf(grid(2), 0).grid.count).toBe(2)
  })
})

describe('thinFrames', () => {
  it('keeps frames up to the limit unchanged', () => {
    const frames = [0, 10, 20].map(frame)
    expect(thinFrames(frames, 3)).toEqual(frames)
  })

  it('drops the inner frame whose neighbours are closest, the earliest of equals', () => {
    // Spans around the inner frames: 10 → 30 − 0 = 30, 30 → 35 − 10 = 25, 35 → 80 − 30 = 50.
    expect(steps(thinFrames([0, 10, 30, 35, 80].map(frame), 4))).toEqual([0, 10, 35, 80])
    // Equal spacing: all spans equal, the earliest inner frame goes.
    expect(steps(thinFrames([0, 10, 20, 30].map(frame), 3))).toEqual([0, 20, 30])
  })

  it('keeps the first and the latest step and spreads the rest evenly over a long run', () => {
    // An evaluation every 10 steps for 2,000 steps, at most 12 kept.
    let frames: FilmFrame[] = []
    for (let step = 10; step <= 2000; step += 10) frames = addFrame(frames, frame(step), 12)
    expect(frames).toHaveLength(12)
    expect(frames[0]?.step).toBe(10)
    expect(frames.at(-1)?.step).toBe(2000)
    const gaps = frames.slice(1).map((kept, index) => kept.step - (frames[index]?.step ?? 0))
    // Evenly (ideal: 1,990 / 11 ≈ 181 each): no gap more than about twice another, but for the
    // newest, which is always one evaluation long until the next thinning merges it.
    const settled = gaps.slice(0, -1)
    expect(Math.max(...settled) / Math.min(...settled)).toBeLessThanOrEqual(2.5)
    expect(Math.max(...settled)).toBeLessThan(400)
  })
})

describe('addFrame', () => {
  it('inserts in step order and replaces a frame of the same step', () => {
    const frames = [0, 20].map(frame)
    expect(steps(addFrame(frames, frame(10)))).toEqual([0, 10, 20])
    const again = { step: 20, grid: frameOf(grid(4, 0.5), 20).grid }
    const replaced = addFrame(frames, again)
    expect(steps(replaced)).toEqual([0, 20])
    expect(replaced[1]).toBe(again)
    expect(steps(frames)).toEqual([0, 20]) // the input is unchanged
  })
})

describe('filmstripRaster', () => {
  it('puts one column per step and sample i in row i, with the column centres', () => {
    // Two frames of 2 samples 2×1: columns 2 wide, gap 2 → width 6; rows 1 high, gap 1 → 3.
    const frames = [0, 50].map((step) => frameOf(grid(2, step === 0 ? 0 : 0.5), step, 2))
    const { raster, columns } = filmstripRaster(frames)
    expect([raster.width, raster.height]).toEqual([6, 3])
    expect(columns).toEqual([
      { centre: 1, step: 0 },
      { centre: 5, step: 50 },
    ])
    const red = (x: number, y: number) => raster.rgba[(y * raster.width + x) * 4]
    const alpha = (x: number, y: number) => raster.rgba[(y * raster.width + x) * 4 + 3]
    // Frame 0: samples 0, 0.1; frame 50: samples 0.5, 0.6 (as bytes, rounded).
    expect([red(0, 0), red(0, 2), red(4, 0), red(5, 2)]).toEqual([0, 26, 128, 153])
    // Gaps between columns and rows stay transparent.
    expect([alpha(2, 0), alpha(3, 2), alpha(0, 1), alpha(0, 0)]).toEqual([0, 0, 0, 255])
  })

  it('is empty without frames', () => {
    const { raster, columns } = filmstripRaster([])
    expect([raster.width, raster.height, columns.length]).toEqual([0, 0, 0])
  })
})

describe('formatStep', () => {
  it('writes steps in full, large ones in thousands', () => {
    expect([0, 950, 9999, 12_500, 20_000, 150_000].map(formatStep)).toEqual([
      '0',
      '950',
      '9,999',
      '12.5k',
      '20k',
      '150k',
    ])
  })
})
