import { useMemo, type ReactNode } from 'react'
import type { RunRecord } from '../storage/labDatabase'
import { verificationCompareRows } from '../run/verificationCompare'

const CELL = 'border-b border-zinc-200 px-2 py-0.5 text-left dark:border-zinc-800'

/**
 * The Compare table of the Runs tab (issue #8): the verification numbers each metric-learning
 * run reached on held-out identities, side by side, the best of each row in bold — so "margin
 * losses beat the softmax baseline on new people" reads off one table. Nothing without them;
 * every run reaching a row's best is in bold.
 */
export function VerificationCompare({
  runs,
  header,
}: {
  runs: readonly RunRecord[]
  /** The comparison's header row (the runs' names in their colours). */
  header: ReactNode
}) {
  const rows = useMemo(() => verificationCompareRows(runs), [runs])
  if (rows.length === 0) return null
  return (
    <table aria-label="Compare" className="border-collapse tabular-nums">
      <caption className="text-left font-medium">
        Compare: verification on held-out identities
      </caption>
      <thead>{header}</thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th className={CELL}>{row.label}</th>
            {row.values.map((value, index) => (
              <td
                key={String(index)}
                className={`${CELL} ${value !== undefined && value === row.best ? 'font-semibold text-zinc-900 dark:text-zinc-50' : ''}`}
              >
                {value === undefined ? '—' : value.toFixed(3)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
