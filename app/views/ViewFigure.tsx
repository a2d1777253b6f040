import { useMemo } from 'react'
import type { EmbeddingsViewData } from '../../nodes/view/embeddingsView'
import { boundsCovering } from '../../nodes/view/metrics/decisionSurface'
import type { WithDenoising } from '../../nodes/view/metrics/denoising'
import type { ReconstructionViewData } from '../../nodes/view/reconstructionView'
import type { Scatter2dViewData } from '../../nodes/view/scatter2dView'
import type { ImageGrid, VectorRows } from '../../nodes/view/viewSupport'
import { heatRows, surfaceRaster } from './imageRaster'
import { DenoisingFigure } from './DenoisingFigure'
import { LatentFigure } from './LatentFigure'
import { categoryColor, FAKE_COLOR, labelIndices, POINT_COLOR, REAL_COLOR } from './plotColors'
import { PlotLegend, PointsPlot, type PointLayer } from './PointsPlot'
import { RasterImage } from './RasterImage'
import { VerificationFigure } from './VerificationFigure'
import { describeView, formatDb, formatMetric, rowColumns, type KnownViewData } from './viewKinds'
import { imageViewRaster } from './viewRaster'

export type FigureSize = 'thumb' | 'large'

/** CSS sizes of the drawings: a node thumbnail, or the dock's Views tab. */
const SIZES = {
  thumb: { points: 150, imageWidth: 176, imageHeight: 132 },
  large: { points: 196, imageWidth: 380, imageHeight: 200 },
} as const

/** Rows of input | output | target are wider: in the dock they get room for 2× pixels. */
const ROW_SIZES = {
  thumb: SIZES.thumb,
  large: { imageWidth: 520, imageHeight: 200 },
} as const

const Caption = ({ children }: { children: React.ReactNode }) => (
  <p className="text-[10px] text-zinc-500 dark:text-zinc-400">{children}</p>
)

/**
 * The drawing of one view's data, in a node thumbnail or large in the dock; `nodeId` lets the
 * latent tools keep the user's picks (the dock passes it).
 */
export function ViewFigure({
  data,
  size,
  nodeId,
}: {
  data: KnownViewData
  size: FigureSize
  nodeId?: string
}) {
  switch (data.kind) {
    case 'error':
      return <p className="max-w-72 text-red-700 dark:text-red-400">{describeView(data)}</p>
    case 'verification':
      return <VerificationFigure data={data} size={size} />
    case 'latent':
      return <LatentFigure data={data} size={size} {...(nodeId === undefined ? {} : { nodeId })} />
    case 'embeddings':
      return <EmbeddingsFigure data={data} size={size} />
    case 'scatter2d':
      return <ScatterFigure data={data} size={size} />
    case 'points':
      return (
        <PointsPlot
          layers={[{ points: data.points, color: POINT_COLOR, label: 'samples' }]}
          bounds={boundsCovering(data.points, [])}
          size={SIZES[size].points}
          label={describeView(data)}
        />
      )
    case 'images':
    case 'vectors':
      return <GridFigure data={data} size={size} label={describeView(data)} />
    case 'reconstruction':
      return <ReconstructionFigure data={data} size={size} />
  }
}

function GridFigure({
  data,
  size,
  label,
}: {
  data: ImageGrid | VectorRows
  size: FigureSize
  label: string
}) {
  const raster = useMemo(
    () => (data.kind === 'images' ? imageViewRaster(data) : heatRows(data.values, data.dim)),
    [data],
  )
  if (raster === undefined || raster.width === 0) return <Caption>Nothing to show yet.</Caption>
  const { imageWidth, imageHeight } = SIZES[size]
  return <RasterImage raster={raster} maxWidth={imageWidth} maxHeight={imageHeight} label={label} />
}

