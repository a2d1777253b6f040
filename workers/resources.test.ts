import { describe, expect, it, vi } from 'vitest'
import { createResourceLoader } from './resources'

const ok = (bytes: number[]) => new Response(Uint8Array.from(bytes))

describe('worker resource loader', () => {
  it('fetches each needed resource once and hands back its bytes', async () => {
    const fetchResource = vi.fn((url: string | URL | Request) =>
      Promise.resolve(ok(url === '/assets/mnist-abc.bin' ? [1, 2, 3] : [9])),
    )
    const loader = createResourceLoader(
      { mnist: '/assets/mnist-abc.bin', other: '/other.bin' },
      fetchResource,
    )
    const first = await loader.load(['mnist'])
    expect([...(first.get('mnist') ?? [])]).toEqual([1, 2, 3])
    const second = await loader.load(['mnist', 'other'])
    expect([...second.keys()]).toEqual(['mnist', 'other'])
    expect(fetchResource).toHaveBeenCalledTimes(2)
    expect(await loader.load([])).toEqual(new Map())
  })

  it('says which resource failed and why, and tries again next time', async () => {
    const fetchResource = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(new Response(null, { status: 404, statusText: 'Not Found' }))
      .mockRejectedValueOnce(new TypeError('network down'))
      .mockResolvedValueOnce(ok([7]))
    const loader = createResourceLoader({ mnist: '/m.bin' }, fetchResource)
    await expect(loader.load(['mnist'])).rejects.toThrow(
      'Could not load the "mnist" data from /m.bin: HTTP 404 Not Found',
    )
    await expect(loader.load(['mnist'])).rejects.toThrow(
      'Could not load the "mnist" data from /m.bin: network down',
    )
    expect([...((await loader.load(['mnist'])).get('mnist') ?? [])]).toEqual([7])
  })

  it('refuses a resource it has no URL for', async () => {
    const loader = createResourceLoader({}, vi.fn<typeof fetch>())
    await expect(loader.load(['faces'])).rejects.toThrow(
      'The worker cannot load the "faces" data: no URL for it',
    )
  })
})
