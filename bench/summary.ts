/**
 * The one table of `npm run bench` (issue #9): every figure the benchmark scripts wrote to
 * `.reports/bench-*.json`, with its target and whether it was met. Pure: the reports come in
 * as parsed JSON, so a test can hand it small ones; a missing report gives a row that says so.
 */

/** Met, not met, or no target to judge against. */
export type Status = 'met' | 'not met' | ''

export interface Figure {
  /** Which benchmark: `compile overhead`, `backends`, `memory`, … */
  section: string
  name: string
  value: string
  target: string
  status: Status
}

/** The reports the scripts write, each as its script writes it (only the fields used here). */
export interface Reports {
  vitest?: {
    files: {
      groups: { fullName: string; benchmarks: { name: string; median: number }[] }[]
    }[]
  }
  compile?: {
    rows: {
      model: string
      backend: string
      batchSize: number
      compiledMedian: number
      ratioMedian: number
    }[]
    torch?: { models: Record<string, { stepsPerSecond: number; batchSize: number }> }
  }
  backends?: {
    autoBackend: string
    rows: {
      model: string
      backend: string
      batchSize: number
      detail?: string
      stepsPerSecond: number | null
      samplesPerSecond: number | null
      note: string
    }[]
  }
  editor?: { dragP95Ms: number; editMedianMs: number; pasteToRenderMs: number }
  longTasks?: {
    cores: number
    windows: { longTasks: unknown[]; worstMs: number }[]
    medianLongTasks: number
    medianWorstMs: number
    medianStepsPerSecond: number
    medianRunnable: number | null
  }
  startup?: {
    mainGzipBytes: number
    mainGzipBudgetBytes: number
    workerGzipBytes: number
    firstNodeMs: number
    interactiveMs: number
    runs: number
  }
  memory?: {
    steps: number
    early: number
    rows: {
      preset: string
      batchSize: number
      stepsDone: number
      tensorsEarly: number
      tensorsEnd: number
      bytesEarly: number
      bytesEnd: number
      leftAfterDispose: number
      isFlat: boolean
    }[]
  }
}

/** `met` when `value op limit` holds; not met for a value that is not a number. */
export function judge(
  value: number | null | undefined,
  op: '<' | '≤' | '≥',
  limit: number,
): Status {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'not met'
  const isMet = op === '<' ? value < limit : op === '≤' ? value <= limit : value >= limit
  return isMet ? 'met' : 'not met'
}

const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
const missing = (section: string, script: string): Figure => ({
  section,
  name: 'no results',
  value: `${script} did not write its report (failed or not run)`,
  target: '',
  status: 'not met',
})

/** Median of a vitest bench (milliseconds per iteration) by group and bench name. */
function vitestMedian(reports: Reports, group: string, name: string): number | undefined {
  for (const file of reports.vitest?.files ?? [])
    for (const entry of file.groups)
      if (entry.fullName.includes(group))
        for (const bench of entry.benchmarks) if (bench.name === name) return bench.median
  return undefined
}

function editorFigures(reports: Reports): Figure[] {
  const section = 'editor'
  const figures: Figure[] = []
  if (reports.vitest === undefined) figures.push(missing(section, 'vitest bench'))
  else {
    const analysis = vitestMedian(reports, 'editor analysis', 'analyzeGraph')
    figures.push({
      section,
      name: 'analysis of a 300-node graph (median)',
      value: `${fixed(analysis, 2)} ms`,
      target: '< 10 ms',
      status: judge(analysis, '<', 10),
    })
  }
  const { editor } = reports
  if (editor === undefined) figures.push(missing(section, 'bench/editor.ts'))
  else {
    figures.push({
      section,
      name: 'drag in a 300-node graph: p95 frame interval',
      value: `${fixed(editor.dragP95Ms, 1)} ms`,
      target: '< 33 ms',
      status: judge(editor.dragP95Ms, '<', 33),
    })
    figures.push({
      section,
      name: 'param edit → next frame (median)',
      value: `${fixed(editor.editMedianMs, 1)} ms`,
      target: '',
      status: '',
    })
  }
  return figures
}

function longTaskFigures(reports: Reports): Figure[] {
  const section = 'main thread while training (Chromium)'
  const { longTasks } = reports
  if (longTasks === undefined) return [missing(section, 'bench/longTasks.ts')]
  const counts = longTasks.windows.map((window) => String(window.longTasks.length))
  return [
    {
      section,
      name: `long tasks over 50 ms in 20 s of training (median of ${String(counts.length)} windows)`,
      value: `${fixed(longTasks.medianLongTasks, 0)} (windows: ${counts.join(', ')})`,
      target: '0',
      status: judge(longTasks.medianLongTasks, '≤', 0),
    },
    {
      section,
      name: 'worst long task (median of the windows)',
      value: `${fixed(longTasks.medianWorstMs, 0)} ms`,
      target: '',
      status: '',
    },
    {
      section,
      name: 'the GAN on 2-D points meanwhile, WASM (medians)',
      value: `${fixed(longTasks.medianStepsPerSecond, 1)} steps/s; ${fixed(longTasks.medianRunnable, 1)} threads runnable on ${String(longTasks.cores)} cores`,
      target: '',
      status: '',
    },
  ]
}

function dataFigures(reports: Reports): Figure[] {
  if (reports.vitest === undefined) return []
  // One bench iteration draws 100 photos.
  const batchMs = vitestMedian(reports, 'SynthFaces', '32×32×1')
  const imagesPerSecond = batchMs === undefined ? undefined : 100 / (batchMs / 1000)
  return [
    {
      section: 'data',
      name: 'SynthFaces 32×32 grayscale',
      value: `${fixed(imagesPerSecond, 0)} images/s`,
      target: '≥ 2,000 images/s',
      status: judge(imagesPerSecond, '≥', 2000),
    },
    {
      section: 'data',
      name: 'MNIST asset: read, decode and split 10,000 digits',
      value: `${fixed(vitestMedian(reports, 'MNIST asset', 'read, decode and split 10,000 digits'), 1)} ms`,
      target: '',
      status: '',
    },
  ]
}

