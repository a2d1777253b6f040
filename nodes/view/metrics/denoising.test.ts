import { describe, expect, it } from 'vitest'
import { psnr } from './denoising'

describe('psnr', () => {
  it('is 10·log10(peak² / MSE) in dB', () => {
    // MSE 0.01 with peak 1: 10·log10(100) = 20 dB.
    expect(psnr([0, 0, 0, 0], [0.1, 0.1, -0.1, 0.1])).toBeCloseTo(20, 10)
    // MSE (0.5² + 0²)/2 = 0.125 with peak 2: 10·log10(32) ≈ 15.051 dB.
    expect(psnr([0.5, 1], [0, 1], 2)).toBeCloseTo(15.0515, 4)
  })

  it('is null for identical values, none at all, or a non-finite error', () => {
    expect(psnr([0.2, 0.4], [0.2, 0.4])).toBeNull()
    expect(psnr([], [])).toBeNull()
    expect(psnr([NaN], [0])).toBeNull()
  })

  it('refuses values of different lengths', () => {
    expect(() => psnr([1], [1, 2])).toThrow(RangeError)
  })
})
