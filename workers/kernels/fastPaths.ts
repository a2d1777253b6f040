/**
 * Gradients and kernels that replace TF.js's own on the backends where those are missing or
 * slow, with the same values (each file's tests compare them with the stock ones). Shared by the
 * training worker and the CLI, so a graph trains the same way in both:
 * - WASM: matmul's gradient without transposed multiplications (6× faster there), and the
 *   transposed convolution as a dilated plain convolution (XNNPACK);
 * - WASM and CPU: the convolutions' filter gradient, which WASM has no kernel for and the CPU
 *   backend computes very slowly.
 * WebGL and WebGPU keep TF.js's own. Gradients are registered globally, not per backend: call
 * this once for the one backend a process or worker trains on.
 */
import type * as tfjs from '@tensorflow/tfjs'
import { registerConvFilterGradients } from './convFilterGradient'
import { registerFastMatMulGradient } from './fastMatMulGradient'
import { registerWasmConvTransposeKernel } from './wasmConvTransposeKernel'

const registered = new Set<string>()

/** Registers the replacements `backend` needs (once); its code must already be imported. */
export function registerFastPaths(tf: typeof tfjs, backend: string): void {
  if (registered.has(backend)) return
  registered.add(backend)
  if (backend === 'wasm') {
    registerFastMatMulGradient(tf)
    registerWasmConvTransposeKernel(tf)
  }
  const needsFilterGradient = backend === 'wasm' || backend === 'cpu'
  if (needsFilterGradient && !registered.has(backend === 'wasm' ? 'cpu' : 'wasm')) {
    registerConvFilterGradients(tf)
  }
}
