import { useId, useMemo, useState } from 'react'
import type { LatentPicks } from '../../nodes/view/latentPicks'
import type { DecodedRows, LatentDecodings, LatentViewData } from '../../nodes/view/latentView'
import { heatRows } from './imageRaster'
import { useLatentPicks } from './latentPicksStore'
import { decodedRaster, faceRaster } from './latentRasters'
import { RasterImage } from './RasterImage'
import { describeView } from './viewKinds'

type Decoded = Exclude<LatentDecodings, { problem: string }>

const Caption = ({ children }: { children: React.ReactNode }) => (
  <span className="text-[10px] text-zinc-500 dark:text-zinc-400">{children}</span>
)

/** One block of latents as a heat map, with what it is. */
function LatentRows(props: {
  title: string
  values: readonly (number | null)[]
  dim: number
  width: number
  height: number
}) {
  const { title, values, dim, width, height } = props
  const raster = useMemo(() => heatRows(values, dim), [values, dim])
  if (raster.height === 0) return null
  return (
    <div className="flex flex-col gap-0.5">
      <Caption>{title}</Caption>
      <RasterImage
        raster={raster}
        // Cells up to 24 × 12 px: one column per latent dimension, one row per latent.
        maxWidth={Math.min(width, raster.width * 24)}
        maxHeight={Math.min(height, raster.height * 12)}
        label={title}
        isStretched
      />
    </div>
  )
}

/** A group of decoded images (a sample grid, a row), with what it is. */
function DecodedImages(props: {
  title: string
  rows: DecodedRows
  columns: number
  width: number
  height: number
}) {
  const { title, rows, columns, width, height } = props
  const raster = useMemo(() => decodedRaster(rows, columns), [rows, columns])
  if (raster.width === 0) return null
  return (
    <div className="flex flex-col gap-0.5">
      <Caption>{title}</Caption>
      <RasterImage raster={raster} maxWidth={width} maxHeight={height} label={title} />
    </div>
  )
}

const ROLES = [
  { key: 'from', label: 'Start', badge: 'A' },
  { key: 'to', label: 'End', badge: 'B' },
  { key: 'face', label: 'Smile face', badge: 'S' },
] as const satisfies readonly { key: keyof LatentPicks; label: string; badge: string }[]

/**
 * The held-out faces (original above decoding) as buttons: choose what to pick for, then a
 * face. Badges show which face is the interpolation's start (A), end (B) and the smile face (S).
 */
function FacePicker(props: {
  faces: NonNullable<Decoded['faces']>
  picks: LatentPicks
  onPick: (picks: LatentPicks) => void
}) {
  const { faces, picks, onPick } = props
  const [role, setRole] = useState<keyof LatentPicks>('from')
  const name = useId()
  const count = faces.decoded.count
  const rasters = useMemo(
    () =>
      Array.from({ length: count }, (_, index) =>
        faceRaster(faces.originals, faces.decoded, index),
      ),
    [faces, count],
  )
  return (
    <div className="flex flex-col gap-1">
      <Caption>Held-out faces (original above, decoded below): pick</Caption>
      <div role="radiogroup" aria-label="Pick for" className="flex gap-2 text-[11px]">
        {ROLES.map(({ key, label, badge }) => (
          <label key={key} className="flex items-center gap-1">
            <input
              type="radio"
              name={name}
              checked={role === key}
              onChange={() => {
                setRole(key)
              }}
            />
            {label} ({badge})
          </label>
        ))}
      </div>
      <div className="flex flex-wrap gap-1">
        {rasters.map((raster, index) => {
          const badges = ROLES.filter(({ key }) => picks[key] === index).map(({ badge }) => badge)
          return (
            <button
              // The faces are positions among the held-out samples: the index is their identity.
              key={index}
              type="button"
              aria-label={`Face ${index + 1}${badges.length > 0 ? ` (${badges.join(', ')})` : ''}`}
              aria-pressed={picks[role] === index}
              onClick={() => {
                onPick({ ...picks, [role]: index })
              }}
              className={`relative rounded border p-0.5 ${
                picks[role] === index
                  ? 'border-sky-500 ring-1 ring-sky-500'
                  : 'border-zinc-300 dark:border-zinc-700'
              }`}
            >
              <RasterImage
                raster={raster}
                maxWidth={40}
                maxHeight={80}
                label={`Face ${index + 1}`}
              />
              {badges.length > 0 && (
                <span className="absolute top-0 right-0 rounded-bl bg-sky-600 px-0.5 text-[9px] leading-tight text-white">
                  {badges.join('')}
                </span>
              )}
            </button>
          )
        })}
      </div>
    </div>
  )
}

const signed = (value: number) => (value > 0 ? `+${value}` : String(value))

/**
 * The smile strip: the chosen face's latent plus s × the attribute vector, decoded; a slider
 * moves over the strengths the worker decoded (instantly: no request), the picture at the
 * chosen strength large beside the whole strip.
 */
