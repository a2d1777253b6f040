/**
 * Times in the Library: how long ago a graph was saved, and exact stamps for revisions.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/**
 * "2025-01-31 14:05" in local time: unambiguous in every locale. With `hasSeconds`
 * "2025-01-31 14:05:09", for revisions saved within the same minute.
 */
export function formatStamp(time: number, hasSeconds = false): string {
  const date = new Date(time)
  const pad = (value: number) => String(value).padStart(2, '0')
  const seconds = hasSeconds ? `:${pad(date.getSeconds())}` : ''
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`
}

/** "just now", "5 min ago", "3 h ago", then the stamp. A future time (clock skew) is "just now". */
export function formatAge(time: number, now: number): string {
  const age = now - time
  if (age < MINUTE) return 'just now'
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`
  if (age < 24 * HOUR) return `${Math.floor(age / HOUR)} h ago`
  return formatStamp(time)
}
