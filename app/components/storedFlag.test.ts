import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadFlag, saveFlag } from './storedFlag'

/** The part of Storage the flags use, over a Map. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, value),
    removeItem: (key) => items.delete(key),
  }
}

describe('stored flags', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('are off until set, and set or cleared between visits', () => {
    const localStorage = memoryStorage()
    vi.stubGlobal('window', { localStorage })
    expect(loadFlag('latent-lab.test')).toBe(false)
    saveFlag('latent-lab.test', true)
    expect(localStorage.getItem('latent-lab.test')).toBe('1')
    expect(loadFlag('latent-lab.test')).toBe(true)
    saveFlag('latent-lab.test', false)
    expect(localStorage.getItem('latent-lab.test')).toBeNull()
    expect(loadFlag('latent-lab.test')).toBe(false)
  })

  it('read as off and save nothing where storage refuses', () => {
    const refuse = () => {
      throw new Error('SecurityError: storage is disabled')
    }
    vi.stubGlobal('window', {
      localStorage: { getItem: refuse, setItem: refuse, removeItem: refuse },
    })
    expect(loadFlag('latent-lab.test')).toBe(false)
    expect(() => {
      saveFlag('latent-lab.test', true)
    }).not.toThrow()
  })
})
