import { describe, expect, it } from 'vitest'
import { centreCrop, rgbaToChannels } from './pixels'

describe('import pixels', () => {
  it.each([
    [100, 60, { x: 20, y: 0, side: 60 }],
    [60, 100, { x: 0, y: 20, side: 60 }],
    [7, 4, { x: 1, y: 0, side: 4 }],
    [32, 32, { x: 0, y: 0, side: 32 }],
  ])('crops %i×%i to its centred square', (width, height, crop) => {
    expect(centreCrop(width, height)).toEqual(crop)
  })

  it('turns RGBA into Rec. 601 luma or RGB bytes', () => {
    const rgba = Uint8ClampedArray.from([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255,
    ])
    expect([...rgbaToChannels(rgba, 1)]).toEqual([76, 150, 29, 18])
    expect([...rgbaToChannels(rgba, 3)]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
  })
})
