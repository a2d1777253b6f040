import { memo, useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import {
  isLogScalable,
  logTicks,
  thinColumns,
  withSmoothing,
  type ChartColumns,
  type ChartScale,
} from '../run/chartPlan'

/** Where a chart's data comes from: a version to tell new data, and the columns when drawing. */
export interface ChartSource {
  subscribe: (listener: () => void) => () => void
  version: () => number
  columns: () => ChartColumns
}

export interface ChartLine {
  label: string
  color: string
}

const PLOT_HEIGHT = 112

/** Rows drawn at most: several per pixel of the widest dock chart. */
const MAX_DRAWN_POINTS = 2000

/**
 * A chart redraws at most this often: enough to watch a curve move, while the canvas, its
 * raster and composite cost the main thread (and a software GPU) little during training; on a
 * busy 2-core machine every frame drawn is a chance of a long task.
 */
const REDRAW_INTERVAL_MS = 1000

// Charts waiting to redraw, drawn one per animation frame: a frame never pays for all of them.
const waiting = new Set<() => void>()
let frame = 0

function drawNext(): void {
  frame = 0
  const [next] = waiting
  if (next === undefined) return
  waiting.delete(next)
  next()
  if (waiting.size > 0) frame = requestAnimationFrame(drawNext)
}

function requestDraw(draw: () => void): void {
  waiting.add(draw)
  if (frame === 0) frame = requestAnimationFrame(drawNext)
}

/** A static source, for charts of stored runs. */
export function staticSource(columns: ChartColumns): ChartSource {
  return { subscribe: () => () => undefined, version: () => 0, columns: () => columns }
}

const formatTick = (value: number | null) =>
  value === null
    ? ''
    : value === 0
      ? '0'
      : Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3
        ? value.toExponential(0)
        : String(Number(value.toPrecision(3)))

/** The scale distribution: linear for 0…1 quantities, log for positive losses, else arcsinh. */
function distributionOf(columns: ChartColumns, scale: ChartScale, isLog: boolean): 1 | 3 | 4 {
  if (scale === 'unit' || !isLog) return 1
  return isLogScalable(columns) ? 3 : 4
}

function plotOptions(
  width: number,
  lines: readonly ChartLine[],
  isSmoothed: boolean,
  scale: ChartScale,
  distr: 1 | 3 | 4,
  ink: string,
): uPlot.Options {
  const series: uPlot.Series[] = [{ label: 'step' }]
  for (const line of lines) {
    if (isSmoothed) {
      // The raw values stay visible, faintly, behind the smoothed line.
      series.push({
        label: `${line.label} (raw)`,
        stroke: `${line.color}55`,
        width: 1,
        spanGaps: true,
      })
    }
    series.push({ label: line.label, stroke: line.color, width: 1.5, spanGaps: true })
  }
  const axis: uPlot.Axis = {
    stroke: ink,
    grid: { stroke: `${ink}22`, width: 1 },
    ticks: { stroke: `${ink}44`, width: 1, size: 3 },
    font: '10px system-ui, sans-serif',
  }
  return {
    width,
    height: PLOT_HEIGHT,
    legend: { show: false },
    // Zooming would be undone by the next redraw of a live chart; the cursor reads values.
    cursor: { drag: { x: false, y: false }, points: { size: 5 } },
    scales: {
      x: { time: false },
      // uPlot's Distr is an ambient const enum, which isolated modules cannot name.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
      y:
        scale === 'unit'
          ? { range: [0, 1] }
          : {
              distr,
              log: 10,
              asinh: 0.01,
              // Whole decades would squash a loss moving between 0.6 and 1.4 into a sliver.
              range: (_plot, min, max) =>
                distr === 3
                  ? [min / 1.1, max * 1.1]
                  : distr === 4
                    ? uPlot.rangeAsinh(min, max, 10, false)
                    : uPlot.rangeNum(min, max, 0.1, true),
            },
    },
    axes: [
      { ...axis, size: 22, values: (_, ticks) => ticks.map(formatTick) },
      {
        ...axis,
        size: 40,
        values: (_, ticks) => ticks.map(formatTick),
        ...(distr === 3 && scale !== 'unit'
          ? { splits: (_u, _axis, min, max) => logTicks(min, max) }
          : {}),
      },
    ],
    series,
  }
}

/** "#0284c7" from a CSS colour of the container, for the axes (uPlot draws on a canvas). */
function inkOf(element: HTMLElement): string {
  const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(element).color)
  if (match === null) return '#52525b'
  return `#${match
    .slice(1, 4)
    .map((part) => Number(part).toString(16).padStart(2, '0'))
    .join('')}`
}

/**
 * One uPlot chart. New data is drawn on an animation frame (none while the tab is hidden; one
 * chart per frame), reading the source only then, so a metrics batch costs React nothing. The
 * container's `data-points` says how many points are drawn (tests read it).
 */
export const LossChart = memo(function LossChart({
  source,
  lines,
  scale,
  isLog,
  smoothing,
}: {
  source: ChartSource
  lines: readonly ChartLine[]
  scale: ChartScale
  isLog: boolean
  /** 0 (none) to below 1. */
  smoothing: number
}) {
  const containerRef = useRef<HTMLDivElement>(null)
  const linesKey = lines.map((line) => `${line.label}:${line.color}`).join('|')

  useEffect(() => {
    const container = containerRef.current
    if (container === null) return
    let plot: uPlot | undefined
    let distr: 1 | 3 | 4 | undefined
    let drawn = -1
    let drawnAt = Number.NEGATIVE_INFINITY
    let timer: ReturnType<typeof setTimeout> | undefined
    const isSmoothed = smoothing > 0

    const draw = () => {
      drawnAt = performance.now()
      const version = source.version()
      if (version === drawn && plot !== undefined) return
      drawn = version
      const columns = source.columns()
      const data = thinColumns(
        withSmoothing(columns, smoothing),
        MAX_DRAWN_POINTS,
      ) as uPlot.AlignedData
      const wanted = distributionOf(columns, scale, isLog)
      if (plot === undefined || wanted !== distr) {
        plot?.destroy()
        distr = wanted
        const width = Math.max(160, container.clientWidth)
        const options = plotOptions(width, lines, isSmoothed, scale, wanted, inkOf(container))
        plot = new uPlot(options, data, container)
      } else {
        plot.setData(data)
      }
      container.dataset.points = String(columns[0].length)
    }
    const request = () => {
      if (timer !== undefined) return
      const wait = drawnAt + REDRAW_INTERVAL_MS - performance.now()
      if (wait <= 0) {
        requestDraw(draw)
        return
      }
      timer = setTimeout(() => {
        timer = undefined
        requestDraw(draw)
      }, wait)
    }
    request()
    const unsubscribe = source.subscribe(request)
    const resize = new ResizeObserver(() => {
      const width = Math.max(160, container.clientWidth)
      if (plot !== undefined && plot.width !== width) plot.setSize({ width, height: PLOT_HEIGHT })
    })
    resize.observe(container)
    return () => {
      unsubscribe()
      clearTimeout(timer)
      waiting.delete(draw)
      resize.disconnect()
      plot?.destroy()
    }
    // `lines` is compared by its key: the same lines in a new array need no new chart.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, linesKey, scale, isLog, smoothing])

  return <div ref={containerRef} className="w-full min-w-40 text-zinc-500 dark:text-zinc-400" />
})
