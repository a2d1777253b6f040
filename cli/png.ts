/**
 * A minimal PNG writer (8-bit grayscale or RGB, no interlace) on Node's zlib, for sample grids
 * made by the CLI. Pixels are row-major bytes, `channels` per pixel.
 */
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  Buffer.from(data).copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

export function encodePng(
  width: number,
  height: number,
  channels: 1 | 3,
  pixels: Uint8Array,
): Buffer {
  if (pixels.length !== width * height * channels) {
    throw new Error(`expected ${width * height * channels} bytes, got ${pixels.length}`)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = channels === 1 ? 0 : 2 // grayscale or truecolour
  const stride = width * channels
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0 // filter: none
    Buffer.from(pixels.buffer, pixels.byteOffset + y * stride, stride).copy(
      raw,
      y * (stride + 1) + 1,
    )
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ])
}

/** 3×5 bitmaps of the digits, one row of three bits per entry, for labels under grid tiles. */
const DIGITS = [
  [7, 5, 5, 5, 7],
  [2, 6, 2, 2, 7],
  [7, 1, 7, 4, 7],
  [7, 1, 3, 1, 7],
  [5, 5, 7, 1, 1],
  [7, 4, 7, 1, 7],
  [7, 4, 7, 5, 7],
  [7, 1, 2, 2, 2],
  [7, 5, 7, 5, 7],
  [7, 5, 7, 1, 7],
]

/** Draws a non-negative integer at (x, y) in white, each bitmap pixel as a 1×1 dot. */
export function drawNumber(
  canvas: Uint8Array,
  width: number,
  channels: number,
  x: number,
  y: number,
  value: number,
): void {
  const digits = Array.from(String(Math.max(0, Math.floor(value))), Number) // ASCII digits only
  for (const [index, digit] of digits.entries()) {
    const rows = DIGITS[digit] ?? []
    rows.forEach((bits, row) => {
      for (let column = 0; column < 3; column++) {
        if (((bits >> (2 - column)) & 1) === 0) continue
        const offset = ((y + row) * width + x + index * 4 + column) * channels
        for (let channel = 0; channel < channels; channel++) canvas[offset + channel] = 255
      }
    })
  }
}

/**
 * Tiles images (values in [0, 1], each [h, w, c] row-major) `columns` to a row with a 1-pixel
 * gap and the label under each tile.
 */
export function labelledGrid(
  images: Float32Array,
  labels: readonly number[],
  size: { height: number; width: number; channels: 1 | 3 },
  columns: number,
): { width: number; height: number; pixels: Uint8Array } {
  const { height: h, width: w, channels: c } = size
  const count = labels.length
  const rows = Math.ceil(count / columns)
  const tileW = Math.max(w, 16) + 2
  const tileH = h + 8
  const width = columns * tileW
  const height = rows * tileH
  const pixels = new Uint8Array(width * height * c)
  for (let index = 0; index < count; index++) {
    const left = (index % columns) * tileW + 1
    const top = Math.floor(index / columns) * tileH + 1
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let channel = 0; channel < c; channel++) {
          const value = images[((index * h + y) * w + x) * c + channel] ?? 0
          pixels[((top + y) * width + left + x) * c + channel] = Math.round(
            Math.min(1, Math.max(0, value)) * 255,
          )
        }
      }
    }
    drawNumber(pixels, width, c, left, top + h + 1, labels[index] ?? 0)
  }
  return { width, height, pixels }
}
