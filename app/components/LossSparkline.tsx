/** A small line of loss values, log-scaled so a fall from 1 to 0.01 reads as a slope. */
export function LossSparkline({ losses, label }: { losses: readonly number[]; label: string }) {
  const width = 160
  const height = 32
  const logs = losses.filter((value) => value > 0 && Number.isFinite(value)).map(Math.log10)
  if (logs.length < 2) return null
  const low = Math.min(...logs)
  const span = Math.max(...logs) - low || 1
  const points = logs
    .map((value, index) => {
      const x = (index / (logs.length - 1)) * width
      const y = height - 2 - ((value - low) / span) * (height - 4)
      return `${x.toFixed(1)},${y.toFixed(1)}`
    })
    .join(' ')
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="text-sky-600 dark:text-sky-400"
    >
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  )
}
