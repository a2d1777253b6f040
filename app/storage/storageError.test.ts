import { Dexie } from 'dexie'
import { describe, expect, it } from 'vitest'
import { isStorageError, StorageError, toStorageError } from './storageError'

const dom = (name: string, message = `${name} happened.`) => new DOMException(message, name)

describe('toStorageError', () => {
  it.each([
    ['a bare DOMException', dom('QuotaExceededError')],
    ["Dexie's own class", new Dexie.QuotaExceededError('full')],
    [
      'an aborted transaction around it',
      new Dexie.AbortError('aborted', dom('QuotaExceededError')),
    ],
    ['a standard cause chain', new Error('write failed', { cause: dom('QuotaExceededError') })],
  ])('finds a full disk in %s', (_label, cause) => {
    const error = toStorageError(cause, 'saving “G”')
    expect(error.code).toBe('QUOTA_EXCEEDED')
    expect(error.message).toMatch(
      /^Your browser's storage is full: saving “G” failed; nothing was changed\. Export the graph as JSON to keep it\./,
    )
    expect(error.cause).toBe(cause)
  })

  it('names missing IndexedDB', () => {
    const error = toStorageError(new Dexie.MissingAPIError('IndexedDB API missing'), 'saving “G”')
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toMatch(/IndexedDB is missing/)
  })

  it('tells a failed open (with its reason) from a connection closed under us', () => {
    const failed = toStorageError(
      new Dexie.DatabaseClosedError(
        new Dexie.OpenFailedError(dom('InvalidStateError', 'A mutation operation was attempted.')),
      ),
      'reading the library',
    )
    expect(failed.message).toMatch(
      /^The browser's storage could not be opened \(A mutation operation was attempted\): reading the library failed/,
    )
    const closed = toStorageError(
      new Dexie.DatabaseClosedError('Database has been closed'),
      'reading the library',
    )
    expect(closed.message).toMatch(/another tab.*reload this page\.$/)
    const newer = toStorageError(
      new Dexie.OpenFailedError(dom('VersionError')),
      'reading the library',
    )
    expect(newer.message).toMatch(/newer Latent Lab/)
  })

  it('keeps an unknown failure as UNAVAILABLE with its reason', () => {
    const error = toStorageError(new TypeError('weird.'), 'renaming “G”')
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message:
        "The browser's storage failed while renaming “G” (weird); nothing was changed. Export the graph as JSON to keep it.",
    })
    expect(toStorageError('bare string', 'x').message).toMatch(/\(bare string\)/)
    expect(toStorageError(undefined, 'x').message).toMatch(/\(unknown error\)/)
  })

  it('passes a StorageError through and survives a cyclic chain', () => {
    const original = new StorageError('NOT_FOUND', 'Gone.')
    expect(toStorageError(original, 'x')).toBe(original)
    const cyclic = new Error('loop') as Error & { inner?: unknown }
    cyclic.inner = cyclic
    expect(toStorageError(cyclic, 'x').code).toBe('UNAVAILABLE')
    expect(isStorageError(original)).toBe(true)
    expect(isStorageError(new Error('no'))).toBe(false)
  })
})
