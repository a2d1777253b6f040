import { describe, expect, it } from 'vitest'
import { withSetting } from './runSettings'

describe('withSetting', () => {
  it('sets a positive whole number and keeps the other settings', () => {
    expect(withSetting({ maxSteps: 500 }, 'checkpointEvery', '25')).toEqual({
      maxSteps: 500,
      checkpointEvery: 25,
    })
    expect(withSetting({ checkpointEvery: 25 }, 'maxSteps', ' 1000 ')).toEqual({
      checkpointEvery: 25,
      maxSteps: 1000,
    })
  })

  it('clears the setting for an empty field, zero, a negative number, a fraction or text', () => {
    for (const typed of ['', '0', '-3', '2.5', 'ten']) {
      expect(withSetting({ maxSteps: 500, checkpointEvery: 25 }, 'checkpointEvery', typed)).toEqual(
        { maxSteps: 500 },
      )
    }
  })
})
