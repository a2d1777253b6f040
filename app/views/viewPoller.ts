/**
 * When the app asks the worker for view data (issues #6, #8): every `intervalMs` while a run
 * trains, once when it pauses, steps by hand, finishes or fails, never two requests at once and
 * nothing while the tab is hidden (a stale view is fetched when the tab shows again). Each
 * request runs in the worker between two iterations, so the cadence is what training pays.
 * No React: the hook `useViewPolling` feeds it the run and the tab's visibility.
 */
import type { ViewData } from '../../graph-core/nodeDefinition'
import type { ViewRequestOptions } from '../../workers/viewRequestOptions'
import type { RunState } from '../run/statusText'
import type { ViewEntry, ViewStore } from './viewStore'

/** While training, views are asked for this often by default. */
export const VIEW_INTERVAL_MS = 2000

/** What the poller needs to know of the run. */
export interface RunSnapshot {
  readonly runId: string | undefined
  readonly state: RunState
  readonly step: number
}

export interface ViewPollerOptions {
  /** The worker's answer for one view node (the run controller's `requestView`). */
  request: (nodeId: string, options?: ViewRequestOptions) => Promise<ViewData>
  /** What to send with a view's request (the latent tools' picks); nothing by default. */
  optionsFor?: (nodeId: string) => ViewRequestOptions | undefined
  /** The view nodes to ask for, in order (read at the start of every round). */
  viewIds: () => readonly string[]
  store: ViewStore
  intervalMs?: number
  isHidden?: () => boolean
  now?: () => number
  /** Hears of every answer kept, with the run as it was when the round began. */
  onEntry?: (nodeId: string, entry: ViewEntry, run: RunSnapshot) => void
}

export interface ViewPoller {
  /** The run changed (state, step or a new run). */
  update(run: RunSnapshot): void
  /** The tab was shown or hidden. */
  visibilityChanged(): void
  /**
   * Asks for this view again now (its options changed), after the round in flight if any;
   * nothing when no run is open or the view is not among `viewIds`.
   */
  refresh(nodeId: string): void
  dispose(): void
}

/** The message a view shows when its request failed. */
export function requestFailure(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause)
  // A node added after the run started is not part of the compiled run.
  if (/is not a view node/.test(message)) return 'Not part of the open run: train again to see it.'
  return message
}

export function createViewPoller(options: ViewPollerOptions): ViewPoller {
  const {
    request,
    viewIds,
    store,
    intervalMs = VIEW_INTERVAL_MS,
    isHidden = () => false,
    now = () => performance.now(),
    onEntry,
    optionsFor = () => undefined,
  } = options
  let run: RunSnapshot = { runId: undefined, state: 'idle', step: 0 }
  // The step the last finished round was asked at, for this run (-1: none yet), and whether
  // the run had finished then: a run stopped where it paused still gets its final round.
  let fetchedStep = -1
  let hasFetchedFinished = false
  let lastRoundAt = Number.NEGATIVE_INFINITY
  let isFetching = false
  let isStale = false
  let isDisposed = false
  // Views to ask for again as soon as nothing is in flight (their options changed).
  const refreshes = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | undefined

  function cancelTimer(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }

  function isOpen(): boolean {
    return run.runId !== undefined && run.state !== 'idle'
  }

  /** Whether the run has moved on since the last round (a step, or finishing). */
  function isBehind(): boolean {
    return run.step !== fetchedStep || (run.state === 'finished' && !hasFetchedFinished)
  }

  /** One view's answer (or why it failed) into the store, unless the run changed meanwhile. */
  async function fetchOne(nodeId: string, asked: RunSnapshot): Promise<boolean> {
    let data: ViewData
    try {
      data = await request(nodeId, optionsFor(nodeId))
    } catch (cause) {
      data = { kind: 'error', message: requestFailure(cause) }
    }
    if (isDisposed || run.runId !== asked.runId) return false
    const entry = { data, step: run.step }
    store.set(nodeId, entry)
    onEntry?.(nodeId, entry, asked)
    return true
  }

  /** The views whose options changed, asked for one by one; never beside a round. */
  async function refreshRound(): Promise<void> {
    isFetching = true
    const asked = run
    try {
      for (const nodeId of refreshes) {
        refreshes.delete(nodeId)
        if (!viewIds().includes(nodeId)) continue
        if (!(await fetchOne(nodeId, asked))) return
      }
    } finally {
      isFetching = false
      reconsider()
    }
  }

  /** Starts a round now, schedules one, or does nothing, as the run's state asks. */
  function reconsider(): void {
    if (isDisposed || !isOpen() || isFetching) return
    if (refreshes.size > 0) {
      if (isHidden()) isStale = true
      else void refreshRound()
      return
    }
    if (timer !== undefined) return
    if (run.state !== 'running' && !isBehind()) return
    if (isHidden()) {
      isStale = true
      return
    }
    const wait = run.state === 'running' ? lastRoundAt + intervalMs - now() : 0
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined
        reconsider()
      }, wait)
      return
    }
    void round()
  }

  async function round(): Promise<void> {
    isFetching = true
    const asked = run
    const { runId, step } = asked
    try {
      for (const nodeId of viewIds()) {
        // This round asks with the current options: a refresh waiting for it is answered.
        refreshes.delete(nodeId)
        if (!(await fetchOne(nodeId, asked))) return
      }
      fetchedStep = step
      hasFetchedFinished = asked.state === 'finished'
    } finally {
      isFetching = false
      // A round cut short by a new run does not delay that run's first round.
      if (run.runId === runId) lastRoundAt = now()
      reconsider()
    }
  }

  return {
    update(next) {
      if (next.runId !== run.runId) {
        store.clear()
        fetchedStep = -1
        hasFetchedFinished = false
        lastRoundAt = Number.NEGATIVE_INFINITY
        refreshes.clear()
        cancelTimer()
      }
      run = next
      // A paused or finished run wants one round at once, not at the end of the interval.
      if (run.state !== 'running') cancelTimer()
      reconsider()
    },
    refresh(nodeId) {
      if (isDisposed || !isOpen()) return
      refreshes.add(nodeId)
      reconsider()
    },
    visibilityChanged() {
      if (isHidden() || !isStale) return
      isStale = false
      reconsider()
    },
    dispose() {
      isDisposed = true
      cancelTimer()
    },
  }
}
