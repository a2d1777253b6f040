import { ESLint, RuleTester } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { importZonesRule, resolveRelative, zoneViolation } from './importZones.js'

describe('zoneViolation', () => {
  it.each([
    ['graph-core/document.ts', './schema', false],
    ['graph-core/analysis/order.ts', '../document', false],
    ['graph-core/build.ts', '@tensorflow/tfjs', true],
    ['nodes/loss/arcFaceLoss.ts', '../../graph-core/defineNode', false],
    ['nodes/loss/arcFaceLoss.ts', '@tensorflow/tfjs-core', true],
    ['workers/trainingWorker.ts', '@tensorflow/tfjs', false],
    ['workers/trainingWorker.ts', '../nodes/registry', false],
    ['cli/run.ts', 'node:fs', false],
    ['cli/run.ts', '../workers/backends', false],
    ['app/App.tsx', '../workers/backendChoice', false],
    ['app/App.tsx', 'react', false],
    ['app/run/useModel.ts', '@tensorflow/tfjs', true],
    ['tests/e2e/x.spec.ts', '../../app/App', false],
    ['scripts/anything.mjs', 'node:fs', false],
    ['graph-core/compiler.test.ts', '@tensorflow/tfjs', false],
    ['nodes/loss/arcFaceLoss.test.ts', 'node:fs', false],
  ])('%s may import %s (type-only: %s)', (file, specifier, isTypeOnly) => {
    expect(zoneViolation(file, specifier, isTypeOnly)).toBeUndefined()
  })

  it.each([
    ['graph-core/build.ts', '@tensorflow/tfjs', /must not load TF\.js/],
    ['graph-core/analysis/order.ts', '../../nodes/registry', /may import only from graph-core/],
    ['graph-core/document.ts', '../app/store', /is in app\//],
    ['nodes/loss/arcFaceLoss.ts', '@tensorflow/tfjs-core', /must not load TF\.js/],
    ['nodes/loss/arcFaceLoss.ts', '../../workers/backends', /is in workers\//],
    ['app/run/useModel.ts', '@tensorflow/tfjs', /must not load TF\.js/],
    ['app/App.tsx', '../cli/run', /is in cli\//],
    ['app/App.tsx', 'node:fs', /Node built-in/],
    ['workers/trainingWorker.ts', 'fs', /Node built-in/],
    ['workers/trainingWorker.ts', '../app/App', /is in app\//],
    ['graph-core/compiler.test.ts', '../nodes/registry', /is in nodes\//],
  ])('%s must not import %s', (file, specifier, message) => {
    expect(zoneViolation(file, specifier, false)).toMatch(message)
  })
})

describe('resolveRelative', () => {
  it('resolves against the importing file and ignores packages', () => {
    expect(resolveRelative('app/components/Toolbar.tsx', '../../workers/x')).toBe('workers/x')
    expect(resolveRelative('app/App.tsx', './run/statusText')).toBe('app/run/statusText')
    expect(resolveRelative('app/App.tsx', 'react')).toBeUndefined()
    expect(resolveRelative('app/App.tsx', '../../outside')).toBeUndefined()
  })
})

RuleTester.describe = describe
RuleTester.it = it
RuleTester.itOnly = it.only

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } })
const root = process.cwd()

tester.run('latent/import-zones', importZonesRule, {
  valid: [
    {
      code: "import type { Tensor } from '@tensorflow/tfjs'",
      filename: `${root}/graph-core/x.ts`,
    },
    { code: "import * as tf from '@tensorflow/tfjs'", filename: `${root}/workers/x.ts` },
    { code: "export type { Tensor } from '@tensorflow/tfjs'", filename: `${root}/nodes/x.ts` },
  ],
  invalid: [
    {
      // An inline `type` modifier still leaves a runtime import under verbatimModuleSyntax.
      code: "import { type Tensor } from '@tensorflow/tfjs'",
      filename: `${root}/graph-core/x.ts`,
      errors: [{ messageId: 'violation' }],
    },
    {
      code: "const tf = await import('@tensorflow/tfjs')",
      filename: `${root}/app/x.ts`,
      errors: [{ messageId: 'violation' }],
    },
    {
      code: "export * from '../app/App'",
      filename: `${root}/nodes/x.ts`,
      errors: [{ messageId: 'violation' }],
    },
  ],
})

describe('eslint.config.js', () => {
  it('applies the zone rule as an error to every project folder', async () => {
    const eslint = new ESLint()
    for (const file of ['graph-core/x.ts', 'nodes/x.ts', 'workers/x.ts', 'app/x.tsx', 'cli/x.ts']) {
      const config = (await eslint.calculateConfigForFile(file)) as {
        rules: Record<string, unknown>
      }
      expect(config.rules['latent/import-zones'], file).toEqual([2])
    }
    // Loading the type-aware config takes seconds, more on a busy machine.
  }, 60_000)
})
