/**
 * Which TF.js backend a run uses (DESIGN §7). Pure: no TF.js, so the app can import it.
 */

/** Backends in the order `auto` prefers them when all are usable. */
export const BACKEND_NAMES = ['webgpu', 'wasm', 'webgl', 'cpu'] as const

export type BackendName = (typeof BACKEND_NAMES)[number]

/** `auto` picks the best usable backend; a name forces that one. */
export type BackendChoice = 'auto' | BackendName

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value)
}

/** The `?backend=` value of a URL: absent means auto; anything unknown is an error, not a guess. */
export function parseBackendChoice(
  raw: string | null,
): { choice: BackendChoice; error?: undefined } | { choice: 'auto'; error: string } {
  if (raw === null || raw === '' || raw === 'auto') return { choice: 'auto' }
  const value = raw.trim().toLowerCase()
  if (isBackendName(value)) return { choice: value }
  return {
    choice: 'auto',
    error: `Unknown backend "${raw}" in the address; use one of auto, ${BACKEND_NAMES.join(', ')}. Using auto.`,
  }
}

/**
 * The backends to try, in order. `auto` uses WebGPU only on a hardware adapter (a software
 * adapter is slower than WASM here, DESIGN §10); a forced choice is tried alone.
 */
export function backendCandidates(
  choice: BackendChoice,
  hasHardwareWebGpu: boolean,
): BackendName[] {
  if (choice !== 'auto') return [choice]
  return BACKEND_NAMES.filter((name) => name !== 'webgpu' || hasHardwareWebGpu)
}

/** What the WebGPU adapter says about itself (GPUAdapterInfo, plus the fallback flag). */
export interface AdapterDescription {
  vendor: string
  architecture: string
  device: string
  description: string
  isFallbackAdapter: boolean
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|warp|software|microsoft basic/i

/** True for CPU-emulated adapters (SwiftShader, llvmpipe, WARP): real WebGPU, but slow. */
export function isSoftwareAdapter(adapter: AdapterDescription): boolean {
  if (adapter.isFallbackAdapter) return true
  const text = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join(' ')
  return SOFTWARE_ADAPTER.test(text)
}
