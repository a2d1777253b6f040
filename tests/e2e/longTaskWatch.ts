/**
 * What the long-task test (longTasks.spec.ts) and the bench (bench/longTasks.ts) share: the
 * page's record of its long tasks and what competed with it for the cores meanwhile.
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'

/** A long task as the page's PerformanceObserver saw it, on the page's clock (ms). */
export interface LongTask {
  start: number
  duration: number
}

/**
 * Records every long task (over 50 ms) of the page's main thread from its first load on, in
 * `window.longTasks`. Call before the page loads.
 */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = []
    Object.assign(window, { longTasks: tasks })
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        tasks.push({ start: entry.startTime, duration: entry.duration })
      }
    }).observe({ type: 'longtask', buffered: true })
  })
}

/** The recorded long tasks that started within `length` ms from `start` (page clock). */
export function longTasksIn(page: Page, start: number, length: number): Promise<LongTask[]> {
  return page.evaluate(
    ({ start, length }) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (task) => task.start >= start && task.start <= start + length,
      ),
    { start, length },
  )
}

/**
 * Threads ready to run right now, machine-wide (the 4th field of /proc/loadavg, less the reader
 * itself); undefined where /proc is missing. Unlike the load average, which trails the minute
 * before, it says what competes with the page during the window.
 */
export function runnableNow(): number | undefined {
  try {
    const field = readFileSync('/proc/loadavg', 'utf8').split(' ')[3]
    const running = Number(field?.split('/')[0])
    return Number.isFinite(running) ? running - 1 : undefined
  } catch {
    return undefined
  }
}

/**
 * Samples `runnableNow` every 250 ms until the returned function is called; that stops it and
 * gives the median sample (the upper one of an even count; undefined without /proc).
 */
export function sampleRunnable(): () => number | undefined {
  const samples: number[] = []
  const sampler = setInterval(() => {
    const count = runnableNow()
    if (count !== undefined) samples.push(count)
  }, 250)
  return () => {
    clearInterval(sampler)
    const sorted = [...samples].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]
  }
}
