import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { ZipReadError, zipSources } from './zipSource'

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('zipSources', () => {
  it('lists the files of a zip and inflates them on demand', async () => {
    const zip = zipSync({
      'pets/cat/a.png': bytes(1, 2, 3),
      'pets/dog/b.png': [bytes(4, 5), { level: 0 }],
      'pets/notes.txt': bytes(9),
      'pets/empty/': new Uint8Array(0),
    })
    const sources = zipSources(zip)
    expect(sources.map(({ path, size }) => [path, size])).toEqual([
      ['pets/cat/a.png', 3],
      ['pets/dog/b.png', 2],
      ['pets/notes.txt', 1],
    ])
    const read = async (index: number) => [
      ...new Uint8Array(
        (await (await sources[index]?.read())?.arrayBuffer()) ?? new ArrayBuffer(0),
      ),
    ]
    expect(await read(1)).toEqual([4, 5])
    expect(await read(0)).toEqual([1, 2, 3])
    // A file that is not an image is still readable when asked for.
    expect(await read(2)).toEqual([9])
  })

  it('inflates many images in batches', async () => {
    const entries = Object.fromEntries(
      Array.from({ length: 300 }, (_, index) => [
        `p/l${index % 3}/${index}.png`,
        bytes(index % 256),
      ]),
    )
    const sources = zipSources(zipSync(entries))
    const firsts = await Promise.all(
      sources.map(async (source) => new Uint8Array(await (await source.read()).arrayBuffer())[0]),
    )
    expect(firsts).toEqual(Array.from({ length: 300 }, (_, index) => index % 256))
  })

  it('refuses bytes that are not a zip', () => {
    expect(() => zipSources(bytes(1, 2, 3, 4))).toThrow(ZipReadError)
    expect(() => zipSources(bytes(1, 2, 3, 4))).toThrow(
      'This file is not a zip archive, or it is damaged',
    )
  })

  it('fails only the damaged entry of a damaged zip', async () => {
    const zip = zipSync({ 'a/x.png': new Uint8Array(4000).fill(7), 'a/y.png': bytes(1) })
    // Corrupt the deflate stream of the first entry (its data follows a 30-byte local header
    // and its 7-byte name).
    const damaged = Uint8Array.from(zip)
    damaged.fill(0xff, 37, 45)
    const sources = zipSources(damaged)
    await expect(sources[0]?.read()).rejects.toThrow('damaged in the zip')
    expect([
      ...new Uint8Array((await (await sources[1]?.read())?.arrayBuffer()) ?? new ArrayBuffer(0)),
    ]).toEqual([1])
  })
})
