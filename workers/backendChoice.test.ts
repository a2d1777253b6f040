import { describe, expect, it } from 'vitest'
import { backendCandidates, isSoftwareAdapter, parseBackendChoice } from './backendChoice'

const adapter = {
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
}

describe('parseBackendChoice', () => {
  it.each([
    [null, 'auto'],
    ['', 'auto'],
    ['auto', 'auto'],
    ['webgpu', 'webgpu'],
    ['WASM', 'wasm'],
    [' webgl ', 'webgl'],
    ['cpu', 'cpu'],
  ])('reads %j as %s', (raw, choice) => {
    expect(parseBackendChoice(raw)).toEqual({ choice })
  })

  it('refuses an unknown backend with a message and falls back to auto', () => {
    const parsed = parseBackendChoice('tpu')
    expect(parsed.choice).toBe('auto')
    expect(parsed.error).toMatch(/Unknown backend "tpu".*auto, webgpu, wasm, webgl, cpu/)
  })
})

describe('backendCandidates', () => {
  it('prefers WebGPU on a hardware adapter, then WASM, WebGL, CPU', () => {
    expect(backendCandidates('auto', true)).toEqual(['webgpu', 'wasm', 'webgl', 'cpu'])
  })
  it('skips WebGPU in auto mode without a hardware adapter', () => {
    expect(backendCandidates('auto', false)).toEqual(['wasm', 'webgl', 'cpu'])
  })
  it('tries a forced backend alone, even a software WebGPU', () => {
    expect(backendCandidates('webgpu', false)).toEqual(['webgpu'])
    expect(backendCandidates('cpu', true)).toEqual(['cpu'])
  })
})

describe('isSoftwareAdapter', () => {
  it('recognises the fallback flag and software rasterisers', () => {
    expect(isSoftwareAdapter({ ...adapter, isFallbackAdapter: true })).toBe(true)
    expect(isSoftwareAdapter({ ...adapter, vendor: 'google', architecture: 'swiftshader' })).toBe(
      true,
    )
    expect(isSoftwareAdapter({ ...adapter, description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(
      true,
    )
  })
  it('takes a named GPU for hardware', () => {
    expect(isSoftwareAdapter({ ...adapter, vendor: 'nvidia', architecture: 'ampere' })).toBe(false)
    expect(isSoftwareAdapter({ ...adapter, vendor: 'apple', architecture: 'metal-3' })).toBe(false)
  })
})
