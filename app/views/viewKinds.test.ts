import { describe, expect, it } from 'vitest'
import type { LatentDecodings, LatentViewData } from '../../nodes/view/latentView'
import type { ReconstructionViewData } from '../../nodes/view/reconstructionView'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import type { VerificationViewData } from '../../nodes/view/verificationView'
import { describeView, formatFar, formatMetric, isImageView, knownView } from './viewKinds'

const verification: VerificationViewData = {
  kind: 'verification',
  rowCount: 40,
  identityCount: 8,
  nonFiniteCount: 0,
  roc: { far: [0, 1], tar: [0, 1] },
  auc: 0.9123,
  tarAtFar: [
    { targetFar: 0.1, tar: 0.75, far: 0.1, threshold: 0.4, isResolved: true },
    { targetFar: 0.01, tar: 0.5, far: 0, threshold: 0.8, isResolved: false },
  ],
  bestAccuracy: { accuracy: 0.8571, threshold: 0.5 },
  identification: { accuracy: 0.6, correct: 3, probeCount: 5, galleryCount: 8 },
  fewShot: { accuracy: null, correct: 0, episodeCount: 0, verificationAuc: null },
  pairs: { genuine: 10, impostor: 770, genuineTotal: 10, impostorTotal: 770, isSampled: false },
}

describe('describeView', () => {
  it('names the verification numbers, unresolved targets as n/a', () => {
    expect(describeView(verification)).toBe(
      'Verification: AUC 0.912, TAR@FAR 10⁻¹ 0.750, TAR@FAR 10⁻² n/a, best-threshold accuracy 0.857, top-1 0.600, on 40 images of 8 identities',
    )
  })

  it('summarises scatter, embeddings, grids and pairs', () => {
    expect(
      describeView({
        kind: 'scatter2d',
        real: [0, 0, 1, 1],
        fake: [0, 1],
        nonFiniteCount: 0,
        bounds: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
        resolution: 2,
        grid: [],
      }),
    ).toBe('2-D scatter: 2 real points and 1 generated point')
    expect(
      describeView({
        kind: 'scatter2d',
        real: [0, 0],
        nonFiniteCount: 0,
        bounds: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
        resolution: 1,
        grid: [0, 0],
        surface: [0.5],
      }),
    ).toBe('2-D scatter: 1 real point over D’s decision surface')
    expect(
      describeView({
        kind: 'embeddings',
        projection: 'pca',
        count: 3,
        points: [0, 0, 1, 1, 2, 2],
        labels: [1, 1, 2],
        explainedVariance: [0.5, 0.25],
        nonFiniteCount: 0,
      }),
    ).toBe('Embedding map (PCA): 3 held-out points of 2 identities, axes keep 75% of the variance')
    const grid = {
      kind: 'images',
      width: 28,
      height: 28,
      channels: 1,
      count: 16,
      columns: 4,
      pixels: [],
    } as const
    expect(describeView({ ...grid, pixels: [] })).toBe('Sample grid: 16 images 28×28')
    expect(
      describeView({
        kind: 'reconstruction',
        count: 1,
        rowCount: 64,
        original: { ...grid, pixels: [] },
        reconstruction: { ...grid, pixels: [] },
        mse: [0.01],
        meanMse: 0.0123,
      }),
    ).toBe('Reconstructions: 1 pair, mean squared error 0.012 over 64 held-out samples')
    const pairs: ReconstructionViewData = {
      kind: 'reconstruction',
      count: 2,
      rowCount: 256,
      original: { ...grid, pixels: [] },
      reconstruction: { ...grid, pixels: [] },
      mse: [0.01, 0.02],
      meanMse: 0.0123,
      input: { ...grid, width: 14, height: 14, pixels: [] },
      psnr: 19.1,
    }
    expect(describeView(pairs)).toBe(
      'Reconstructions: 2 rows of input, output, target, PSNR 19.10 dB, mean squared error 0.012 over 256 held-out samples',
    )
    expect(
      describeView({
        ...pairs,
        bicubic: { factor: 2, images: { ...grid, pixels: [] }, meanMse: 0.02, psnr: 16.987 },
      }),
    ).toBe(
      'Reconstructions: 2 rows of input, bicubic ×2, output, target, PSNR 19.10 dB (bicubic 16.99 dB), mean squared error 0.012 over 256 held-out samples',
    )
    expect(describeView({ kind: 'error', message: 'boom' })).toBe('Cannot draw: boom')
  })
})

describe('describeView of the latent tools', () => {
  const images = (count: number): ImageGrid => ({
    kind: 'images',
    width: 1,
    height: 1,
    channels: 1,
    count,
    columns: count,
    pixels: [],
  })
  const latent: LatentViewData = {
    kind: 'latent',
    dim: 4,
    rowCount: 20,
    nonFiniteCount: 0,
    interpolation: { mode: 'linear', steps: 5, latents: [] },
    prior: { count: 3, seed: 0, latents: [] },
  }

  it('offers a PNG once the tools are decoded into images', () => {
    expect(isImageView(latent)).toBe(false)
    expect(isImageView({ ...latent, decoded: { problem: 'No decoder.' } })).toBe(false)
    const decoded: LatentDecodings = {
      decoder: 'dec',
      prior: images(3),
      faces: null,
      picks: { from: 0, to: 1, face: 0 },
      interpolation: null,
      attribute: null,
    }
    expect(isImageView({ ...latent, decoded })).toBe(true)
  })

  it('says what the worker decoded, with the picked faces counted from 1', () => {
    const decoded: LatentDecodings = {
      decoder: 'dec',
      prior: images(3),
      faces: { originals: images(12), decoded: images(12) },
      picks: { from: 2, to: 6, face: 0 },
      interpolation: images(5),
      attribute: { strengths: [-1, 0, 1], images: images(3) },
    }
    expect(describeView({ ...latent, decoded })).toBe(
      'Latent tools: 4-D latents, interpolation of 5 steps, 3 prior samples; decoded by dec: 3 prior samples, 12 held-out faces to pick from, an interpolation of 5 images from face 3 to face 7, face 1 with the attribute vector at 3 strengths',
    )
    expect(
      describeView({ ...latent, decoded: { ...decoded, faces: null, attribute: null } }),
    ).toMatch(/decoded by dec: 3 prior samples, an interpolation of 5 images$/)
    expect(describeView({ ...latent, decoded: { problem: 'No decoder.' } })).toMatch(
      /3 prior samples; not decoded: No decoder\.$/,
    )
    expect(describeView(latent)).toBe(
      'Latent tools: 4-D latents, interpolation of 5 steps, 3 prior samples',
    )
  })
})

describe('view kinds', () => {
  it('knows the kinds of the view nodes and refuses others', () => {
    expect(knownView({ kind: 'points' })?.kind).toBe('points')
    expect(knownView({ kind: 'hologram' })).toBeUndefined()
  })

  it('offers PNGs of image grids and image pairs', () => {
    expect(isImageView(verification)).toBe(false)
    expect(
      isImageView({
        kind: 'images',
        width: 1,
        height: 1,
        channels: 1,
        count: 1,
        columns: 1,
        pixels: [0],
      }),
    ).toBe(true)
  })

  it('formats metrics and FAR targets', () => {
    expect(formatMetric(0.91249)).toBe('0.912')
    expect(formatMetric(null)).toBe('n/a')
    expect(formatFar(0.1)).toBe('10⁻¹')
    expect(formatFar(0.01)).toBe('10⁻²')
    expect(formatFar(0.05)).toBe('0.05')
  })
})
