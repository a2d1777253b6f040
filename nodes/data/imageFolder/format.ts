/**
 * The packed image-folder file (DESIGN §5): one imported dataset — label names, a label per
 * image and the pixels — as the bytes the worker hands `data.imageFolder` for the resource
 * `dataset:<id>`. The app stores a dataset as a `DatasetRecord` (app/storage/labDatabase.ts);
 * the worker reads that record (workers/datasetResources.ts) and packs it with
 * `encodeImageFolder`; the node reads it with `decodeImageFolder`. Shared here because workers/
 * may not import app/. Pure: no Node, no DOM, no TF.js. All numbers little-endian.
 *
 * | offset | size             | field                                                  |
 * | -----: | ---------------- | ------------------------------------------------------ |
 * |      0 | 4                | magic `LLIF`                                           |
 * |      4 | u32              | format version (1)                                     |
 * |      8 | u32              | count: number of images                                |
 * |     12 | u16              | width                                                  |
 * |     14 | u16              | height                                                 |
 * |     16 | u8               | channels: 1 (grayscale) or 3 (RGB)                     |
 * |     17 | 3                | zero                                                   |
 * |     20 | u32              | L: number of labels                                    |
 * |     24 | u32              | N: bytes of the label names                            |
 * |     28 | N                | label names: a UTF-8 JSON array of L strings           |
 * |      … | 0–3              | zero, so the labels start at a multiple of 4           |
 * |      … | count × i32      | labels: the index of each image's name, 0 … L−1        |
 * |      … | count·h·w·c      | pixels, image after image, row-major, channels last    |
 */

export const IMAGE_FOLDER_MAGIC = 'LLIF'
export const IMAGE_FOLDER_FORMAT_VERSION = 1
export const IMAGE_FOLDER_HEADER_BYTES = 28

/** The resource id prefix: `dataset:<id>` is the packed file of the imported dataset `<id>`. */
export const DATASET_RESOURCE_PREFIX = 'dataset:'

/** The resource id of an imported dataset. */
export const datasetResourceId = (id: string): string => `${DATASET_RESOURCE_PREFIX}${id}`

/** One decoded dataset; `labels` and `pixels` may be views into the packed bytes. */
export interface ImageFolderData {
  width: number
  height: number
  channels: 1 | 3
  /** Label names; label `k` of an image names `labelNames[k]`. */
  labelNames: string[]
  /** [count] label indices. */
  labels: Int32Array
  /** [count, height, width, channels] bytes, 0–255. */
  pixels: Uint8Array
}

/** Thrown for bytes that are not a packed image folder this version reads. */
export class ImageFolderFormatError extends Error {
  override name = 'ImageFolderFormatError'
}

const fail = (problem: string): never => {
  throw new ImageFolderFormatError(`The imported dataset ${problem}`)
}

/** Bytes per image. */
export const imageBytes = (data: Pick<ImageFolderData, 'width' | 'height' | 'channels'>) =>
  data.width * data.height * data.channels

/** The labels of images stored grouped by label: `counts[k]` images of label k, then k+1. */
export function labelsFromCounts(counts: readonly number[]): Int32Array {
  const total = counts.reduce((sum, count) => sum + count, 0)
  const labels = new Int32Array(total)
  let at = 0
  counts.forEach((count, label) => {
    labels.fill(label, at, at + count)
    at += count
  })
  return labels
}

/** Packs a dataset into the format above. Throws when the parts do not fit together. */
export function encodeImageFolder(data: ImageFolderData): Uint8Array {
  const count = data.labels.length
  checkHeader(count, data.width, data.height, data.channels, data.labelNames.length)
  if (data.pixels.length !== count * imageBytes(data))
    fail(
      `has ${data.pixels.length} pixel bytes; ${count} images of ${data.width}×${data.height}×${data.channels} need ${count * imageBytes(data)}`,
    )
  checkLabels(data.labels, data.labelNames.length)
  const names = new TextEncoder().encode(JSON.stringify(data.labelNames))
  const labelsAt = align4(IMAGE_FOLDER_HEADER_BYTES + names.length)
  const pixelsAt = labelsAt + count * 4
  const bytes = new Uint8Array(pixelsAt + data.pixels.length)
  const view = new DataView(bytes.buffer)
  for (let index = 0; index < IMAGE_FOLDER_MAGIC.length; index++)
    bytes[index] = IMAGE_FOLDER_MAGIC.charCodeAt(index)
  view.setUint32(4, IMAGE_FOLDER_FORMAT_VERSION, true)
  view.setUint32(8, count, true)
  view.setUint16(12, data.width, true)
  view.setUint16(14, data.height, true)
  view.setUint8(16, data.channels)
  view.setUint32(20, data.labelNames.length, true)
  view.setUint32(24, names.length, true)
  bytes.set(names, IMAGE_FOLDER_HEADER_BYTES)
  data.labels.forEach((label, index) => {
    view.setInt32(labelsAt + index * 4, label, true)
  })
  bytes.set(data.pixels, pixelsAt)
  return bytes
}

