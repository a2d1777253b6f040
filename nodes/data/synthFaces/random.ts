/**
 * Seeded randomness for SynthFaces. Everything the generator draws comes from here, never from
 * `Math.random`: a photo is a pure function of (dataset seed, identity, photo), so the same
 * seed gives byte-identical images in the browser, the worker and the CLI.
 *
 * - {@link hashSeed} folds a list of integers into one 32-bit seed (murmur3's finaliser after
 *   each part), so streams for different purposes and indices never share state.
 * - {@link Rng} is mulberry32 (Tommy Ettinger, public domain): 32 bits of state, fast, and good
 *   enough for procedural content.
 */

/** Murmur3's 32-bit finaliser: every input bit flips about half of the output bits. */
export function mix32(value: number): number {
  let h = value | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * One unsigned 32-bit seed from integer parts (a dataset seed, a stream tag, an identity, a
 * photo). Order matters; parts are taken modulo 2³².
 */
export function hashSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9
  for (const part of parts) h = mix32((h ^ mix32(part)) + 0x6d2b79f5)
  return h
}

/** A mulberry32 generator with the draws the generator needs. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform on [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform on [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.next()
  }

  /** Uniform integer in [0, bound) for bounds up to 2³². */
  int(bound: number): number {
    return Math.floor(this.next() * bound)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** Approximately N(0, 1): the sum of four uniforms, rescaled (bounded by ±3.46). */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508075688772
  }
}

/**
 * `count` distinct integers of [0, bound), in the order drawn (Floyd's algorithm, so the cost
 * is O(count) whatever the bound). Throws when count > bound.
 */
export function distinctInts(rng: Rng, count: number, bound: number): number[] {
  if (count > bound) throw new RangeError(`cannot draw ${count} distinct values below ${bound}`)
  const chosen = new Set<number>()
  const order: number[] = []
  for (let j = bound - count; j < bound; j++) {
    const candidate = rng.int(j + 1)
    const value = chosen.has(candidate) ? j : candidate
    chosen.add(value)
    order.push(value)
  }
  // Floyd's draw is not uniformly ordered (j tends to come late); shuffle to fix that.
  for (let i = order.length - 1; i > 0; i--) {
    const k = rng.int(i + 1)
    const a = order[i] ?? 0
    order[i] = order[k] ?? 0
    order[k] = a
  }
  return order
}
