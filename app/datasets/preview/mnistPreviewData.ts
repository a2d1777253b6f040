/**
 * The packed MNIST digits for previews on the main thread: fetched once, on the first MNIST
 * preview, from the asset the build emits (tooling/mnistAsset.ts). The URL module is imported
 * lazily, so a page without an MNIST node never fetches the file.
 */
import { decodeMnist, type MnistData } from '../../../nodes/data/mnist/format'

let digits: Promise<MnistData> | undefined

/** The digits; a failed load is tried again on the next call. */
export function loadMnistForPreview(): Promise<MnistData> {
  digits ??= (async () => {
    const { default: url } = await import('virtual:latent-lab/mnist-url')
    const response = await fetch(url)
    if (!response.ok) throw new Error(`the digits could not be loaded (HTTP ${response.status})`)
    return decodeMnist(new Uint8Array(await response.arrayBuffer()))
  })()
  digits.catch(() => {
    digits = undefined
  })
  return digits
}
