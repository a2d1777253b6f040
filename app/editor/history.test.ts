import { describe, expect, it } from 'vitest'
import { createDocument } from '../../graph-core/document'
import { COALESCE_WINDOW_MS, HISTORY_LIMIT, createHistory, record, redo, undo } from './history'

const named = (name: string) => createDocument(name)

describe('history', () => {
  it('undoes and redoes in order, and a new change drops the redo stack', () => {
    const a = named('a')
    const b = named('b')
    const c = named('c')
    let history = record(record(createHistory(a), b), c)
    history = undo(history)
    expect(history.present).toBe(b)
    history = undo(history)
    expect(history.present).toBe(a)
    expect(undo(history)).toBe(history)
    history = redo(history)
    expect(history.present).toBe(b)
    history = record(history, named('d'))
    expect(history.future).toEqual([])
    expect(redo(history)).toBe(history)
  })

  it('ignores a change that is the same document', () => {
    const history = createHistory(named('a'))
    expect(record(history, history.present)).toBe(history)
  })

  it('coalesces changes with one key inside the window into one step', () => {
    const start = createHistory(named('start'))
    let history = start
    for (let frame = 0; frame < 30; frame++) {
      history = record(history, named(`drag ${frame}`), { coalesceKey: 'drag:1', now: frame * 16 })
    }
    expect(history.past).toHaveLength(1)
    expect(undo(history).present).toBe(start.present)
  })

  it('does not coalesce other keys or after a pause', () => {
    let history = createHistory(named('start'))
    history = record(history, named('a'), { coalesceKey: 'k', now: 0 })
    history = record(history, named('b'), { coalesceKey: 'other', now: 10 })
    history = record(history, named('c'), { coalesceKey: 'other', now: 10 + COALESCE_WINDOW_MS })
    history = record(history, named('d'), { now: 20 + COALESCE_WINDOW_MS })
    expect(history.past).toHaveLength(4)
  })

  it('keeps at most the limit of steps', () => {
    let history = createHistory(named('0'))
    for (let index = 1; index <= HISTORY_LIMIT + 10; index++) {
      history = record(history, named(String(index)))
    }
    expect(history.past).toHaveLength(HISTORY_LIMIT)
    expect(history.past[0]?.name).toBe('10')
  })
})
