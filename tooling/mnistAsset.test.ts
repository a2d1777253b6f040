import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, createServer } from 'vite'
import { describe, expect, it } from 'vitest'
import { decodeMnist } from '../nodes/data/mnist/format'
import { MNIST_URL_MODULE, mnistAsset, packedMnist } from './mnistAsset'

/** A page whose module worker imports the MNIST URL, as workers/resourceUrls.ts does. */
function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'latent-lab-mnist-asset-'))
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><script type="module" src="./main.js"></script>',
  )
  writeFileSync(
    join(root, 'main.js'),
    "new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })",
  )
  writeFileSync(
    join(root, 'worker.js'),
    `import url from '${MNIST_URL_MODULE}'\nfetch(url).then((response) => postMessage(response.status))`,
  )
  return root
}

describe('packedMnist', () => {
  it('packs once and then reads the same bytes from the cache', async () => {
    const first = await packedMnist()
    const second = await packedMnist()
    expect(decodeMnist(second).count).toBe(10_000)
    expect(Buffer.compare(second, first)).toBe(0)
  })
})

describe('mnistAsset plugin', () => {
  it('emits assets/mnist-<hash>.bin from the worker bundle and gives the worker its URL', async () => {
    const root = fixture()
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [mnistAsset()],
      worker: { format: 'es', plugins: () => [mnistAsset()] },
      build: { outDir: join(root, 'dist'), minify: false },
    })
    const assets = readdirSync(join(root, 'dist', 'assets'))
    const asset = assets.find((name) => /^mnist-[\w-]+\.bin$/.test(name))
    expect(asset).toBeDefined()
    const bytes = new Uint8Array(readFileSync(join(root, 'dist', 'assets', asset ?? '')))
    expect(decodeMnist(bytes).count).toBe(10_000)
    const worker = assets.find((name) => name.startsWith('worker-') && name.endsWith('.js'))
    const code = readFileSync(join(root, 'dist', 'assets', worker ?? ''), 'utf8')
    expect(code).toContain(`/assets/${asset ?? ''}`)
  }, 60_000)

  it('serves the same bytes in dev', async () => {
    const root = fixture()
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [mnistAsset()],
      server: { port: 0, host: '127.0.0.1' },
    })
    try {
      await server.listen()
      const address = server.httpServer?.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      const module = await server.transformRequest(MNIST_URL_MODULE)
      expect(module?.code).toContain('"/@latent-lab/mnist.bin"')
      const response = await fetch(`http://127.0.0.1:${port}/@latent-lab/mnist.bin`)
      expect(response.headers.get('content-type')).toBe('application/octet-stream')
      const bytes = new Uint8Array(await response.arrayBuffer())
      expect(decodeMnist(bytes).count).toBe(10_000)
    } finally {
      await server.close()
    }
  }, 60_000)
})
