/**
 * TF.js on Node for the CLI: the pure-JS CPU backend or the WASM backend (SIMD, read from
 * node_modules). `@tensorflow/tfjs-node` is not used: it downloads a native binary at install.
 */
import * as tf from '@tensorflow/tfjs'

export type NodeBackend = 'wasm' | 'cpu'

export async function loadTf(backend: NodeBackend): Promise<typeof tf> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm')
  const isSet = await tf.setBackend(backend)
  if (!isSet) throw new Error(`TF.js could not start the ${backend} backend`)
  await tf.ready()
  return tf
}
