/**
 * Smaller batches for the memory benchmark only: 2,000 steps of the convolutional presets at
 * their real batch sizes take hours on two cores. A preset's tensors are the same in number at
 * any batch size (weights, optimizer slots, the batch tensors of one step); their bytes shrink
 * with the batch, so the table states the batch it used.
 */
import type { GraphDocument } from '../graph-core/document'

/**
 * A copy of `document` whose every `batchSize` param is at most `size`; a P × K sampler keeps
 * its K photos per identity and takes as many identities as fit in `size` (at least 2, since
 * positives and negatives need two).
 */
export function withBatchAtMost(document: GraphDocument, size: number): GraphDocument {
  const copy = structuredClone(document)
  for (const node of copy.nodes) {
    const { params } = node
    if (typeof params.batchSize === 'number') params.batchSize = Math.min(params.batchSize, size)
    if (
      typeof params.identitiesPerBatch === 'number' &&
      typeof params.photosPerIdentity === 'number'
    ) {
      const identities = Math.max(2, Math.floor(size / params.photosPerIdentity))
      params.identitiesPerBatch = Math.min(params.identitiesPerBatch, identities)
    }
  }
  return copy
}

/** The largest `batchSize` any node of the document asks for (0 when none does). */
export function largestBatch(document: GraphDocument): number {
  let largest = 0
  for (const { params } of document.nodes) {
    const pk =
      typeof params.identitiesPerBatch === 'number' && typeof params.photosPerIdentity === 'number'
        ? params.identitiesPerBatch * params.photosPerIdentity
        : 0
    const batch = params.sampler === 'pk' ? pk : params.batchSize
    if (typeof batch === 'number') largest = Math.max(largest, batch)
  }
  return largest
}
