import { crc32, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { encodePng, labelledGrid } from './png'

describe('encodePng', () => {
  it('writes a valid PNG whose IDAT inflates back to the filtered rows', () => {
    const png = encodePng(2, 2, 1, new Uint8Array([0, 255, 128, 64]))
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(png.toString('ascii', 12, 16)).toBe('IHDR')
    expect(png.readUInt32BE(16)).toBe(2) // width
    const idatLength = png.readUInt32BE(33)
    expect(png.toString('ascii', 37, 41)).toBe('IDAT')
    const rows = inflateSync(png.subarray(41, 41 + idatLength))
    expect([...rows]).toEqual([0, 0, 255, 0, 128, 64])
    // every chunk's CRC covers its type and data, as zlib's own crc32 computes it
    expect(png.readUInt32BE(29)).toBe(crc32(png.subarray(12, 29)))
  })

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, 3, new Uint8Array(4))).toThrow(/expected 12 bytes, got 4/)
  })
})

describe('labelledGrid', () => {
  it('places tiles in columns with the label drawn under each', () => {
    const images = new Float32Array([1, 1, 1, 1, 0, 0, 0, 0]) // two 2×2 tiles: white, black
    const grid = labelledGrid(images, [1, 7], { height: 2, width: 2, channels: 1 }, 2)
    expect(grid.width).toBe(36) // 2 tiles × (max(2, 16) + 2)
    expect(grid.height).toBe(10) // 2 + 8
    expect(grid.pixels[1 * grid.width + 1]).toBe(255) // first tile, white
    expect(grid.pixels[1 * grid.width + 19]).toBe(0) // second tile, black
    const labelRow = 1 + 2 + 1 // top + h + 1: the first row of the digit bitmap
    expect(grid.pixels[labelRow * grid.width + 1 + 1]).toBe(255) // "1": middle bit of 0b010
  })
})
