import { describe, expect, it } from 'vitest'
import { datasetLimitProblem, formatBytes, packedBytes } from './limits'

describe('dataset limits', () => {
  it('lets a dataset within both limits through', () => {
    expect(datasetLimitProblem(20_000, 32, 1)).toBeUndefined()
    expect(packedBytes(20_000, 32, 1)).toBe(20_480_000)
    // 64×64 RGB is 12 KB an image: 5,461 fit in 64 MB.
    expect(datasetLimitProblem(5_461, 64, 3)).toBeUndefined()
  })

  it('refuses too many images, saying how many are allowed', () => {
    expect(datasetLimitProblem(20_001, 16, 1)).toBe(
      'This import has 20,001 images; a dataset holds at most 20,000. Nothing was imported: import a smaller folder, or split it into several datasets.',
    )
  })

  it('refuses too many bytes, suggesting a smaller size or grayscale', () => {
    expect(datasetLimitProblem(6_000, 64, 3)).toBe(
      '6,000 images at 64×64 RGB take 70.3 MB; a dataset holds at most 64 MB. Nothing was imported: pick a smaller size or grayscale, or import fewer images.',
    )
  })

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(12_288)).toBe('12 KB')
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB')
  })
})
