import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ViewData } from '../../graph-core/nodeDefinition'
import { createViewPoller, requestFailure, type RunSnapshot } from './viewPoller'
import { createViewStore } from './viewStore'

/** A worker whose answers the test releases one by one. */
function fakeWorker() {
  const calls: { nodeId: string; resolve: (data: ViewData) => void; reject: (e: Error) => void }[] =
    []
  const request = (nodeId: string) =>
    new Promise<ViewData>((resolve, reject) => {
      calls.push({ nodeId, resolve, reject })
    })
  return { calls, request }
}

const running = (step: number, runId = 'r1'): RunSnapshot => ({ runId, state: 'running', step })
const paused = (step: number, runId = 'r1'): RunSnapshot => ({ runId, state: 'paused', step })

/** Lets awaited promises settle. */
const settle = () => vi.advanceTimersByTimeAsync(0)

function setup(ids = ['a', 'b'], hidden = { value: false }) {
  const worker = fakeWorker()
  const store = createViewStore()
  const heard: [string, string, number][] = []
  const poller = createViewPoller({
    onEntry: (nodeId, entry, run) => heard.push([nodeId, run.state, entry.step]),
    request: worker.request,
    viewIds: () => ids,
    store,
    intervalMs: 2000,
    isHidden: () => hidden.value,
    now: () => Date.now(),
  })
  return { worker, store, poller, hidden, heard }
}

