import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packMnistPackage } from '../../../tooling/mnistAsset'
import { decodeMnist } from './format'
import { MNIST_PACKAGE_SIDE, packMnistDigits, parseDigitFile } from './pack'

const AREA = MNIST_PACKAGE_SIDE * MNIST_PACKAGE_SIDE

describe('packMnistDigits', () => {
  it('turns intensities into bytes and numbers images digit by digit', () => {
    const digits = Array.from({ length: 10 }, (_, digit) =>
      new Array<number>(AREA * (digit === 3 ? 2 : 1)).fill(digit === 3 ? 0.502 : 1),
    )
    const decoded = decodeMnist(packMnistDigits(digits))
    expect(decoded.count).toBe(11)
    expect([...decoded.labels]).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9])
    expect(decoded.pixels[0]).toBe(255)
    expect(decoded.pixels[3 * AREA]).toBe(128) // round(0.502 · 255)
  })

  it('refuses lists that are not whole images of intensities', () => {
    const full = () => Array.from({ length: 10 }, () => new Array<number>(AREA).fill(0))
    expect(() => packMnistDigits(full().slice(1))).toThrow('needs 10 digit lists, got 9')
    const ragged = full()
    ragged[4] = [0, 1]
    expect(() => packMnistDigits(ragged)).toThrow('digit 4 has 2 values, not a multiple of 784')
    const bright = full()
    bright[2] = new Array<number>(AREA).fill(2)
    expect(() => packMnistDigits(bright)).toThrow('digit 2 has the value 2; intensities are 0–1')
  })

  it('refuses a digit file without data', () => {
    expect(() => parseDigitFile('{"images": []}', 5)).toThrow('mnist digit file 5 has no "data"')
  })
})

describe('the packed mnist package', () => {
  it('holds 10,000 28×28 images labelled 0–9, losslessly', async () => {
    const bytes = await packMnistPackage()
    const data = decodeMnist(bytes)
    expect(data.count).toBe(10_000)
    expect([data.width, data.height]).toEqual([28, 28])
    expect(bytes.length).toBe(16 + 10_000 * 784 + 10_000)
    const counts = new Array<number>(10).fill(0)
    for (const label of data.labels) counts[label] = (counts[label] ?? 0) + 1
    expect(counts.every((count) => count > 800)).toBe(true)
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(10_000)
    // The package stores v/255 rounded to 3 decimals: the byte gives back every value.
    const folder = dirname(createRequire(import.meta.url).resolve('mnist/package.json'))
    const seven = parseDigitFile(await readFile(join(folder, 'src/digits/7.json'), 'utf8'), 7)
    const firstSeven = data.labels.indexOf(7)
    for (let pixel = 0; pixel < seven.length; pixel += 97) {
      const byte = data.pixels[firstSeven * 784 + pixel] ?? -1
      expect(Math.round((byte / 255) * 1000) / 1000).toBe(seven[pixel])
    }
  })
})
