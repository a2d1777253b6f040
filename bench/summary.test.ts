import { describe, expect, it } from 'vitest'
import { benchFigures, judge, markdownTable, type Figure, type Reports } from './summary'

describe('judge', () => {
  it('compares against the limit and fails what is not a number', () => {
    expect(judge(9.9, '<', 10)).toBe('met')
    expect(judge(10, '<', 10)).toBe('not met')
    expect(judge(350, '≤', 350)).toBe('met')
    expect(judge(0.94, '≥', 0.95)).toBe('not met')
    expect(judge(null, '≥', 0)).toBe('not met')
    expect(judge(Number.NaN, '<', 1)).toBe('not met')
  })
})

const backends: Reports['backends'] = {
  autoBackend: 'wasm',
  rows: [
    {
      model: 'autoencoder',
      backend: 'wasm',
      batchSize: 64,
      stepsPerSecond: 30,
      samplesPerSecond: 1920,
      note: '',
    },
    {
      model: 'autoencoder',
      backend: 'webgpu',
      batchSize: 64,
      stepsPerSecond: null,
      samplesPerSecond: null,
      note: 'too slow',
    },
    {
      model: 'dcgan',
      backend: 'wasm',
      batchSize: 64,
      stepsPerSecond: 1.5,
      samplesPerSecond: 96,
      note: '',
    },
    {
      model: 'dcgan',
      backend: 'webgl',
      batchSize: 64,
      stepsPerSecond: 2,
      samplesPerSecond: 128,
      note: '',
    },
  ],
}

describe('benchFigures', () => {
  it('says which reports are missing instead of leaving them out', () => {
    const figures = benchFigures({})
    // vitest bench, editor, long tasks, compile overhead, backends, start-up, memory
    expect(figures.filter((figure) => figure.name === 'no results')).toHaveLength(7)
    expect(figures.every((figure) => figure.status === 'not met')).toBe(true)
  })

  it('judges auto against the fastest backend of every model', () => {
    const auto = benchFigures({ backends }).find((figure) => figure.name === '`auto` picked')
    expect(auto?.status).toBe('not met')
    expect(auto?.value).toContain('dcgan webgl')
    const fair = { ...backends, rows: backends.rows.slice(0, 3) }
    expect(benchFigures({ backends: fair }).find((f) => f.name === '`auto` picked')?.status).toBe(
      'met',
    )
  })

  it('shows an unavailable backend with its note', () => {
    const row = benchFigures({ backends }).find((figure) => figure.name.includes('webgpu'))
    expect(row?.value).toBe('too slow')
  })

  it('counts memory as met only when flat over the full number of steps', () => {
    const memoryRow = {
      preset: 'vae',
      batchSize: 4,
      tensorsEarly: 32,
      tensorsEnd: 32,
      bytesEarly: 1e6,
      bytesEnd: 1e6,
      leftAfterDispose: 0,
      isFlat: true,
    }
    const figures = benchFigures({
      memory: {
        steps: 2000,
        early: 100,
        rows: [
          { ...memoryRow, stepsDone: 2000 },
          { ...memoryRow, preset: 'cyclegan', stepsDone: 400 },
          { ...memoryRow, preset: 'dcgan', stepsDone: 2000, isFlat: false, tensorsEnd: 33 },
        ],
      },
    }).filter((figure) => figure.section.startsWith('memory'))
    expect(figures.map((figure) => figure.status)).toEqual(['met', 'not met', 'not met'])
    expect(figures[1]?.name).toContain('step 100 → 400')
  })

  it('judges long tasks on the median window and says when their report is missing', () => {
    const section = (figures: Figure[]) =>
      figures.filter((figure) => figure.section.startsWith('main thread'))
    const missing = section(benchFigures({}))
    expect(missing.map((figure) => [figure.name, figure.status])).toEqual([
      ['no results', 'not met'],
    ])
    expect(missing[0]?.value).toContain('bench/longTasks.ts')
    const task = { start: 1000, duration: 61 }
    const longTasks = (counts: number[], medianLongTasks: number): Reports['longTasks'] => ({
      cores: 2,
      windows: counts.map((count) => ({
        longTasks: Array.from({ length: count }, () => task),
        worstMs: count > 0 ? 61 : 0,
      })),
      medianLongTasks,
      medianWorstMs: 0,
      medianStepsPerSecond: 150,
      medianRunnable: 3,
    })
    const quiet = section(benchFigures({ longTasks: longTasks([0, 2, 0], 0) }))
    expect(quiet[0]).toMatchObject({
      name: 'long tasks over 50 ms in 20 s of training (median of 3 windows)',
      value: '0 (windows: 0, 2, 0)',
      target: '0',
      status: 'met',
    })
    expect(quiet.slice(1).map((figure) => figure.status)).toEqual(['', ''])
    expect(quiet[2]?.value).toBe('150.0 steps/s; 3.0 threads runnable on 2 cores')
    const busy = section(benchFigures({ longTasks: longTasks([1, 2, 0], 1) }))
    expect(busy[0]?.status).toBe('not met')
  })

  it('gives the PyTorch ratio only for the WASM row at the same batch', () => {
    const figures = benchFigures({
      compile: {
        rows: [
          {
            model: 'autoencoder',
            backend: 'cpu',
            batchSize: 64,
            compiledMedian: 2,
            ratioMedian: 1,
          },
          {
            model: 'autoencoder',
            backend: 'wasm',
            batchSize: 64,
            compiledMedian: 25,
            ratioMedian: 0.9,
          },
        ],
        torch: { models: { autoencoder: { stepsPerSecond: 12.5, batchSize: 64 } } },
      },
    })
    const torch = figures.filter((figure) => figure.name.includes('PyTorch'))
    expect(torch).toHaveLength(1)
    expect(torch[0]?.value).toMatch(/^2\.000 /)
    const compile = figures.filter((figure) => figure.section === 'compile overhead')
    expect(compile.filter((figure) => figure.status === 'not met')).toHaveLength(1)
  })
})

describe('markdownTable', () => {
  it('has a header, a rule and one escaped row per figure', () => {
    const table = markdownTable([
      { section: 'a', name: 'x | y', value: '1', target: '< 2', status: 'met' },
    ]).split('\n')
    expect(table).toHaveLength(3)
    expect(table[2]).toBe('| a | x \\| y | 1 | < 2 | met |')
  })
})
