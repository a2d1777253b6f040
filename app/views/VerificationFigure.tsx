import type { VerificationViewData } from '../../nodes/view/verificationView'
import { describeView, formatFar, formatMetric } from './viewKinds'

const PAD = { left: 26, right: 6, top: 6, bottom: 20 }

/** The ROC (FAR → TAR) as an SVG line over the chance diagonal, TAR@FAR targets marked. */
function RocCurve({
  data,
  size,
  isCompact,
}: {
  data: VerificationViewData
  size: number
  isCompact: boolean
}) {
  const pad = isCompact ? { left: 4, right: 4, top: 4, bottom: 4 } : PAD
  const width = size - pad.left - pad.right
  const height = size - pad.top - pad.bottom
  const x = (far: number) => pad.left + far * width
  const y = (tar: number) => pad.top + (1 - tar) * height
  const roc = data.roc
  const path =
    roc === null
      ? ''
      : roc.far
          .map(
            (far, index) =>
              `${index === 0 ? 'M' : 'L'}${x(far).toFixed(1)},${y(roc.tar[index] ?? 0).toFixed(1)}`,
          )
          .join('')
  const area = roc === null ? '' : `${path}L${x(1)},${y(0)}L${x(0)},${y(0)}Z`
  return (
    <svg
      width={size}
      height={size}
      aria-hidden
      className="shrink-0 overflow-visible text-zinc-500 dark:text-zinc-400"
    >
      <rect
        x={pad.left}
        y={pad.top}
        width={width}
        height={height}
        fill="none"
        stroke="currentColor"
        strokeOpacity={0.35}
      />
      <line
        x1={x(0)}
        y1={y(0)}
        x2={x(1)}
        y2={y(1)}
        stroke="currentColor"
        strokeOpacity={0.35}
        strokeDasharray="3 3"
      />
      {!isCompact && (
        <g fontSize={9} fill="currentColor">
          {[0, 0.5, 1].map((tick) => (
            <g key={tick}>
              <text x={x(tick)} y={size - 8} textAnchor="middle">
                {tick}
              </text>
              <text x={pad.left - 4} y={y(tick) + 3} textAnchor="end">
                {tick}
              </text>
            </g>
          ))}
          <text x={pad.left + width / 2} y={size} textAnchor="middle">
            FAR
          </text>
          <text
            x={2}
            y={pad.top + height / 2}
            textAnchor="middle"
            transform={`rotate(-90 6 ${pad.top + height / 2})`}
          >
            TAR
          </text>
        </g>
      )}
      {roc !== null && (
        <>
          <path d={area} fill="#0284c7" fillOpacity={0.12} />
          <path d={path} fill="none" stroke="#0284c7" strokeWidth={1.75} strokeLinejoin="round" />
        </>
      )}
      {!isCompact &&
        data.tarAtFar
          .filter((point) => point.isResolved)
          .map((point) => (
            <circle
              key={point.targetFar}
              cx={x(point.far)}
              cy={y(point.tar)}
              r={3}
              fill="#d97706"
            />
          ))}
    </svg>
  )
}

/** One number of the table beside the curve. */
function Metric({ name, value, title }: { name: string; value: string; title?: string }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400" title={title}>
        {name}
      </dt>
      <dd className="text-right font-mono tabular-nums text-zinc-900 dark:text-zinc-100">
        {value}
      </dd>
    </>
  )
}

/**
 * Verification on held-out identities: the ROC with AUC, TAR at FAR 10⁻¹ and 10⁻² (n/a with too
 * few impostor pairs), best-threshold accuracy, top-1 identification and few-shot 3 → 1, as
 * numbers beside the curve. The thumbnail shows the curve and the AUC.
 */
export function VerificationFigure({
  data,
  size,
}: {
  data: VerificationViewData
  size: 'thumb' | 'large'
}) {
  const label = describeView(data)
  if (size === 'thumb') {
    return (
      <div role="img" aria-label={label} className="flex items-center gap-2">
        <RocCurve data={data} size={72} isCompact />
        <p className="text-zinc-600 dark:text-zinc-300">
          AUC <span className="font-mono font-semibold tabular-nums">{formatMetric(data.auc)}</span>
        </p>
      </div>
    )
  }
  return (
    <div role="img" aria-label={label} className="flex items-start gap-3">
      <RocCurve data={data} size={180} isCompact={false} />
      <dl className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 text-[11px]">
        <Metric
          name="AUC"
          value={formatMetric(data.auc)}
          title="Area under the ROC of same-person-if-cosine ≥ t over all held-out pairs"
        />
        {data.tarAtFar.map((point) => (
          <Metric
            key={point.targetFar}
            name={`TAR @ FAR ${formatFar(point.targetFar)}`}
            value={point.isResolved ? formatMetric(point.tar) : 'n/a'}
            title={
              point.isResolved
                ? `Threshold ${formatMetric(point.threshold)}`
                : 'Too few impostor pairs to measure this FAR'
            }
          />
        ))}
        <Metric
          name="Best-threshold acc."
          value={formatMetric(data.bestAccuracy?.accuracy)}
          title={`Balanced pairs, threshold ${formatMetric(data.bestAccuracy?.threshold)}`}
        />
        <Metric
          name="Top-1 identification"
          value={formatMetric(data.identification.accuracy)}
          title={`${data.identification.correct} of ${data.identification.probeCount} probes against a gallery of ${data.identification.galleryCount}`}
        />
        <Metric
          name="Few-shot 3 → 1"
          value={formatMetric(data.fewShot.accuracy)}
          title={`${data.fewShot.correct} of ${data.fewShot.episodeCount} episodes`}
        />
        <dt className="col-span-2 pt-1 text-[10px] text-zinc-400">
          {data.rowCount} images · {data.identityCount} identities ·{' '}
          {data.pairs.genuine + data.pairs.impostor} pairs
          {data.pairs.isSampled ? ' (sampled)' : ''}
        </dt>
      </dl>
    </div>
  )
}
