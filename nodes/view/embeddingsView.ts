import { defineNode, type HostTensor } from '../../graph-core/nodeDefinition'
import { param, type ParamValues } from '../../graph-core/params'
import { labels, tensor } from '../../graph-core/ports'
import { pca2d, umap2d } from './metrics/projection'
import {
  vectorShapeIssue,
  finiteRowIndices,
  labelsShapeIssue,
  pickRows,
  plainNumbers,
  readRows,
  samplesParam,
  viewShapes,
} from './viewSupport'

const embeddingsViewParams = {
  samples: samplesParam(512, 4096),
  projection: param.choice<'pca' | 'umap'>({
    default: 'pca',
    options: [
      { value: 'pca', label: 'PCA' },
      { value: 'umap', label: 'UMAP' },
    ],
    help: 'PCA is linear, exact and fast, and says how much variance the map keeps; UMAP keeps neighbourhoods, so clusters show better, but takes longer.',
  }),
  nNeighbors: param.int({
    default: 15,
    min: 2,
    max: 200,
    label: 'UMAP neighbours',
    help: 'UMAP only: how many neighbours shape each point’s surroundings; larger favours the global layout.',
  }),
  minDist: param.number({
    default: 0.1,
    min: 0,
    max: 1,
    step: 0.05,
    label: 'UMAP min distance',
    help: 'UMAP only: how tightly points may pack; smaller gives denser clusters.',
  }),
  metric: param.choice<'cosine' | 'euclidean'>({
    default: 'cosine',
    options: [
      { value: 'cosine', label: 'Cosine' },
      { value: 'euclidean', label: 'Euclidean' },
    ],
    label: 'UMAP metric',
    help: 'UMAP only: how neighbours are measured. Cosine, as embeddings are compared; the same ranking as Euclidean for L2-normalised ones.',
  }),
  seed: param.int({
    default: 0,
    min: 0,
    max: 2 ** 31 - 1,
    label: 'UMAP seed',
    help: 'UMAP only: the same points and seed give the same map.',
  }),
}

export type EmbeddingsViewParams = ParamValues<typeof embeddingsViewParams>

/** What `view.embeddings` draws: a 2-D map of the held-out embeddings, coloured by label. */
export type EmbeddingsViewData = {
  readonly kind: 'embeddings'
  readonly projection: 'pca' | 'umap'
  /** Points drawn. */
  readonly count: number
  /** Row-major `[count, 2]`: x, y of each drawn embedding. */
  readonly points: number[]
  /** The identity of each drawn point, when labels are connected (the key is absent otherwise). */
  readonly labels?: number[]
  /** PCA only: the share of the total variance along x and along y. */
  readonly explainedVariance?: [number, number]
  /** Rows left out because an embedding held a NaN or infinite value (a diverging model). */
  readonly nonFiniteCount: number
}

/**
 * The 2-D map of `view.embeddings`: PCA (`pca2d`) or UMAP (`umap2d`, seeded) of the held-out
 * embeddings whose values are all finite, with their labels when connected. With labels, only
 * rows present in both inputs are used.
 */
export function summarizeEmbeddings(
  inputs: Readonly<Record<string, HostTensor>>,
  params: EmbeddingsViewParams,
): EmbeddingsViewData {
  const embeddings = readRows(inputs.embeddings)
  const labelRows = inputs.labels === undefined ? undefined : readRows(inputs.labels)
  const rows = Math.min(embeddings.count, labelRows?.count ?? Number.POSITIVE_INFINITY)
  const kept = finiteRowIndices(embeddings, rows)
  const data = pickRows(embeddings, kept) // [kept, dim]
  const dim = embeddings.width
  const common = {
    kind: 'embeddings',
    count: kept.length,
    nonFiniteCount: rows - kept.length,
    ...(labelRows === undefined
      ? {}
      : { labels: kept.map((row) => (labelRows.data[row] ?? 0) + 0) }),
  } as const
  if (params.projection === 'umap') {
    const points = umap2d(data, dim, {
      seed: params.seed,
      nNeighbors: params.nNeighbors,
      minDist: params.minDist,
      metric: params.metric,
    })
    return { ...common, projection: 'umap', points: plainNumbers(points) }
  }
  const { coordinates, explainedVarianceRatio } = pca2d(data, dim)
  return {
    ...common,
    projection: 'pca',
    points: plainNumbers(coordinates),
    explainedVariance: [explainedVarianceRatio[0] + 0, explainedVarianceRatio[1] + 0],
  }
}

/**
 * Embedding map: the held-out embeddings projected to 2-D and coloured by identity, to see
 * whether classes form compact, separated clusters (DESIGN §1: the softmax baseline's clusters
 * are not compact; ArcFace's are). PCA (exact, with the share of variance each axis keeps) or
 * UMAP (McInnes et al. 2018; neighbourhoods, seeded so the map is reproducible). Rows with a
 * NaN or infinite value are left out and counted.
 */
export const embeddingsView = defineNode({
  type: 'view.embeddings',
  version: 1,
  category: 'view',
  label: 'Embedding map',
  description: 'Projects held-out embeddings to 2-D with PCA or UMAP, coloured by identity.',
  inputs: {
    embeddings: tensor({ description: 'An embedding [d] per sample.' }),
    labels: labels({
      description: 'Identity or class of each sample, for colour.',
      isOptional: true,
    }),
  },
  outputs: {},
  params: embeddingsViewParams,
  inferShapes(inputs) {
    // An unconnected optional port has no shape (the contract types every port as present).
    const labelShape = inputs.labels
    return viewShapes(
      vectorShapeIssue('embeddings', inputs.embeddings),
      labelsShapeIssue('labels', labelShape),
    )
  },
  summarize: summarizeEmbeddings,
})
