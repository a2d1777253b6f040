import { describe, expect, it } from 'vitest'
import { intListOption, intOption, parseArgs, stringOption } from './args'

describe('parseArgs', () => {
  it('splits positionals, valued options, inline values and flags', () => {
    const args = parseArgs(['train', 'gan.json', '--steps', '20', '--json=out.json', '--verbose'])
    expect(args.positionals).toEqual(['train', 'gan.json'])
    expect(Object.fromEntries(args.options)).toEqual({
      steps: '20',
      json: 'out.json',
      verbose: true,
    })
  })

  it('reads whole numbers and refuses anything else', () => {
    expect(intOption(parseArgs(['--steps', '5']), 'steps', 1)).toBe(5)
    expect(intOption(parseArgs([]), 'steps', 7)).toBe(7)
    expect(() => intOption(parseArgs(['--steps', '2.5']), 'steps', 1)).toThrow(/whole number/)
    expect(() => stringOption(parseArgs(['--json']), 'json')).toThrow(/needs a value/)
  })

  it('reads comma-separated whole numbers and refuses anything else', () => {
    const list = (...argv: string[]) => intListOption(parseArgs(argv), 'checkpoints', 1)
    expect(list('--checkpoints', '1000,2000')).toEqual([1000, 2000])
    expect(list('--checkpoints', '500')).toEqual([500])
    expect(list()).toBeUndefined()
    for (const bad of ['1000,', '1.5', '0', 'a,b', ''])
      expect(() => list(`--checkpoints=${bad}`)).toThrow(/whole numbers ≥ 1 separated by commas/)
  })
})
