/**
 * TF.js on Node for the CLI: the pure-JS CPU backend or the WASM backend (SIMD, read from
 * node_modules). `@tensorflow/tfjs-node` is not used: it downloads a native binary at install.
 * Two gradients and a kernel are replaced (same values): on WASM matmul's gradient, 6× faster
 * without transposed multiplications, and the transposed convolution, as a plain one; on both
 * backends the convolutions' filter gradient, which WASM has no kernel for and the CPU backend
 * computes very slowly.
 */
import * as tf from '@tensorflow/tfjs'
import { registerFastMatMulGradient } from './fastMatMulGradient'
import { registerWasmConvTransposeKernel } from './wasmConvTransposeKernel'
import { registerConvFilterGradients } from './convFilterGradient'

export type NodeBackend = 'wasm' | 'cpu'

export async function loadTf(backend: NodeBackend): Promise<typeof tf> {
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm')
    // Its transposed matmuls are slow, and the stock matmul gradient uses them; its transposed
    // convolution is a direct loop, XNNPACK's convolution is not.
    registerFastMatMulGradient(tf)
    registerWasmConvTransposeKernel(tf)
  }
  // WASM has no kernel for the filter gradient of convolutions, and the CPU's is very slow.
  registerConvFilterGradients(tf)
  const isSet = await tf.setBackend(backend)
  if (!isSet) throw new Error(`TF.js could not start the ${backend} backend`)
  await tf.ready()
  return tf
}
