/**
 * TF.js on Node for the CLI: the pure-JS CPU backend or the WASM backend (SIMD, read from
 * node_modules). `@tensorflow/tfjs-node` is not used: it downloads a native binary at install.
 * The worker's replacement gradients and kernels are registered (`workers/kernels/fastPaths.ts`),
 * so a graph trains the same way here and in the browser.
 */
import * as tf from '@tensorflow/tfjs'
import { registerFastPaths } from '../workers/kernels/fastPaths'

export type NodeBackend = 'wasm' | 'cpu'

export async function loadTf(backend: NodeBackend): Promise<typeof tf> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm')
  registerFastPaths(tf, backend)
  const isSet = await tf.setBackend(backend)
  if (!isSet) throw new Error(`TF.js could not start the ${backend} backend`)
  await tf.ready()
  return tf
}
