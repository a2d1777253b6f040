import { describe, expect, it } from 'vitest'
import { RingBuffer } from './ringBuffer'

describe('RingBuffer', () => {
  it('keeps values in order until full, then overwrites the oldest', () => {
    const ring = new RingBuffer(3)
    ring.push(1)
    ring.push(2)
    expect([...ring.toArray()]).toEqual([1, 2])
    ring.push(3)
    ring.push(4)
    ring.push(5)
    expect(ring.length).toBe(3)
    expect([...ring.toArray()]).toEqual([3, 4, 5])
    expect(ring.at(0)).toBe(3)
    expect(ring.at(2)).toBe(5)
    expect(ring.at(3)).toBeNaN()
    expect(ring.at(-1)).toBeNaN()
  })

  it('clears', () => {
    const ring = new RingBuffer(2)
    ring.push(1)
    ring.clear()
    expect(ring.length).toBe(0)
    expect([...ring.toArray()]).toEqual([])
  })

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError)
    expect(() => new RingBuffer(1.5)).toThrow(RangeError)
  })
})