function compileFigures(reports: Reports): Figure[] {
  const section = 'compile overhead'
  const { compile } = reports
  if (compile === undefined) return [missing(section, 'bench/compileOverhead.ts')]
  const figures: Figure[] = compile.rows.map((row) => ({
    section,
    name: `${row.model}, ${row.backend}, batch ${String(row.batchSize)}: compiled / hand-written`,
    value: `${fixed(row.ratioMedian, 3)} (${fixed(row.compiledMedian, 2)} steps/s)`,
    target: '≥ 0.95',
    status: judge(row.ratioMedian, '≥', 0.95),
  }))
  for (const row of compile.rows) {
    const torch = compile.torch?.models[row.model]
    if (row.backend !== 'wasm' || torch === undefined || torch.batchSize !== row.batchSize) continue
    figures.push({
      section,
      name: `${row.model}: compiled WASM / PyTorch (CPU)`,
      value: `${fixed(row.compiledMedian / torch.stepsPerSecond, 3)} (${fixed(torch.stepsPerSecond, 1)} steps/s)`,
      target: '',
      status: '',
    })
  }
  return figures
}

function backendFigures(reports: Reports): Figure[] {
  const section = 'backends (Chromium worker)'
  const { backends } = reports
  if (backends === undefined) return [missing(section, 'bench/backends.ts')]
  const figures: Figure[] = backends.rows.map((row) => ({
    section,
    name: `${row.model}, batch ${String(row.batchSize)}, ${row.backend}${row.detail ? ` (${row.detail})` : ''}`,
    value:
      row.stepsPerSecond === null || !Number.isFinite(row.stepsPerSecond)
        ? row.note
        : `${fixed(row.stepsPerSecond, 2)} steps/s, ${fixed(row.samplesPerSecond, 0)} samples/s${row.note ? ` (${row.note})` : ''}`,
    target: '',
    status: '',
  }))
  // `auto` should land on the backend that trains fastest here, for every model.
  const models = [...new Set(backends.rows.map((row) => row.model))]
  const fastest = models.map((model) => {
    const rows = backends.rows.filter((row) => row.model === model)
    const best = rows.reduce<(typeof rows)[number] | undefined>(
      (top, row) => ((row.stepsPerSecond ?? 0) > (top?.stepsPerSecond ?? 0) ? row : top),
      undefined,
    )
    return best?.backend ?? '–'
  })
  figures.push({
    section,
    name: '`auto` picked',
    value: `${backends.autoBackend} (fastest measured: ${models.map((model, index) => `${model} ${fastest[index] ?? '–'}`).join(', ')})`,
    target: 'the fastest',
    status: fastest.every((name) => name === backends.autoBackend) ? 'met' : 'not met',
  })
  return figures
}

function startupFigures(reports: Reports): Figure[] {
  const section = 'bundle and start-up'
  const { startup } = reports
  if (startup === undefined) return [missing(section, 'bench/startup.ts')]
  return [
    {
      section,
      name: 'main bundle at load, gzip (TF.js excluded)',
      value: kB(startup.mainGzipBytes),
      target: `≤ ${kB(startup.mainGzipBudgetBytes)}`,
      status: judge(startup.mainGzipBytes, '≤', startup.mainGzipBudgetBytes),
    },
    {
      section,
      name: 'worker bundle, gzip',
      value: kB(startup.workerGzipBytes),
      target: '',
      status: '',
    },
    {
      section,
      name: `time to interactive, cold load of a share link (median of ${String(startup.runs)})`,
      value: `${fixed(startup.interactiveMs, 0)} ms (first node ${fixed(startup.firstNodeMs, 0)} ms)`,
      target: '',
      status: '',
    },
  ]
}

function memoryFigures(reports: Reports): Figure[] {
  const section = 'memory (WASM, Node)'
  const { memory } = reports
  if (memory === undefined) return [missing(section, 'bench/memory.ts')]
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2)
  return memory.rows.map((row) => {
    const isLong = row.stepsDone >= memory.steps
    return {
      section,
      name: `${row.preset}, batch ${String(row.batchSize)}: step ${String(memory.early)} → ${String(row.stepsDone)}`,
      value: `${String(row.tensorsEarly)} → ${String(row.tensorsEnd)} tensors, ${mb(row.bytesEarly)} → ${mb(row.bytesEnd)} MB${row.leftAfterDispose === 0 ? '' : `, ${String(row.leftAfterDispose)} left after dispose`}`,
      target: `flat to step ${memory.steps.toLocaleString('en')}`,
      status: row.isFlat && isLong ? 'met' : 'not met',
    }
  })
}

/** Every figure, in the order of the issue's list. */
export function benchFigures(reports: Reports): Figure[] {
  return [
    ...compileFigures(reports),
    ...backendFigures(reports),
    ...editorFigures(reports),
    ...longTaskFigures(reports),
    ...startupFigures(reports),
    ...dataFigures(reports),
    ...memoryFigures(reports),
  ]
}

/** A markdown table with one row per figure; `|` inside a cell is escaped. */
export function markdownTable(figures: readonly Figure[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|')
  return [
    '| section | figure | value | target | met |',
    '| --- | --- | --- | --- | --- |',
    ...figures.map(
      (figure) =>
        `| ${[figure.section, figure.name, figure.value, figure.target, figure.status].map(cell).join(' | ')} |`,
    ),
  ].join('\n')
}
