/** A uniform generator on [0, 1): the shape `Math.random` has, so libraries can take it. */
export type RandomFn = () => number

/**
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator, fast and good enough
 * for sampling pairs, latents and layouts in the views. The seed is taken modulo 2³²
 * (`seed >>> 0`), so seeds that differ only above 32 bits or in their fraction give the same
 * stream. Each call returns a fresh, independent generator.
 */
export function mulberry32(seed: number): RandomFn {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A uniform integer in [0, bound) for bounds up to 2⁵³. Two draws give 53 random bits, so
 * bounds above 2³² (pair indices of large sets) are still reached evenly.
 */
export function uniformInt(random: RandomFn, bound: number): number {
  if (!Number.isSafeInteger(bound) || bound < 1)
    throw new RangeError(`uniformInt needs a safe integer bound ≥ 1, got ${bound}`)
  const high = Math.floor(random() * 2 ** 26)
  const low = Math.floor(random() * 2 ** 27)
  // (high·2²⁷ + low) / 2⁵³ is exact in a double and lies in [0, 1); the product can still round
  // up to `bound` near 2⁵³, hence the clamp.
  return Math.min(bound - 1, Math.floor(((high * 2 ** 27 + low) / 2 ** 53) * bound))
}
