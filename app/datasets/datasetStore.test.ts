import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { DATASETS_STORE, LAB_DATABASE } from '../../nodes/data/imageFolder/stored'
import { createLabDatabase, LAB_DATABASE_NAME, type DatasetRecord } from '../storage/labDatabase'
import { createDatasetStore, datasetNameProblem, newDatasetId, summarize } from './datasetStore'

const open = () => createLabDatabase('latent-lab', { indexedDB: new IDBFactory(), IDBKeyRange })

const record = (id: string, createdAt: number): DatasetRecord => ({
  id,
  name: `set ${id}`,
  createdAt,
  width: 2,
  height: 2,
  channels: 3,
  labels: ['a', 'b'],
  countsPerLabel: [1, 2],
  pixels: new Blob([new Uint8Array(36)]),
})

describe('dataset store', () => {
  it('is where the worker looks: the same database and table', () => {
    expect(LAB_DATABASE).toBe(LAB_DATABASE_NAME)
    expect(open().tables.map((table) => table.name)).toContain(DATASETS_STORE)
  })

  it('adds, lists newest first without pixels, renames and deletes', async () => {
    const store = createDatasetStore(open())
    await store.add(record('ds-1', 1))
    await store.add(record('ds-2', 2))
    const list = await store.list()
    expect(list.map((entry) => entry.id)).toEqual(['ds-2', 'ds-1'])
    expect(list[0]).toMatchObject({ count: 3, bytes: 36, ref: 'ds-2@2x2x3/2' })
    expect(list[0]).not.toHaveProperty('pixels')
    await store.rename('ds-1', '  Pets  ')
    expect((await store.get('ds-1'))?.name).toBe('Pets')
    await expect(store.rename('ds-1', ' ')).rejects.toThrow('A dataset needs a name')
    await expect(store.rename('ds-9', 'x')).rejects.toThrow('That dataset is no longer here')
    await store.delete('ds-1')
    expect((await store.list()).map((entry) => entry.id)).toEqual(['ds-2'])
  })

  it('writes nothing when the add fails', async () => {
    const store = createDatasetStore(open())
    await store.add(record('ds-1', 1))
    await expect(store.add({ ...record('ds-1', 2), name: 'again' })).rejects.toThrow(
      "The browser's storage failed while saving the dataset “again”",
    )
    expect((await store.list()).map((entry) => entry.name)).toEqual(['set ds-1'])
  })

  it('makes ids a reference can hold and checks names', () => {
    expect(newDatasetId(() => 0.5)).toBe('ds-ssssssssss')
    expect(newDatasetId()).toMatch(/^ds-[a-z0-9]{10}$/)
    expect(datasetNameProblem('x'.repeat(81))).toBe('A dataset name has at most 80 characters')
    expect(summarize(record('ds-1', 1)).ref).toBe('ds-1@2x2x3/2')
  })
})
