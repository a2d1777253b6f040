/**
 * TF.js on Node for the CLI: the pure-JS CPU backend or the WASM backend (SIMD, read from
 * node_modules). `@tensorflow/tfjs-node` is not used: it downloads a native binary at install.
 * Two gradients are replaced (same values): on WASM matmul's, 6× faster without transposed
 * multiplications; on both the convolutions' filter part, which WASM has no kernel for and the
 * CPU backend computes very slowly.
 */
import * as tf from '@tensorflow/tfjs'
import { registerFastMatMulGradient } from './fastMatMulGradient'
import { registerConvFilterGradients } from './convFilterGradient'

export type NodeBackend = 'wasm' | 'cpu'

export async function loadTf(backend: NodeBackend): Promise<typeof tf> {
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm')
    // Its transposed matmuls are slow, and the stock matmul gradient uses them.
    registerFastMatMulGradient(tf)
  }
  // WASM has no kernel for the filter gradient of convolutions, and the CPU's is very slow.
  registerConvFilterGradients(tf)
  const isSet = await tf.setBackend(backend)
  if (!isSet) throw new Error(`TF.js could not start the ${backend} backend`)
  await tf.ready()
  return tf
}