/**
 * Reads a packed image folder, checking the magic, the version, the header, the names, the
 * length and every label. Throws an `ImageFolderFormatError` saying what is wrong.
 */
export function decodeImageFolder(bytes: Uint8Array): ImageFolderData {
  if (bytes.length < IMAGE_FOLDER_HEADER_BYTES)
    fail(`is ${bytes.length} bytes, shorter than its ${IMAGE_FOLDER_HEADER_BYTES}-byte header`)
  const magic = String.fromCharCode(...bytes.subarray(0, IMAGE_FOLDER_MAGIC.length))
  if (magic !== IMAGE_FOLDER_MAGIC)
    fail(`does not start with "${IMAGE_FOLDER_MAGIC}": these are not packed images`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(4, true)
  if (version !== IMAGE_FOLDER_FORMAT_VERSION)
    fail(`is format version ${version}; this build reads version ${IMAGE_FOLDER_FORMAT_VERSION}`)
  const count = view.getUint32(8, true)
  const width = view.getUint16(12, true)
  const height = view.getUint16(14, true)
  const channels = view.getUint8(16)
  const labelCount = view.getUint32(20, true)
  const namesLength = view.getUint32(24, true)
  checkHeader(count, width, height, channels, labelCount)
  const labelsAt = align4(IMAGE_FOLDER_HEADER_BYTES + namesLength)
  const pixelsAt = labelsAt + count * 4
  const expected = pixelsAt + count * width * height * channels
  if (bytes.length !== expected) {
    fail(
      `is ${bytes.length} bytes, but its header (${count} images of ${width}×${height}×${channels}) needs ${expected}: the data is ${bytes.length < expected ? 'truncated' : 'corrupt'}`,
    )
  }
  const labelNames = parseNames(
    bytes.subarray(IMAGE_FOLDER_HEADER_BYTES, IMAGE_FOLDER_HEADER_BYTES + namesLength),
    labelCount,
  )
  // A view when the labels are 4-byte aligned in the buffer, else one copy.
  const labelBytes = bytes.subarray(labelsAt, pixelsAt)
  const labels =
    labelBytes.byteOffset % 4 === 0 && isLittleEndian()
      ? new Int32Array(labelBytes.buffer, labelBytes.byteOffset, count)
      : Int32Array.from({ length: count }, (_, index) => view.getInt32(labelsAt + index * 4, true))
  checkLabels(labels, labelCount)
  return {
    width,
    height,
    channels: channels === 3 ? 3 : 1,
    labelNames,
    labels,
    pixels: bytes.subarray(pixelsAt, expected),
  }
}

const align4 = (offset: number) => Math.ceil(offset / 4) * 4

const isLittleEndian = () => new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

function parseNames(bytes: Uint8Array, labelCount: number): string[] {
  let names: unknown
  try {
    names = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return fail('has unreadable label names')
  }
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string'))
    return fail('has label names that are not a list of text')
  if (names.length !== labelCount)
    fail(`lists ${names.length} label names; its header says ${labelCount}`)
  return names
}

function checkHeader(
  count: number,
  width: number,
  height: number,
  channels: number,
  labelCount: number,
): void {
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff)
    fail(`holds ${count} images; it needs at least 1`)
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    fail(`has ${width}×${height} images; both sides must be at least 1`)
  if (width > 0xffff || height > 0xffff)
    fail(`has ${width}×${height} images; sides are at most 65535`)
  if (channels !== 1 && channels !== 3) fail(`has ${channels} channels; it must be 1 or 3`)
  if (!Number.isInteger(labelCount) || labelCount < 1) fail('has no labels')
}

function checkLabels(labels: Int32Array, labelCount: number): void {
  const bad = labels.findIndex((label) => label < 0 || label >= labelCount)
  if (bad >= 0)
    fail(`gives image ${bad} the label ${labels[bad] ?? '?'}; labels are 0…${labelCount - 1}`)
}
