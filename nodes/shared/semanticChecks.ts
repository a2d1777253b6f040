/**
 * Semantic checks shared by several nodes (DESIGN §3): what shapes cannot catch but would
 * quietly ruin a run.
 */
import type { CheckContext, SemanticIssue } from '../../graph-core/nodeDefinition'
import type { IntParam, ParamMap } from '../../graph-core/params'

/**
 * A loss with a class matrix must have a row per training label: fewer rows and labels fall
 * off the matrix (an error); more rows are never trained (a warning).
 */
export function checkClassCount(label: string) {
  return ({
    params,
    dataInfo,
  }: CheckContext<ParamMap & { classes: IntParam }>): SemanticIssue[] => {
    const classes = dataInfo('labels')?.classes
    if (classes === undefined || classes === params.classes) return []
    const isTooFew = params.classes < classes
    return [
      {
        code: 'CLASS_COUNT_MISMATCH',
        severity: isTooFew ? 'error' : 'warning',
        port: 'labels',
        message: `${label} has ${params.classes} classes but its labels come from ${classes} identities; set classes to ${classes}.${isTooFew ? ' Labels beyond the last class cannot be learned.' : ' The extra classes are never trained.'}`,
        expected: String(params.classes),
        actual: String(classes),
      },
    ]
  }
}

/** Triplet and contrastive losses need positives: two or more samples of a label per batch. */
export function checkPositivePairs(label: string) {
  return ({ dataInfo }: CheckContext<ParamMap>): SemanticIssue[] => {
    const perClass = dataInfo('labels')?.samplesPerClassPerBatch
    if (perClass === undefined || perClass >= 2) return []
    return [
      {
        code: 'TRIPLET_NEEDS_PK_BATCHES',
        severity: 'error',
        port: 'labels',
        message: `${label} needs at least two images of an identity in each batch, but these batches hold about ${perClass.toFixed(1)}; sample P identities × K images (K ≥ 2).`,
        expected: 'K ≥ 2',
        actual: perClass.toFixed(1),
      },
    ]
  }
}
