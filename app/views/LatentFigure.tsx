import { useMemo } from 'react'
import type { LatentViewData } from '../../nodes/view/latentView'
import { heatRows } from './imageRaster'
import { RasterImage } from './RasterImage'
import { describeView } from './viewKinds'

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
      <span className="text-[10px] text-zinc-500 dark:text-zinc-400">{title}</span>
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

/**
 * The latent tools' latents, one row per latent and one cell per dimension (orange above 0,
 * blue below, stronger further from 0): the interpolation path between two held-out latents,
 * draws from the prior, and the attribute vector (the smile vector) when an attribute is
 * connected. Decoding them into images needs the decoder, which this view does not run.
 */
export function LatentFigure({ data, size }: { data: LatentViewData; size: 'thumb' | 'large' }) {
  const isThumb = size === 'thumb'
  const width = isThumb ? 160 : 260
  const attribute = data.attribute
  return (
    <div role="img" aria-label={describeView(data)} className="flex flex-col gap-1.5">
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
