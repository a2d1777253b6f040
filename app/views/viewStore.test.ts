import { describe, expect, it } from 'vitest'
import type { ViewData } from '../../graph-core/nodeDefinition'
import { createViewStore } from './viewStore'

/** A sample grid of `count` 1×1 grey images, all of `value`. */
const samples = (count: number, value: number): ViewData => ({
  kind: 'images',
  width: 1,
  height: 1,
  channels: 1,
  count,
  columns: Math.ceil(Math.sqrt(count)),
  pixels: new Array<number>(count).fill(value),
})

describe('view store filmstrips', () => {
  it('keeps the first samples of each evaluation of a sample grid, until a new run', () => {
    const store = createViewStore()
    let notified = 0
    store.subscribe(() => {
      notified++
    })
    store.set('grid', { data: samples(9, 0.1), step: 10 })
    store.set('grid', { data: samples(9, 0.5), step: 40 })
    expect(store.frames('grid').map((frame) => frame.step)).toEqual([10, 40])
    expect(store.frames('grid')[1]?.grid).toMatchObject({ count: 4, pixels: [0.5, 0.5, 0.5, 0.5] })
    // A failed evaluation keeps the filmstrip; other kinds of view have none.
    const before = store.frames('grid')
    store.set('grid', { data: { kind: 'error', message: 'out of memory' }, step: 50 })
    expect(store.frames('grid')).toBe(before)
    store.set('pairs', { data: { kind: 'reconstruction' }, step: 50 })
    expect(store.frames('pairs')).toEqual([])
    expect(store.frames('pairs')).toBe(store.frames('other'))
    expect(notified).toBe(4)

    store.clear()
    expect(store.frames('grid')).toEqual([])
    expect(store.get('grid')).toBeUndefined()
  })
})
