/**
 * A reference to a dataset the user imported into the browser's database (DESIGN §5, the
 * `datasetRef` param kind). The reference carries, besides the dataset's id, what shape
 * inference and the semantic checks need — image size, channels and label count — so analysis
 * stays pure: it never reads the database. Whoever loads the data checks that the stored
 * dataset still matches.
 *
 * Written as `<id>@<width>x<height>x<channels>/<labels>`, for example `ds-k3x9q2@32x32x1/5`.
 * The empty string means "no dataset picked".
 */

/** What a dataset reference says about its dataset. */
export interface DatasetRef {
  /** The dataset's key in the database: letters, digits, `-` and `_`, at most 64. */
  id: string
  width: number
  height: number
  /** 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3
  /** Distinct labels (sub-folder names) in the dataset. */
  labels: number
}

/** The largest image side a reference may name. */
export const DATASET_REF_MAX_SIDE = 1024
/** The most labels a reference may name. */
export const DATASET_REF_MAX_LABELS = 100_000

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
const REF_PATTERN = /^([A-Za-z0-9_-]{1,64})@(\d{1,4})x(\d{1,4})x([13])\/(\d{1,6})$/

/** Why a reference's parts cannot be written, or undefined when they can. */
function refProblem(ref: DatasetRef): string | undefined {
  if (!ID_PATTERN.test(ref.id)) return 'has an id that is not 1–64 letters, digits, - or _'
  for (const side of [ref.width, ref.height]) {
    if (!Number.isInteger(side) || side < 1 || side > DATASET_REF_MAX_SIDE)
      return `has an image side outside 1…${DATASET_REF_MAX_SIDE}`
  }
  if (!Number.isInteger(ref.labels) || ref.labels < 1 || ref.labels > DATASET_REF_MAX_LABELS)
    return `has a label count outside 1…${DATASET_REF_MAX_LABELS}`
  return undefined
}

/** The reference string of a dataset. Throws a RangeError for parts that do not fit. */
export function formatDatasetRef(ref: DatasetRef): string {
  const problem = refProblem(ref)
  if (problem !== undefined) throw new RangeError(`A dataset reference ${problem}`)
  return `${ref.id}@${ref.width}x${ref.height}x${ref.channels}/${ref.labels}`
}

/** The parts of a reference string, or undefined when it is empty or malformed. */
export function parseDatasetRef(text: string): DatasetRef | undefined {
  const match = REF_PATTERN.exec(text)
  if (match === null) return undefined
  const [, id = '', width = '', height = '', channels = '', labels = ''] = match
  const ref: DatasetRef = {
    id,
    width: Number(width),
    height: Number(height),
    channels: channels === '3' ? 3 : 1,
    labels: Number(labels),
  }
  return refProblem(ref) === undefined ? ref : undefined
}

/** Why a saved value is not a dataset reference (the empty string is fine: none picked). */
export function datasetRefProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a dataset reference (text)'
  if (value === '' || parseDatasetRef(value) !== undefined) return undefined
  return 'must be empty or a dataset reference like "ds-abc@32x32x1/5"'
}
