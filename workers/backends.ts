import * as tf from '@tensorflow/tfjs'
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import { isSoftwareAdapter, type AdapterDescription, type BackendName } from './backendChoice'
import { registerFastPaths } from './kernels/fastPaths'

/** What the active backend is running on, for the status line and the run record. */
export interface BackendDetails {
  name: BackendName
  /** WebGPU only: the adapter TF.js got, and whether it is a software rasteriser. */
  adapter?: AdapterDescription & { isSoftware: boolean }
  /** WASM only: which build loaded, and the size of XNNPACK's thread pool. */
  wasm?: { simd: boolean; isThreaded: boolean; threads: number }
  /** WebGL only: the WebGL version in use. */
  webglVersion?: number
  /** Threads need SharedArrayBuffer, which needs COOP/COEP headers. */
  isCrossOriginIsolated: boolean
}

/** Asks for the default WebGPU adapter; undefined when the browser has none. */
export async function describeWebGpuAdapter(): Promise<AdapterDescription | undefined> {
  if (!('gpu' in navigator)) return undefined
  const adapter = await navigator.gpu.requestAdapter()
  if (adapter === null) return undefined
  const { vendor, architecture, device, description } = adapter.info
  // Chromium before 131 has no isFallbackAdapter on the info; isSoftwareAdapter reads it as false.
  return {
    vendor,
    architecture,
    device,
    description,
    isFallbackAdapter: adapter.info.isFallbackAdapter,
  }
}

let isWasmConfigured = false

/** Loads a backend's code on first use (each backend is its own chunk) and makes it current. */
export async function activateBackend(name: BackendName): Promise<BackendDetails> {
  const isCrossOriginIsolated = globalThis.crossOriginIsolated
  switch (name) {
    case 'webgpu': {
      const adapter = await describeWebGpuAdapter()
      if (adapter === undefined) throw new Error('this browser offers no WebGPU adapter')
      await import('@tensorflow/tfjs-backend-webgpu')
      await setBackendOrThrow('webgpu')
      return {
        name,
        adapter: { ...adapter, isSoftware: isSoftwareAdapter(adapter) },
        isCrossOriginIsolated,
      }
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm')
      if (!isWasmConfigured) {
        wasm.setWasmPaths({
          'tfjs-backend-wasm.wasm': wasmPlainUrl,
          'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
          'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
        })
        isWasmConfigured = true
      }
      await setBackendOrThrow('wasm')
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true
      const isThreaded = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true
      return {
        name,
        wasm: { simd, isThreaded, threads: wasm.getThreadsCount() },
        isCrossOriginIsolated,
      }
    }
    case 'webgl': {
      await setBackendOrThrow('webgl')
      return { name, webglVersion: tf.env().getNumber('WEBGL_VERSION'), isCrossOriginIsolated }
    }
    case 'cpu':
      await setBackendOrThrow('cpu')
      return { name, isCrossOriginIsolated }
  }
}

async function setBackendOrThrow(name: BackendName): Promise<void> {
  // setBackend resolves false (and logs) instead of throwing when initialisation fails.
  const isSet = await tf.setBackend(name)
  if (!isSet) throw new Error(`TF.js could not initialise the ${name} backend`)
  await tf.ready()
  // WASM has no filter gradient for convolutions (a convolutional encoder could not train) and
  // slow transposed matmuls; the CPU's filter gradient is very slow. A worker runs one backend.
  registerFastPaths(tf, name)
}
