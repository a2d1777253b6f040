import { describe, expect, it } from 'vitest'
import {
  decodeMnist,
  encodeMnist,
  MNIST_HEADER_BYTES,
  MnistFormatError,
  type MnistData,
} from './format'

/** Three 2×3 images with labels 7, 0, 9. */
const sample = (): MnistData => ({
  count: 3,
  width: 2,
  height: 3,
  pixels: Uint8Array.from({ length: 18 }, (_, index) => index * 14),
  labels: Uint8Array.from([7, 0, 9]),
})

/** A packed sample with bytes overwritten from `offset` (header fields are little-endian). */
function patched(offset: number, ...values: number[]): Uint8Array {
  const bytes = encodeMnist(sample())
  bytes.set(values, offset)
  return bytes
}

describe('packed MNIST format', () => {
  it('round-trips pixels and labels through a 16-byte header', () => {
    const bytes = encodeMnist(sample())
    expect(bytes.length).toBe(MNIST_HEADER_BYTES + 18 + 3)
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('LLMN')
    const decoded = decodeMnist(bytes)
    expect(decoded.count).toBe(3)
    expect(decoded.width).toBe(2)
    expect(decoded.height).toBe(3)
    expect([...decoded.pixels]).toEqual([...sample().pixels])
    expect([...decoded.labels]).toEqual([7, 0, 9])
  })

  it('reads a file that sits inside a larger buffer', () => {
    const bytes = encodeMnist(sample())
    const padded = new Uint8Array(bytes.length + 5)
    padded.set(bytes, 5)
    expect([...decodeMnist(padded.subarray(5)).labels]).toEqual([7, 0, 9])
  })

  it.each([
    ['a short file', () => new Uint8Array(10), 'is 10 bytes, shorter than its 16-byte header'],
    [
      'a wrong magic',
      () => patched(0, 0x50),
      'does not start with "LLMN": this is not a packed MNIST file',
    ],
    [
      'a newer version',
      () => patched(4, 2, 0, 0, 0),
      'is format version 2; this build reads version 1',
    ],
    ['no images', () => patched(8, 0, 0, 0, 0), 'header says 0 images'],
    ['a zero width', () => patched(12, 0, 0), 'header says images are 0×3'],
    [
      'a count larger than the data',
      () => patched(8, 4, 0, 0, 0),
      'is 37 bytes, but its header (4 images of 2×3) needs 44: the file is truncated',
    ],
    [
      'trailing bytes',
      () => {
        const bytes = encodeMnist(sample())
        const longer = new Uint8Array(bytes.length + 1)
        longer.set(bytes)
        return longer
      },
      'needs 37: the file is corrupt',
    ],
    [
      'a label that is not a digit',
      () => {
        const bytes = encodeMnist(sample())
        bytes[bytes.length - 2] = 12
        return bytes
      },
      'gives image 1 the label 12; labels are digits 0–9',
    ],
  ])('refuses %s with a clear error', (_case, bytes, message) => {
    expect(() => decodeMnist(bytes())).toThrow(MnistFormatError)
    expect(() => decodeMnist(bytes())).toThrow(message)
  })

  it('refuses to pack parts that do not fit together', () => {
    expect(() => encodeMnist({ ...sample(), labels: new Uint8Array(2) })).toThrow(
      'has 2 labels for 3 images',
    )
    expect(() => encodeMnist({ ...sample(), pixels: new Uint8Array(17) })).toThrow(
      'has 17 pixels; 3 images of 2×3 need 18',
    )
  })
})
