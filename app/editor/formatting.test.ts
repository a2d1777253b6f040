import { describe, expect, it } from 'vitest'
import { param } from '../../graph-core/params'
import { formatCount, formatParamValue } from './formatting'

describe('formatting', () => {
  it('formats counts compactly', () => {
    expect(formatCount(0)).toBe('0')
    expect(formatCount(999)).toBe('999')
    expect(formatCount(1234)).toBe('1.23k')
    expect(formatCount(2_500_000)).toBe('2.5M')
    expect(formatCount(3.2e9)).toBe('3.2G')
  })

  it('formats param values by their spec', () => {
    const help = 'h'
    expect(formatParamValue(param.intList({ default: [], help }), [256, 128])).toBe('256, 128')
    expect(formatParamValue(param.intList({ default: [], help }), [])).toBe('default')
    expect(formatParamValue(param.boolean({ default: true, help }), false)).toBe('off')
    expect(formatParamValue(param.number({ default: 1, help }), 0.00020000001)).toBe('0.0002')
    const choice = param.choice({
      default: 'a',
      options: [{ value: 'a', label: 'Alpha' }],
      help,
    })
    expect(formatParamValue(choice, 'a')).toBe('Alpha')
    const dataset = param.datasetRef({ help })
    expect(formatParamValue(dataset, 'ds-1@32x32x3/5')).toBe('32×32×3, 5 labels')
    expect(formatParamValue(dataset, '')).toBe('none')
  })
})