function AttributeStrip(props: { attribute: NonNullable<Decoded['attribute']>; face: number }) {
  const { attribute, face } = props
  const { strengths, images } = attribute
  const zero = Math.max(0, strengths.indexOf(0))
  const [index, setIndex] = useState(zero)
  const shown = Math.min(index, strengths.length - 1)
  const strength = strengths[shown] ?? 0
  const picture = useMemo(() => decodedRaster(images, 1, shown, 1), [images, shown])
  const strip = useMemo(() => decodedRaster(images, strengths.length), [images, strengths])
  const label = `Face ${face + 1} with smile strength ${signed(strength)}`
  return (
    <div className="flex flex-col gap-1">
      <Caption>Smile vector: face {face + 1} + s × (smiling − neutral)</Caption>
      <div className="flex items-center gap-2">
        <RasterImage raster={picture} maxWidth={96} maxHeight={96} label={label} />
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-2 text-[11px]">
            Smile strength
            <input
              type="range"
              min={0}
              max={strengths.length - 1}
              step={1}
              value={shown}
              aria-valuetext={signed(strength)}
              onChange={(event) => {
                setIndex(Number(event.target.value))
              }}
            />
            <span className="w-7 font-mono">{signed(strength)}</span>
          </label>
          <RasterImage
            raster={strip}
            maxWidth={260}
            maxHeight={40}
            label={`Smile strengths ${strengths.map(signed).join(', ')}`}
          />
        </div>
      </div>
    </div>
  )
}

/** The decoded tools, large: prior samples, face picker, interpolation, smile strip. */
function DecodedTools(props: { data: LatentViewData; decoded: Decoded; nodeId: string }) {
  const { data, decoded, nodeId } = props
  const [chosen, setPicks] = useLatentPicks(nodeId)
  const { picks } = decoded
  // Two columns, wrapping only when the dock is narrow: the dock is wide and short.
  return (
    <div className="flex flex-wrap items-start gap-4">
      <div className="flex flex-col gap-1.5">
        {decoded.prior.count > 0 && (
          <DecodedImages
            title={`Prior samples decoded · ${decoded.prior.count} draws of N(0, I) · seed ${data.prior.seed}`}
            rows={decoded.prior}
            columns={Math.min(8, decoded.prior.count)}
            width={360}
            height={120}
          />
        )}
        {decoded.faces !== null && (
          // The user's latest picks, not the drawn ones: a second pick made before the worker
          // answers the first must keep it.
          <FacePicker faces={decoded.faces} picks={chosen ?? picks} onPick={setPicks} />
        )}
      </div>
      <div className="flex flex-col gap-1.5">
        {decoded.interpolation !== null && (
          <DecodedImages
            title={
              decoded.faces === null
                ? `Interpolation · ${data.interpolation?.mode ?? 'linear'} · first two held-out latents`
                : `Interpolation · ${data.interpolation?.mode ?? 'linear'} · face ${picks.from + 1} (A) → face ${picks.to + 1} (B)`
            }
            rows={decoded.interpolation}
            columns={decoded.interpolation.count}
            width={360}
            height={60}
          />
        )}
        {decoded.attribute !== null && (
          <AttributeStrip attribute={decoded.attribute} face={picks.face} />
        )}
      </div>
    </div>
  )
}

/**
 * The latent tools. With the worker's decodings (it runs the decoder downstream of the view's
 * latents): prior samples as images, the held-out faces to pick from, the interpolation between
 * the picked faces and the smile strip with its strength slider; the thumbnail shows the prior
 * samples. Without a decoder: the latents themselves as heat strips (orange above 0, blue below),
 * and why there are no images.
 */
export function LatentFigure({
  data,
  size,
  nodeId,
}: {
  data: LatentViewData
  size: 'thumb' | 'large'
  /** The view node, to keep the user's picks by; without it (thumbnails) nothing is picked. */
  nodeId?: string
}) {
  const isThumb = size === 'thumb'
  const decoded = data.decoded
  if (decoded !== undefined && !('problem' in decoded)) {
    return (
      <div role="group" aria-label={describeView(data)} className="flex flex-col gap-1.5">
        {isThumb || nodeId === undefined ? (
          <DecodedImages
            title="Prior samples decoded"
            rows={
              decoded.prior.count > 0 ? decoded.prior : (decoded.interpolation ?? decoded.prior)
            }
            columns={4}
            width={isThumb ? 160 : 360}
            height={isThumb ? 90 : 120}
          />
        ) : (
          <DecodedTools data={data} decoded={decoded} nodeId={nodeId} />
        )}
      </div>
    )
  }
  const width = isThumb ? 160 : 260
  const attribute = data.attribute
  return (
    <div role="img" aria-label={describeView(data)} className="flex flex-col gap-1.5">
      {decoded !== undefined && !isThumb && (
        <p className="max-w-72 text-[10px] text-amber-700 dark:text-amber-400">{decoded.problem}</p>
      )}
      {data.interpolation !== null && (
        <LatentRows
          title={`Interpolation · ${data.interpolation.mode} · ${data.interpolation.steps} steps`}
          values={data.interpolation.latents}
          dim={data.dim}
          width={width}
          height={isThumb ? 40 : 90}
        />
      )}
      {!isThumb && data.prior.count > 0 && (
        <LatentRows
          title={`Prior N(0, I) · ${data.prior.count} draws · seed ${data.prior.seed}`}
          values={data.prior.latents}
          dim={data.dim}
          width={width}
          height={90}
        />
      )}
      {attribute !== undefined &&
        (attribute.vector === null ? (
          <p className="text-[10px] text-zinc-500">
            No attribute vector: {attribute.withCount} with, {attribute.withoutCount} without
          </p>
        ) : (
          <LatentRows
            title={`Attribute vector · ${attribute.withCount} with − ${attribute.withoutCount} without`}
            values={attribute.vector}
            dim={data.dim}
            width={width}
            height={isThumb ? 8 : 16}
          />
        ))}
      {data.interpolation === null && data.prior.count === 0 && (
        <p className="text-zinc-500">Fewer than two held-out latents.</p>
      )}
    </div>
  )
}
