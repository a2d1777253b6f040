import { describe, expect, it } from 'vitest'
import { createProbeCache, withProbe } from './probeCache'
import type { Probe } from './probes'

/** A probe that counts its disposals; predictions are not needed here. */
function countingProbe() {
  const probe = {
    disposed: 0,
    predict: () => Promise.resolve(new Float32Array(0)),
    dispose() {
      probe.disposed++
    },
  }
  return probe satisfies Probe
}

describe('createProbeCache', () => {
  it('trains each key once and disposes every probe with the cache', async () => {
    const cache = createProbeCache()
    const probes: ReturnType<typeof countingProbe>[] = []
    const train = (score: number) => () => {
      const probe = countingProbe()
      probes.push(probe)
      return Promise.resolve({ probe, score })
    }
    const first = await cache.get('digits', train(1))
    const again = await cache.get('digits', train(2))
    const other = await cache.get('smile', train(3))
    expect([first.score, again.score, other.score]).toEqual([1, 1, 3])
    expect(probes).toHaveLength(2)
    expect(probes.map((probe) => probe.disposed)).toEqual([0, 0])
    await cache.dispose()
    expect(probes.map((probe) => probe.disposed)).toEqual([1, 1])
  })

  it('shares one training between calls that overlap', async () => {
    const cache = createProbeCache()
    let trainings = 0
    const train = async () => {
      trainings++
      await Promise.resolve()
      return { probe: countingProbe() }
    }
    const [a, b] = await Promise.all([cache.get('k', train), cache.get('k', train)])
    expect(trainings).toBe(1)
    expect(a).toBe(b)
    await cache.dispose()
  })

  it('does not keep a failed training', async () => {
    const cache = createProbeCache()
    await expect(cache.get('k', () => Promise.reject(new Error('out of memory')))).rejects.toThrow(
      'out of memory',
    )
    const probe = countingProbe()
    expect((await cache.get('k', () => Promise.resolve({ probe }))).probe).toBe(probe)
    await cache.dispose()
    expect(probe.disposed).toBe(1)
  })
})

describe('withProbe', () => {
  it('disposes a probe it trained for the call, also when the call fails', async () => {
    const probe = countingProbe()
    const used = await withProbe(
      undefined,
      'k',
      () => Promise.resolve({ probe }),
      () => Promise.resolve('read'),
    )
    expect(used).toBe('read')
    expect(probe.disposed).toBe(1)
    const failing = countingProbe()
    await expect(
      withProbe(
        undefined,
        'k',
        () => Promise.resolve({ probe: failing }),
        () => Promise.reject(new Error('bad samples')),
      ),
    ).rejects.toThrow('bad samples')
    expect(failing.disposed).toBe(1)
  })

  it('leaves a cached probe to the cache', async () => {
    const cache = createProbeCache()
    const probe = countingProbe()
    for (let call = 0; call < 2; call++) {
      await withProbe(
        cache,
        'k',
        () => Promise.resolve({ probe }),
        () => Promise.resolve(),
      )
    }
    expect(probe.disposed).toBe(0)
    await cache.dispose()
    expect(probe.disposed).toBe(1)
  })
})