async function answerAll(worker: ReturnType<typeof fakeWorker>, from: number) {
  // Requests go one at a time: answer each, let the next one be asked.
  for (let index = from; index < worker.calls.length; index++) {
    worker.calls[index]?.resolve({ kind: 'points', index })
    await settle()
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('createViewPoller', () => {
  it('asks at once when training starts, then every interval, one request at a time', async () => {
    const { worker, store, poller } = setup()
    poller.update(running(0))
    expect(worker.calls.map((call) => call.nodeId)).toEqual(['a'])
    worker.calls[0]?.resolve({ kind: 'points', n: 1 })
    await settle()
    // 'b' is asked only after 'a' answered: never two requests at once.
    expect(worker.calls.map((call) => call.nodeId)).toEqual(['a', 'b'])
    expect(store.get('a')).toEqual({ data: { kind: 'points', n: 1 }, step: 0 })
    poller.update(running(40))
    worker.calls[1]?.resolve({ kind: 'points', n: 2 })
    await settle()
    expect(store.get('b')?.step).toBe(40)
    expect(worker.calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1999)
    expect(worker.calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(worker.calls).toHaveLength(3)
    poller.dispose()
  })

  it('asks once on pause and after a step by hand, not again at the same step', async () => {
    const { worker, store, poller, heard } = setup(['a'])
    poller.update(paused(5))
    expect(worker.calls).toHaveLength(1)
    await answerAll(worker, 0)
    poller.update(paused(5))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(worker.calls).toHaveLength(1)
    // A step while a request is out: one more round after it, not an overlapping one.
    poller.update(paused(6))
    expect(worker.calls).toHaveLength(2)
    poller.update(paused(7))
    expect(worker.calls).toHaveLength(2)
    await answerAll(worker, 1)
    expect(worker.calls).toHaveLength(3)
    await answerAll(worker, 2)
    expect(store.get('a')?.step).toBe(7)
    // Stopped where it paused: one final round, then quiet.
    poller.update({ runId: 'r1', state: 'finished', step: 7 })
    expect(worker.calls).toHaveLength(4)
    await answerAll(worker, 3)
    expect(heard.at(-1)).toEqual(['a', 'finished', 7])
    poller.update({ runId: 'r1', state: 'finished', step: 7 })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(worker.calls).toHaveLength(4)
  })

  it('asks nothing while the tab is hidden, and catches up when it shows', async () => {
    const { worker, poller, hidden } = setup(['a'])
    hidden.value = true
    poller.update(running(0))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(worker.calls).toHaveLength(0)
    hidden.value = false
    poller.visibilityChanged()
    expect(worker.calls).toHaveLength(1)
    await answerAll(worker, 0)
    hidden.value = true
    await vi.advanceTimersByTimeAsync(10_000)
    expect(worker.calls).toHaveLength(1)
    poller.dispose()
  })

  it('clears the views of the previous run and drops its late answers', async () => {
    const { worker, store, poller } = setup(['a'])
    poller.update(paused(3, 'r1'))
    await answerAll(worker, 0)
    expect(store.get('a')).toBeDefined()
    poller.update(paused(4, 'r1'))
    poller.update({ runId: 'r2', state: 'running', step: 0 })
    expect(store.get('a')).toBeUndefined()
    worker.calls[1]?.resolve({ kind: 'old' })
    await settle()
    expect(store.get('a')).toBeUndefined()
    // The new run's round starts once the old request is out of the way.
    expect(worker.calls).toHaveLength(3)
    poller.update({ runId: undefined, state: 'idle', step: 0 })
    expect(store.get('a')).toBeUndefined()
    poller.dispose()
  })

  it('keeps a failed request as an error entry and goes on with the others', async () => {
    const { worker, store, poller } = setup(['a', 'b'])
    poller.update(paused(1))
    worker.calls[0]?.reject(new Error('a is not a view node'))
    await settle()
    worker.calls[1]?.resolve({ kind: 'points' })
    await settle()
    expect(store.get('a')?.data).toEqual({
      kind: 'error',
      message: 'Not part of the open run: train again to see it.',
    })
    expect(store.get('b')?.data.kind).toBe('points')
  })

  it('asks a view again at once with its options when they change, never beside a round', async () => {
    const worker = fakeWorker()
    const sent: [string, unknown][] = []
    const options = new Map<string, { picks: { from: number; to: number; face: number } }>()
    const store = createViewStore()
    const poller = createViewPoller({
      request: (nodeId, sentOptions) => {
        sent.push([nodeId, sentOptions])
        return worker.request(nodeId)
      },
      optionsFor: (nodeId) => options.get(nodeId),
      viewIds: () => ['a', 'b'],
      store,
      intervalMs: 2000,
      now: () => Date.now(),
    })
    poller.refresh('b') // no run open: nothing
    expect(worker.calls).toHaveLength(0)
    poller.update(paused(5))
    expect(sent).toEqual([['a', undefined]])
    // A pick while the round is in flight waits for it…
    options.set('b', { picks: { from: 2, to: 3, face: 4 } })
    poller.refresh('b')
    expect(worker.calls).toHaveLength(1)
    await answerAll(worker, 0)
    // …and the round's own request for b already carries it: no second request.
    expect(sent).toEqual([
      ['a', undefined],
      ['b', { picks: { from: 2, to: 3, face: 4 } }],
    ])
    // A pick between rounds is asked for at once, alone, and lands in the store.
    options.set('a', { picks: { from: 0, to: 5, face: 1 } })
    poller.refresh('a')
    expect(sent.at(-1)).toEqual(['a', { picks: { from: 0, to: 5, face: 1 } }])
    worker.calls.at(-1)?.resolve({ kind: 'points', refreshed: true })
    await settle()
    expect(store.get('a')).toEqual({ data: { kind: 'points', refreshed: true }, step: 5 })
    expect(worker.calls).toHaveLength(3)
    poller.refresh('gone') // not a view of the graph any more
    await settle()
    expect(worker.calls).toHaveLength(3)
    poller.dispose()
  })
})

describe('requestFailure', () => {
  it('passes other messages through', () => {
    expect(requestFailure(new Error('reconstruction [4] does not match'))).toBe(
      'reconstruction [4] does not match',
    )
    expect(requestFailure('boom')).toBe('boom')
  })
})

describe('createViewStore', () => {
  it('notifies on set and on clearing something, and replaces entries', () => {
    const store = createViewStore()
    const listener = vi.fn()
    const unsubscribe = store.subscribe(listener)
    store.clear()
    expect(listener).not.toHaveBeenCalled()
    const entry = { data: { kind: 'points' }, step: 1 }
    store.set('a', entry)
    expect(store.get('a')).toBe(entry)
    store.clear()
    expect(store.get('a')).toBeUndefined()
    expect(listener).toHaveBeenCalledTimes(2)
    unsubscribe()
    store.set('a', entry)
    expect(listener).toHaveBeenCalledTimes(2)
  })
})
