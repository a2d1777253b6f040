import { describe, expect, it } from 'vitest'
import {
  decodeImageFolder,
  encodeImageFolder,
  IMAGE_FOLDER_HEADER_BYTES,
  ImageFolderFormatError,
  labelsFromCounts,
  type ImageFolderData,
} from './format'

/** Three 2×1 RGB images labelled "cat", "dög", "cat". */
const sample = (): ImageFolderData => ({
  width: 2,
  height: 1,
  channels: 3,
  labelNames: ['cat', 'dög'],
  labels: Int32Array.from([0, 1, 0]),
  pixels: Uint8Array.from({ length: 18 }, (_, index) => index * 14),
})

describe('packed image-folder format', () => {
  it('round-trips names, labels and pixels, the labels 4-byte aligned', () => {
    const bytes = encodeImageFolder(sample())
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('LLIF')
    const names = new TextEncoder().encode('["cat","dög"]').length
    const labelsAt = Math.ceil((IMAGE_FOLDER_HEADER_BYTES + names) / 4) * 4
    expect(bytes.length).toBe(labelsAt + 3 * 4 + 18)
    const decoded = decodeImageFolder(bytes)
    expect(decoded.labelNames).toEqual(['cat', 'dög'])
    expect([...decoded.labels]).toEqual([0, 1, 0])
    expect([...decoded.pixels]).toEqual([...sample().pixels])
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([2, 1, 3])
  })

  it('reads a file that sits at an odd offset inside a larger buffer', () => {
    const bytes = encodeImageFolder(sample())
    const outer = new Uint8Array(bytes.length + 3)
    outer.set(bytes, 1)
    const decoded = decodeImageFolder(outer.subarray(1, 1 + bytes.length))
    expect([...decoded.labels]).toEqual([0, 1, 0])
    expect(decoded.pixels[17]).toBe(17 * 14)
  })

  it('gives images stored grouped by label their labels', () => {
    expect([...labelsFromCounts([2, 0, 3])]).toEqual([0, 0, 2, 2, 2])
    expect(labelsFromCounts([])).toEqual(new Int32Array(0))
  })

  it.each([
    [
      'a short file',
      (bytes: Uint8Array) => bytes.subarray(0, 10),
      'shorter than its 28-byte header',
    ],
    [
      'another magic',
      (bytes: Uint8Array) => Uint8Array.from([77, ...bytes.subarray(1)]),
      'does not start with "LLIF"',
    ],
    [
      'a newer version',
      (bytes: Uint8Array) => Uint8Array.from([...bytes.subarray(0, 4), 2, ...bytes.subarray(5)]),
      'is format version 2',
    ],
    ['a truncated file', (bytes: Uint8Array) => bytes.subarray(0, bytes.length - 1), 'truncated'],
    [
      'a label out of range',
      (bytes: Uint8Array) => {
        const copy = Uint8Array.from(bytes)
        const labelsAt = copy.length - 18 - 12
        copy[labelsAt + 4] = 7
        return copy
      },
      'gives image 1 the label 7; labels are 0…1',
    ],
  ])('refuses %s', (_name, damage, message) => {
    const bytes = damage(encodeImageFolder(sample()))
    expect(() => decodeImageFolder(bytes)).toThrow(ImageFolderFormatError)
    expect(() => decodeImageFolder(bytes)).toThrow(message)
  })

  it('refuses to pack parts that do not fit', () => {
    expect(() => encodeImageFolder({ ...sample(), pixels: new Uint8Array(5) })).toThrow(
      'has 5 pixel bytes; 3 images of 2×1×3 need 18',
    )
    expect(() => encodeImageFolder({ ...sample(), labels: Int32Array.from([0, 2, 0]) })).toThrow(
      'gives image 1 the label 2',
    )
    expect(() =>
      encodeImageFolder({ ...sample(), labels: new Int32Array(0), pixels: new Uint8Array(0) }),
    ).toThrow('needs at least 1')
  })
})
