import { describe, expect, it } from 'vitest'
import { packageOf } from './chunkReport'

describe('packageOf', () => {
  it.each([
    ['/w/node_modules/@tensorflow/tfjs-core/dist/index.js', '@tensorflow/tfjs-core'],
    ['/w/node_modules/react/index.js', 'react'],
    ['/w/node_modules/a/node_modules/@xyflow/system/dist/x.js', '@xyflow/system'],
    ['C:\\w\\node_modules\\zod\\index.js', 'zod'],
    ['/w/workers/backends.ts', undefined],
  ])('%s → %s', (id, name) => {
    expect(packageOf(id)).toBe(name)
  })
})