function ReconstructionFigure({ data, size }: { data: ReconstructionViewData; size: FigureSize }) {
  const raster = useMemo(() => imageViewRaster(data), [data])
  // A denoiser's views carry the worker's noise levels too (the slider, in the dock only).
  const { denoising } = data as ReconstructionViewData & WithDenoising
  const hasInput = data.input !== undefined
  const { imageWidth, imageHeight } = (hasInput ? ROW_SIZES : SIZES)[size]
  const label = describeView(data)
  const figure = (
    <div className="flex flex-col gap-1">
      {raster === undefined ? (
        // Vectors: originals above their reconstructions.
        <div role="img" aria-label={label} className="flex flex-col gap-1">
          {data.input !== undefined && <GridFigure data={data.input} size={size} label="Inputs" />}
          <GridFigure data={data.original} size={size} label="Originals" />
          <GridFigure data={data.reconstruction} size={size} label="Reconstructions" />
        </div>
      ) : raster.width === 0 ? (
        <Caption>Nothing to show yet.</Caption>
      ) : (
        <RasterImage raster={raster} maxWidth={imageWidth} maxHeight={imageHeight} label={label} />
      )}
      {hasInput ? (
        <Caption>
          {size === 'large' ? `Rows: ${rowColumns(data).join(', ')} · ` : ''}
          {psnrCaption(data, size)}MSE {formatMetric(data.meanMse)}
        </Caption>
      ) : (
        <Caption>
          {size === 'large' ? 'Pairs: original, reconstruction · ' : ''}MSE{' '}
          {formatMetric(data.meanMse)}
        </Caption>
      )}
    </div>
  )
  if (size !== 'large' || denoising === undefined) return figure
  // Beside the pairs, wrapping under them only when the dock is narrow: the dock is short.
  return (
    <div className="flex flex-wrap items-start gap-4">
      {figure}
      <DenoisingFigure denoising={denoising} />
    </div>
  )
}

/** The PSNR part of a reconstruction caption with an input, ending in " · "; none for vectors. */
function psnrCaption(data: ReconstructionViewData, size: FigureSize): string {
  if (data.psnr === undefined) return ''
  if (data.bicubic === undefined) return `held-out PSNR ${formatDb(data.psnr)} · `
  return size === 'large'
    ? `held-out PSNR: output ${formatDb(data.psnr)}, bicubic ${formatDb(data.bicubic.psnr)} · `
    : `PSNR ${formatDb(data.psnr)} (bicubic ${formatDb(data.bicubic.psnr)}) · `
}

function ScatterFigure({ data, size }: { data: Scatter2dViewData; size: FigureSize }) {
  const layers = useMemo<PointLayer[]>(
    () => [
      { points: data.real, color: REAL_COLOR, label: 'real', opacity: 0.35 },
      ...(data.fake === undefined
        ? []
        : [{ points: data.fake, color: FAKE_COLOR, label: 'generated' }]),
    ],
    [data],
  )
  // Real points faint underneath, generated over them: a mode G covers shows red on green, one it
  // misses stays green (drawn the other way round, the generated cloud hid under the real one).
  const surface = useMemo(
    () => (data.surface === undefined ? undefined : surfaceRaster(data.surface, data.resolution)),
    [data],
  )
  return (
    <div className="flex flex-col gap-1">
      <PointsPlot
        layers={layers}
        bounds={data.bounds}
        {...(surface === undefined ? {} : { background: surface })}
        size={SIZES[size].points}
        label={describeView(data)}
      />
      <PlotLegend
        entries={
          surface === undefined
            ? layers
            : [
                ...layers,
                {
                  label: 'D says real / fake (shade)',
                  color: 'linear-gradient(90deg, #05966966, #e11d4866)',
                },
              ]
        }
      />
    </div>
  )
}

/** Identities legend: named when few, counted when many. */
const LEGEND_LIMIT = 10

function EmbeddingsFigure({ data, size }: { data: EmbeddingsViewData; size: FigureSize }) {
  const { layers, legend } = useMemo(() => {
    if (data.labels === undefined) {
      return {
        layers: [{ points: data.points, color: POINT_COLOR, label: 'embeddings' }],
        legend: [],
      }
    }
    const indices = labelIndices(data.labels)
    const colors = data.labels.map((label) => categoryColor(indices.get(label) ?? 0))
    const legendEntries = [...indices].map(([label, index]) => ({
      label: `id ${label}`,
      color: categoryColor(index),
    }))
    return {
      layers: [{ points: data.points, color: POINT_COLOR, colors, label: 'embeddings' }],
      legend: legendEntries,
    }
  }, [data])
  const bounds = useMemo(() => boundsCovering(data.points, []), [data])
  const variance = data.explainedVariance
  return (
    <div className="flex flex-col gap-1">
      <PointsPlot
        layers={layers}
        bounds={bounds}
        size={SIZES[size].points}
        label={describeView(data)}
      />
      {size === 'large' && (
        <>
          <Caption>
            {data.projection.toUpperCase()} of {data.count} held-out embeddings
            {variance === undefined
              ? ''
              : ` · axes keep ${Math.round(variance[0] * 100)}% + ${Math.round(variance[1] * 100)}% of the variance`}
            {data.nonFiniteCount > 0 ? ` · ${data.nonFiniteCount} not finite` : ''}
          </Caption>
          {legend.length > 0 && legend.length <= LEGEND_LIMIT ? (
            <PlotLegend entries={legend} />
          ) : legend.length > 0 ? (
            <Caption>{legend.length} identities, one colour each</Caption>
          ) : null}
        </>
      )}
    </div>
  )
}
