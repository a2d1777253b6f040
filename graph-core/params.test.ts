import { describe, expect, it } from 'vitest'
import { defaultParams, param, paramProblem, resolveParams } from './params'

const specs = {
  width: param.int({ default: 64, min: 1, max: 4096, help: 'Units.' }),
  rate: param.number({ default: 1e-3, min: 0, max: 1, isLogScale: true, help: 'Step size.' }),
  reduction: param.choice({ default: 'mean', options: ['mean', 'sum'], help: 'How to reduce.' }),
  isEasy: param.boolean({ default: false, help: 'Easy margin.' }),
  hidden: param.intList({ default: [256, 128], min: 1, minLength: 1, help: 'Widths.' }),
  trains: param.nodeRefs({ default: [], help: 'Nodes to update.' }),
  dataset: param.datasetRef({ help: 'An imported dataset.' }),
}

describe('paramProblem', () => {
  it.each([
    [specs.width, 64, undefined],
    [specs.width, 0, 'must be at least 1'],
    [specs.width, 2.5, 'must be a whole number'],
    [specs.width, '64', 'must be a finite number'],
    [specs.rate, Number.NaN, 'must be a finite number'],
    [specs.rate, 2, 'must be at most 1'],
    [specs.reduction, 'sum', undefined],
    [specs.reduction, 'max', 'must be one of mean, sum'],
    [specs.isEasy, 1, 'must be true or false'],
    [specs.hidden, [], 'needs at least 1 entries'],
    [specs.hidden, [3, 0], 'entries must each be at least 1'],
    [specs.hidden, [3, 'x'], 'must be a list of whole numbers'],
    [specs.trains, ['a', 'b'], undefined],
    [specs.trains, [1], 'must be a list of node ids'],
    [specs.dataset, '', undefined],
    [specs.dataset, 'ds-a1@32x32x3/5', undefined],
    [specs.dataset, 'ds-a1', 'must be empty or a dataset reference like "ds-abc@32x32x1/5"'],
    [
      specs.dataset,
      'ds-a1@32x32x2/5',
      'must be empty or a dataset reference like "ds-abc@32x32x1/5"',
    ],
    [specs.dataset, 7, 'must be a dataset reference (text)'],
  ])('%o with %j → %s', (spec, value, problem) => {
    expect(paramProblem(spec, value)).toBe(problem)
  })
})

describe('resolveParams', () => {
  it('fills defaults, keeps valid values, reports invalid and unknown ones', () => {
    const resolved = resolveParams(specs, { width: 32, rate: -1, legacy: 'x', dataset: 'bad' })
    expect(resolved.values).toEqual({
      width: 32,
      rate: 1e-3,
      reduction: 'mean',
      isEasy: false,
      hidden: [256, 128],
      trains: [],
      dataset: '',
    })
    expect(resolved.invalid).toEqual({
      rate: 'must be at least 0',
      dataset: 'must be empty or a dataset reference like "ds-abc@32x32x1/5"',
    })
    expect(resolved.unknown).toEqual(['legacy'])
  })

  it('does not read inherited properties as saved values', () => {
    const saved = Object.create({ width: 3 }) as Record<string, unknown>
    expect(resolveParams(specs, saved).values.width).toBe(64)
  })
})

describe('defaultParams', () => {
  it('lists every default', () => {
    expect(defaultParams(specs)).toMatchObject({
      width: 64,
      reduction: 'mean',
      hidden: [256, 128],
      dataset: '',
    })
  })
})
