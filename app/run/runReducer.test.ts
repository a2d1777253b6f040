import { describe, expect, it } from 'vitest'
import {
  documentTitle,
  etaSeconds,
  formatBytes,
  formatDuration,
  INITIAL_RUN_VIEW,
  reduceRun,
  runControls,
  type RunAction,
  type RunView,
} from './runReducer'

const phases = [
  { optimizer: 'optD', lossNode: 'dLoss', lossPort: 'loss' },
  { optimizer: 'optG', lossNode: 'gLoss', lossPort: 'loss' },
]

const reduceAll = (actions: RunAction[], view: RunView = INITIAL_RUN_VIEW) =>
  actions.reduce(reduceRun, view)

const opened: RunAction = {
  type: 'opened',
  runId: 'r1',
  step: 0,
  phases,
  diagnostics: [],
  maxSteps: 1000,
}

const metrics = (step: number, stepsPerSecond: number): RunAction => ({
  type: 'worker',
  event: {
    type: 'metrics',
    points: [{ step, losses: { optD: 1 }, metrics: {}, lossTerms: {}, time: 0 }],
    stepsPerSecond,
  },
})

describe('reduceRun', () => {
  it('follows a run from open to running, paused and finished', () => {
    let view = reduceAll([{ type: 'busy' }, opened])
    expect(view).toMatchObject({ state: 'paused', isBusy: true, runId: 'r1', step: 0 })
    view = reduceAll(
      [{ type: 'worker', event: { type: 'started', backend: 'wasm', step: 0 } }],
      view,
    )
    expect(view).toMatchObject({ state: 'running', isBusy: false, backend: 'wasm' })
    view = reduceAll([metrics(10, 100), metrics(20, 200)], view)
    expect(view.step).toBe(20)
    expect(view.stepsPerSecond).toBeCloseTo(130)
    view = reduceAll(
      [{ type: 'worker', event: { type: 'memory', numTensors: 40, numBytes: 4096 } }],
      view,
    )
    expect(view.memory).toEqual({ numTensors: 40, numBytes: 4096 })
    expect(etaSeconds(view)).toBeCloseTo(980 / 130)
    expect(documentTitle(view)).toBe('▶ 2% · 20 · Latent Lab')
    view = reduceAll([{ type: 'worker', event: { type: 'paused', step: 25 } }], view)
    expect(view).toMatchObject({ state: 'paused', step: 25 })
    expect(etaSeconds(view)).toBeUndefined()
    expect(documentTitle(view)).toBe('⏸ 2% · 25 · Latent Lab')
    view = reduceAll([{ type: 'worker', event: { type: 'finished', step: 25 } }], view)
    expect(view.state).toBe('finished')
    expect(documentTitle(view)).toBe('Latent Lab')
  })

  it('keeps the failure with the diagnostic naming the loss', () => {
    const diagnostic = {
      code: 'NON_FINITE_LOSS' as const,
      severity: 'error' as const,
      message: 'D loss became NaN at step 3; training stopped.',
      node: 'dLoss',
    }
    const view = reduceAll([
      opened,
      { type: 'worker', event: { type: 'failed', message: diagnostic.message, diagnostic } },
    ])
    expect(view.state).toBe('failed')
    expect(view.failure?.diagnostic?.node).toBe('dLoss')
  })

  it('shows why a graph did not compile and keeps a resume offer', () => {
    const offer = { runId: 'old', step: 50, graphName: 'g', isSameGraph: true }
    const view = reduceAll([
      { type: 'resumeOffer', offer },
      { type: 'busy' },
      { type: 'openFailed', message: 'did not compile', diagnostics: [] },
    ])
    expect(view).toMatchObject({ state: 'failed', isBusy: false, resumeOffer: offer })
  })

  it('titles a big step with separators', () => {
    const view = reduceAll([
      { ...opened, maxSteps: undefined },
      { type: 'worker', event: { type: 'started', backend: 'cpu', step: 1234 } },
    ])
    expect(documentTitle(view)).toBe('▶ 1,234 · Latent Lab')
  })
})

describe('runControls', () => {
  const ready = { isWorkerReady: true, hasNodes: true }
  it('enables only what can act', () => {
    expect(runControls(INITIAL_RUN_VIEW, ready)).toEqual({
      canTrain: true,
      canPause: false,
      canResume: false,
      canStep: true,
      canStop: false,
      canStepOne: true,
    })
    const running = reduceAll([
      opened,
      { type: 'worker', event: { type: 'started', backend: 'cpu', step: 0 } },
    ])
    expect(runControls(running, ready)).toMatchObject({
      canTrain: false,
      canPause: true,
      canResume: false,
      canStep: false,
      canStop: true,
    })
    const paused = reduceAll([{ type: 'worker', event: { type: 'paused', step: 3 } }], running)
    expect(runControls(paused, ready)).toMatchObject({
      canTrain: false,
      canPause: false,
      canResume: true,
      canStep: true,
      canStop: true,
    })
    expect(runControls(reduceRun(paused, { type: 'busy' }), ready).canResume).toBe(false)
    expect(runControls(INITIAL_RUN_VIEW, { isWorkerReady: false, hasNodes: true }).canTrain).toBe(
      false,
    )
    expect(runControls(INITIAL_RUN_VIEW, { isWorkerReady: true, hasNodes: false }).canTrain).toBe(
      false,
    )
  })
})

describe('formatting', () => {
  it('formats durations and sizes', () => {
    expect(formatDuration(12.4)).toBe('12 s')
    expect(formatDuration(65)).toBe('1 m 05 s')
    expect(formatDuration(7380)).toBe('2 h 03 m')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(2048)).toBe('2.0 kB')
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MB')
  })
})
