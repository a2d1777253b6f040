import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { paramProblem, resolveParams } from '../graph-core/params'
import { NODE_DEFINITIONS, nodeRegistry } from './registry'

const CATEGORY_PREFIX = {
  data: 'data',
  model: 'model',
  loss: 'loss',
  op: 'op',
  optim: 'optim',
  view: 'view',
}

describe('node registry invariants', () => {
  it('has unique, persisted-style ids in the category namespace', () => {
    const types = NODE_DEFINITIONS.map((definition) => definition.type)
    expect(new Set(types).size).toBe(types.length)
    for (const definition of NODE_DEFINITIONS) {
      expect(definition.type).toMatch(/^[a-z]+\.[a-z][a-zA-Z0-9]*$/)
      const prefix = definition.type.split('.')[0]
      // ops live in the loss category of the palette but keep their own namespace
      expect([CATEGORY_PREFIX[definition.category], 'op']).toContain(prefix)
      expect(nodeRegistry.get(definition.type)).toBe(definition)
    }
  })

  it('describes every node and every param for the palette and the inspector', () => {
    for (const definition of NODE_DEFINITIONS) {
      expect(definition.label.length, definition.type).toBeGreaterThan(0)
      expect(definition.description.length, definition.type).toBeGreaterThan(10)
      for (const [id, spec] of Object.entries(definition.params)) {
        expect(spec.help.length, `${definition.type}.${id}`).toBeGreaterThan(5)
        expect(paramProblem(spec, spec.default), `${definition.type}.${id} default`).toBeUndefined()
      }
    }
  })

  it('has migrations that end at the version, in order', () => {
    for (const definition of NODE_DEFINITIONS) {
      const versions = (definition.migrations ?? []).map((migration) => migration.toVersion)
      expect(versions, definition.type).toEqual([...versions].sort((a, b) => a - b))
      expect(versions.at(-1) ?? 1, definition.type).toBe(definition.version)
      expect(new Set(versions).size).toBe(versions.length)
    }
  })

  it('gives optimizers a factory, views a summary and everything else a forward pass', () => {
    for (const definition of NODE_DEFINITIONS) {
      const isOptimizer = definition.category === 'optim'
      const isView = definition.category === 'view'
      expect(definition.createOptimizer !== undefined, definition.type).toBe(isOptimizer)
      expect(definition.summarize !== undefined, definition.type).toBe(isView)
      expect(definition.build !== undefined, definition.type).toBe(!isOptimizer && !isView)
    }
  })

  it('infers shapes from default params without throwing', () => {
    for (const definition of NODE_DEFINITIONS) {
      const params = resolveParams(definition.params, {}).values
      const inputs = Object.fromEntries(Object.keys(definition.inputs).map((port) => [port, [4]]))
      expect(() => definition.inferShapes(inputs, params), definition.type).not.toThrow()
    }
  })

  it('has a test beside every node file', () => {
    const folders = ['data', 'model', 'loss', 'op', 'optim', 'view']
    const files = folders.flatMap((folder) =>
      existsSync(new URL(`./${folder}`, import.meta.url))
        ? readdirSync(new URL(`./${folder}`, import.meta.url))
            .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
            .map((name) => `${folder}/${name}`)
        : [],
    )
    const untested = files.filter((file) => {
      if (file.startsWith('optim/'))
        return !existsSync(new URL('./optim/optimizers.test.ts', import.meta.url))
      return !existsSync(new URL(`./${file.replace(/\.ts$/, '.test.ts')}`, import.meta.url))
    })
    expect(untested).toEqual([])
  })
})
