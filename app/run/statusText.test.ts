import { describe, expect, it } from 'vitest'
import { formatLoss, statusText } from './statusText'
import type { WorkerState } from './useTrainingWorker'

const ready: WorkerState = {
  phase: 'ready',
  choice: 'auto',
  report: {
    choice: 'auto',
    backend: {
      name: 'wasm',
      wasm: { simd: true, isThreaded: true, threads: 2 },
      isCrossOriginIsolated: true,
    },
    selfCheck: { losses: [0.21043, 0.1, 0.0187], milliseconds: 40 },
    skipped: [],
    tfVersion: '4.22.0',
  },
}

describe('statusText', () => {
  it('names state, step, backend and the self-check losses', () => {
    expect(statusText('idle', 0, ready)).toBe(
      'idle · step 0 · backend: wasm · self-check loss 0.2104 → 0.01870 (3 steps)',
    )
  })
  it('says which backend is starting', () => {
    expect(statusText('idle', 0, { phase: 'starting', choice: 'webgpu' })).toBe(
      'idle · step 0 · backend: starting (webgpu)…',
    )
  })
  it('reports a failed worker as a failed run with the reason', () => {
    const failed: WorkerState = { phase: 'failed', choice: 'webgpu', message: 'no adapter' }
    expect(statusText('idle', 0, failed)).toBe('failed · step 0 · backend: none · no adapter')
  })
})

describe('formatLoss', () => {
  it.each([
    [1.23456, '1.235'],
    [0, '0.000'],
    [0.000123, '1.23e-4'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ])('%d → %s', (value, text) => {
    expect(formatLoss(value)).toBe(text)
  })
})
