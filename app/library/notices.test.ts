import { describe, expect, it } from 'vitest'
import { addNotice, dismissNotice, dismissNoticeKey, MAX_NOTICES, type Notice } from './notices'

const notice = (id: number, key: string): Notice => ({ id, key, tone: 'info', message: key })

describe('notices', () => {
  it('replaces a notice with the same key instead of stacking it', () => {
    const list = addNotice(
      addNotice([notice(1, 'save-error')], notice(2, 'share')),
      notice(3, 'save-error'),
    )
    expect(list.map((n) => n.id)).toEqual([2, 3])
  })

  it('keeps the newest MAX_NOTICES', () => {
    let list: Notice[] = []
    for (let id = 1; id <= MAX_NOTICES + 2; id++) list = addNotice(list, notice(id, `k${id}`))
    expect(list.map((n) => n.id)).toEqual([3, 4, 5, 6])
  })

  it('dismisses by id or key and returns the same list when nothing matched', () => {
    const list = [notice(1, 'a'), notice(2, 'b')]
    expect(dismissNotice(list, 1).map((n) => n.id)).toEqual([2])
    expect(dismissNotice(list, 9)).toBe(list)
    expect(dismissNoticeKey(list, 'b').map((n) => n.id)).toEqual([1])
    expect(dismissNoticeKey(list, 'z')).toBe(list)
  })
})
