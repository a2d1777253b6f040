import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { decodeImageFolder } from '../../nodes/data/imageFolder/format'
import { loadDataset } from '../../workers/datasetResources'
import { createLabDatabase } from '../storage/labDatabase'
import { createDatasetStore, DatasetStoreError, type DatasetStore } from './datasetStore'
import type { ImageDecoder } from './decodeImage'
import { importDataset, type ImportSettings } from './importDataset'
import type { ImportSource } from './zipSource'

/** A file whose first byte is its "colour"; 0xff marks a corrupt file. */
const file = (path: string, colour: number): ImportSource => ({
  path,
  size: 10,
  read: () => Promise.resolve(new Blob([Uint8Array.from([colour, 1, 2])])),
})

/** Decodes a fake file to a 4×4 image of its colour; rejects corrupt ones like the canvas does. */
const decode: ImageDecoder = async (blob) => {
  const [colour = 0] = new Uint8Array(await blob.arrayBuffer())
  if (colour === 0xff) throw new Error('not a readable image')
  return new Uint8Array(16).fill(colour)
}

const SETTINGS: ImportSettings = { name: 'pets', size: 4 as 16, channels: 1, root: 'picked' }

function setup() {
  const indexedDB = new IDBFactory()
  const store = createDatasetStore(createLabDatabase('latent-lab', { indexedDB, IDBKeyRange }))
  return { indexedDB, store }
}

const deps = (store: DatasetStore) => ({
  store,
  decode,
  newId: () => 'ds-test',
  now: () => 5,
})

describe('importDataset', () => {
  it('imports labelled images, skips and reports the corrupt and unsupported ones', async () => {
    const { indexedDB, store } = setup()
    const sources = [
      file('pets/dog/d1.png', 30),
      file('pets/cat/c2.png', 11),
      file('pets/cat/broken.png', 0xff),
      file('pets/cat/c1.png', 10),
      file('pets/readme.txt', 0),
      file('pets/fish/only-broken.jpg', 0xff),
    ]
    const progress: number[] = []
    const result = await importDataset(sources, SETTINGS, {
      ...deps(store),
      onProgress: ({ done }) => progress.push(done),
    })
    if (!result.ok) throw new Error(result.message)
    // fish had only a corrupt image: the label is dropped.
    expect(result.dataset).toMatchObject({
      id: 'ds-test',
      name: 'pets',
      labels: ['cat', 'dog'],
      countsPerLabel: [2, 1],
      count: 3,
      ref: 'ds-test@4x4x1/2',
    })
    expect(result.skipped).toEqual([
      { path: 'pets/cat/broken.png', reason: 'not a readable image' },
      { path: 'pets/fish/only-broken.jpg', reason: 'not a readable image' },
      {
        path: 'pets/readme.txt',
        reason: 'not an image file (PNG, JPEG, GIF, BMP, WebP, AVIF)',
      },
    ])
    expect(progress).toEqual([1, 2, 3, 4, 5])

    // The worker reads it back in the node's format: grouped by label, sorted by path.
    const data = decodeImageFolder(await loadDataset('ds-test', { indexedDB }))
    expect(data.labelNames).toEqual(['cat', 'dog'])
    expect([...data.labels]).toEqual([0, 0, 1])
    expect([0, 1, 2].map((image) => data.pixels[image * 16])).toEqual([10, 11, 30])
  })

  it('refuses a dataset over the limits before reading or writing anything', async () => {
    const { store } = setup()
    let reads = 0
    const sources = Array.from({ length: 20_001 }, (_, index) => ({
      ...file(`p/a/${index}.png`, 1),
      read: () => {
        reads++
        return Promise.resolve(new Blob([]))
      },
    }))
    const result = await importDataset(sources, SETTINGS, deps(store))
    expect(result).toMatchObject({ ok: false })
    expect(!result.ok && result.message).toContain('a dataset holds at most 20,000')
    expect(reads).toBe(0)
    expect(await store.list()).toEqual([])
  })

  it('writes nothing when the write fails', async () => {
    const { store } = setup()
    const failing: DatasetStore = {
      ...store,
      add: () => Promise.reject(new DatasetStoreError("The browser's storage is full")),
    }
    const result = await importDataset([file('p/a/1.png', 1)], SETTINGS, deps(failing))
    expect(result).toEqual({ ok: false, message: "The browser's storage is full", skipped: [] })
    expect(await store.list()).toEqual([])
  })

  it('writes nothing when no image can be read, or when cancelled', async () => {
    const { store } = setup()
    const broken = await importDataset(
      [file('p/a/1.png', 0xff), file('p/b/2.png', 0xff)],
      SETTINGS,
      deps(store),
    )
    expect(!broken.ok && broken.message).toBe(
      'None of the 2 images could be read: nothing was imported.',
    )
    const controller = new AbortController()
    const cancelled = await importDataset(
      Array.from({ length: 20 }, (_, index) => file(`p/a/${index}.png`, 1)),
      SETTINGS,
      {
        ...deps(store),
        signal: controller.signal,
        onProgress: ({ done }) => {
          if (done === 3) controller.abort()
        },
      },
    )
    expect(!cancelled.ok && cancelled.message).toBe('Import cancelled: nothing was imported.')
    expect(await store.list()).toEqual([])
  })

  it('says when there are no images at all', async () => {
    const { store } = setup()
    const result = await importDataset([file('p/notes.txt', 0)], SETTINGS, deps(store))
    expect(!result.ok && result.message).toBe(
      'No PNG, JPEG, GIF, BMP, WebP or AVIF images were found: nothing was imported.',
    )
    expect(!result.ok && result.skipped.length).toBe(1)
    const empty = await importDataset([], SETTINGS, deps(store))
    expect(!empty.ok && empty.message).toBe('The folder is empty: nothing was imported.')
  })
})
