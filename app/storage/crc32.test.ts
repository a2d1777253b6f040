import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('crc32', () => {
  it('gives the published check values of CRC-32/ISO-HDLC', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339)
  })

  it('changes with every single-bit flip of a short text', () => {
    const text = bytes('{"format":"latent-lab.graph"}')
    const original = crc32(text)
    for (let bit = 0; bit < text.length * 8; bit++) {
      const flipped = text.slice()
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      expect(crc32(flipped), `bit ${bit}`).not.toBe(original)
    }
  })
})
