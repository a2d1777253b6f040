import { Dexie } from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { decodeImageFolder } from '../nodes/data/imageFolder/format'
import type { StoredDataset } from '../nodes/data/imageFolder/stored'
import { isDatasetResource, loadDataset, loadDatasetResources } from './datasetResources'

/** Two labels of 2×2 grayscale images: 2 "a", 1 "b". */
const record = (id = 'ds-1'): StoredDataset & { createdAt: number } => ({
  id,
  name: 'shapes',
  createdAt: 1,
  width: 2,
  height: 2,
  channels: 1,
  labels: ['a', 'b'],
  countsPerLabel: [2, 1],
  pixels: Uint8Array.from({ length: 12 }, (_, index) => index).buffer,
})

/** The app's database as its schema declares the datasets table (app/storage/labDatabase.ts). */
async function appDatabase(indexedDB: IDBFactory, ...records: StoredDataset[]) {
  const db = new Dexie('latent-lab', { indexedDB, IDBKeyRange })
  db.version(1).stores({ datasets: 'id, name, createdAt', settings: 'key' })
  await db.table('datasets').bulkAdd(records)
  db.close()
}

describe('dataset resources in the worker', () => {
  it('reads a stored dataset and packs it with a label per image', async () => {
    const indexedDB = new IDBFactory()
    await appDatabase(indexedDB, record())
    const data = decodeImageFolder(await loadDataset('ds-1', { indexedDB }))
    expect(data.labelNames).toEqual(['a', 'b'])
    expect([...data.labels]).toEqual([0, 0, 1])
    expect([...data.pixels]).toEqual(Array.from({ length: 12 }, (_, index) => index))
  })

  it('loads only dataset ids, keyed by resource id', async () => {
    const indexedDB = new IDBFactory()
    await appDatabase(indexedDB, record('ds-1'), record('ds-2'))
    const loaded = await loadDatasetResources(['mnist', 'dataset:ds-2'], { indexedDB })
    expect([...loaded.keys()]).toEqual(['dataset:ds-2'])
    expect(isDatasetResource('dataset:x')).toBe(true)
    expect(isDatasetResource('mnist')).toBe(false)
  })

  it('says a dataset is missing without creating the database', async () => {
    const indexedDB = new IDBFactory()
    await expect(loadDataset('ds-9', { indexedDB })).rejects.toThrow(
      'The imported dataset "ds-9" is not in this browser',
    )
    expect(await indexedDB.databases()).toEqual([])
    await appDatabase(indexedDB, record())
    await expect(loadDataset('ds-9', { indexedDB })).rejects.toThrow('Import the images')
  })

  it('does not hold up an upgrade of the database by the app', async () => {
    const indexedDB = new IDBFactory()
    await appDatabase(indexedDB, record())
    await loadDataset('ds-1', { indexedDB })
    const db = new Dexie('latent-lab', { indexedDB, IDBKeyRange })
    db.version(1).stores({ datasets: 'id, name, createdAt', settings: 'key' })
    db.version(2).stores({ extra: 'id' })
    await db.open()
    expect(db.verno).toBe(2)
    db.close()
  })

  it('names a damaged record', async () => {
    const indexedDB = new IDBFactory()
    await appDatabase(indexedDB, { ...record(), countsPerLabel: [2, 2] })
    await expect(loadDataset('ds-1', { indexedDB })).rejects.toThrow(
      'The dataset "shapes" is damaged',
    )
  })
})
