/**
 * The view data the app knows how to draw: the `summarize` results of the view nodes
 * (nodes/view), plus the error entry the worker or the poller makes of a view that failed.
 * `describeView` is the accessible name of each drawing, the numbers a screen reader hears.
 */
import type { ViewData } from '../../graph-core/nodeDefinition'
import type { EmbeddingsViewData } from '../../nodes/view/embeddingsView'
import type { LatentViewData } from '../../nodes/view/latentView'
import type { ReconstructionViewData } from '../../nodes/view/reconstructionView'
import type { SamplesViewData } from '../../nodes/view/samplesView'
import type { Scatter2dViewData } from '../../nodes/view/scatter2dView'
import type { VerificationViewData } from '../../nodes/view/verificationView'
import type { ImageGrid, VectorRows } from '../../nodes/view/viewSupport'

export type ErrorViewData = { readonly kind: 'error'; readonly message: string }

export type KnownViewData =
  | EmbeddingsViewData
  | VerificationViewData
  | SamplesViewData
  | ReconstructionViewData
  | LatentViewData
  | Scatter2dViewData
  | ErrorViewData

const KINDS = new Set<string>([
  'embeddings',
  'verification',
  'images',
  'points',
  'vectors',
  'reconstruction',
  'latent',
  'scatter2d',
  'error',
])

/** The data as one of the kinds the app draws; undefined for a kind it does not know. */
export function knownView(data: ViewData): KnownViewData | undefined {
  // The worker's data is made by the view nodes of this same build: the kind says the shape.
  return KINDS.has(data.kind) ? (data as unknown as KnownViewData) : undefined
}

/** Whether the view is a picture worth a PNG download (images, pairs). */
export function isImageView(data: KnownViewData): boolean {
  return (
    data.kind === 'images' ||
    (data.kind === 'reconstruction' && data.original.kind === 'images' && data.count > 0) ||
    // Latent tools decoded into images (the worker's decodings).
    (data.kind === 'latent' &&
      data.decoded !== undefined &&
      !('problem' in data.decoded) &&
      data.decoded.prior.kind === 'images')
  )
}

/** Three significant digits, "n/a" for none. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a'
  return value.toFixed(3)
}

/** A PSNR in dB to two decimals, "n/a" for none. */
export function formatDb(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a'
  return `${value.toFixed(2)} dB`
}

/** What each row of a reconstruction view with an input shows, in order. */
export function rowColumns(data: ReconstructionViewData): string[] {
  const bicubic = data.bicubic === undefined ? [] : [`bicubic ×${data.bicubic.factor}`]
  return ['input', ...bicubic, 'output', 'target']
}

/** "10⁻¹" style labels of the FAR targets. */
export function formatFar(far: number): string {
  const exponent = Math.round(Math.log10(far))
  if (Math.abs(10 ** exponent - far) > far * 1e-9) return String(far)
  const superscript: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³' }
  return `10${String(exponent).replace(/[-0-9]/g, (char) => superscript[char] ?? char)}`
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

const identities = (count: number) => `${count} ${count === 1 ? 'identity' : 'identities'}`

function describeImages(grid: ImageGrid | VectorRows): string {
  return grid.kind === 'images'
    ? `${plural(grid.count, 'image')} ${grid.width}×${grid.height}${grid.channels === 3 ? ' RGB' : ''}`
    : `${plural(grid.count, 'vector')} of ${grid.dim}`
}

/** A sentence summarising what the drawing shows (its accessible name). */
export function describeView(data: KnownViewData): string {
  switch (data.kind) {
    case 'error':
      return `Cannot draw: ${data.message}`
    case 'verification': {
      const tars = data.tarAtFar
        .map(
          (point) =>
            `TAR@FAR ${formatFar(point.targetFar)} ${point.isResolved ? formatMetric(point.tar) : 'n/a'}`,
        )
        .join(', ')
      return [
        `Verification: AUC ${formatMetric(data.auc)}`,
        ...(tars === '' ? [] : [tars]),
        `best-threshold accuracy ${formatMetric(data.bestAccuracy?.accuracy)}`,
        `top-1 ${formatMetric(data.identification.accuracy)}`,
        `on ${plural(data.rowCount, 'image')} of ${identities(data.identityCount)}`,
      ].join(', ')
    }
    case 'embeddings': {
      const labelCount = data.labels === undefined ? 0 : new Set(data.labels).size
      const variance =
        data.explainedVariance === undefined
          ? ''
          : `, axes keep ${Math.round((data.explainedVariance[0] + data.explainedVariance[1]) * 100)}% of the variance`
      return `Embedding map (${data.projection.toUpperCase()}): ${plural(data.count, 'held-out point')}${
        labelCount > 0 ? ` of ${identities(labelCount)}` : ''
      }${variance}`
    }
    case 'images':
      return `Sample grid: ${describeImages(data)}`
    case 'vectors':
      return `Samples: ${describeImages(data)}`
    case 'points':
      return `Samples: ${plural(data.count, 'point')}`
    case 'reconstruction': {
      const over = `over ${plural(data.rowCount, 'held-out sample')}`
      if (data.input === undefined)
        return `Reconstructions: ${plural(data.count, 'pair')}, mean squared error ${formatMetric(data.meanMse)} ${over}`
      const psnr =
        data.psnr === undefined
          ? ''
          : `, PSNR ${formatDb(data.psnr)}${data.bicubic === undefined ? '' : ` (bicubic ${formatDb(data.bicubic.psnr)})`}`
      return `Reconstructions: ${plural(data.count, 'row')} of ${rowColumns(data).join(', ')}${psnr}, mean squared error ${formatMetric(data.meanMse)} ${over}`
    }
    case 'scatter2d':
      return `2-D scatter: ${plural(data.real.length / 2, 'real point')}${
        data.fake === undefined ? '' : ` and ${plural(data.fake.length / 2, 'generated point')}`
      }${data.surface === undefined ? '' : ' over D’s decision surface'}`
    case 'latent':
      return `Latent tools: ${data.dim}-D latents, interpolation of ${data.interpolation?.steps ?? 0} steps, ${plural(data.prior.count, 'prior sample')}${
        data.attribute === undefined
          ? ''
          : `, attribute vector from ${data.attribute.withCount} with and ${data.attribute.withoutCount} without`
      }${decodedSentence(data)}`
  }
}

/** What the worker decoded for the latent tools, as the end of their description. */
function decodedSentence({ decoded }: LatentViewData): string {
  if (decoded === undefined) return ''
  if ('problem' in decoded) return `; not decoded: ${decoded.problem}`
  const { picks, faces, interpolation, attribute } = decoded
  const parts = [
    plural(decoded.prior.count, 'prior sample'),
    faces === null ? '' : `${plural(faces.decoded.count, 'held-out face')} to pick from`,
    interpolation === null
      ? ''
      : faces === null
        ? `an interpolation of ${plural(interpolation.count, 'image')}`
        : `an interpolation of ${plural(interpolation.count, 'image')} from face ${picks.from + 1} to face ${picks.to + 1}`,
    attribute === null
      ? ''
      : `face ${picks.face + 1} with the attribute vector at ${plural(attribute.strengths.length, 'strength')}`,
  ].filter((part) => part !== '')
  return `; decoded by ${decoded.decoder}: ${parts.join(', ')}`
}
