import { parseDatasetRef } from '../../graph-core/datasetRef'
import { useDatasets } from './datasetDatabase'
import { openDatasetsPanel } from './datasetsPanelState'
import { describeShape } from './describe'

const INPUT =
  'w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-950'

const LINK =
  'self-start rounded text-[11px] text-sky-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400'

/**
 * The inspector's control for a `datasetRef` param: a select of the datasets imported in this
 * browser. Picking one stores its reference, which carries the image shape and label count
 * (graph-core/datasetRef.ts), so the graph's shapes update at once without reading pixels.
 */
export function DatasetRefSelect(props: {
  fieldId: string
  helpId: string
  value: unknown
  onChange: (value: string) => void
}) {
  const { fieldId, helpId, value, onChange } = props
  const datasets = useDatasets()
  const current = typeof value === 'string' ? value : ''
  const ref = parseDatasetRef(current)
  if (datasets.status === 'error') {
    return (
      <p id={fieldId} role="alert" className="text-[11px] text-red-700 dark:text-red-400">
        {datasets.message}
      </p>
    )
  }
  const list = datasets.status === 'ready' ? datasets.value : []
  const picked = list.find((entry) => entry.ref === current)
  const sameId = ref === undefined ? undefined : list.find((entry) => entry.id === ref.id)
  const isStale = datasets.status === 'ready' && ref !== undefined && picked === undefined
  if (datasets.status === 'ready' && list.length === 0 && ref === undefined) {
    return (
      <div id={fieldId} aria-describedby={helpId} className="flex flex-col gap-1">
        <p className="text-[11px] text-zinc-600 dark:text-zinc-300">
          No datasets imported yet. Import a folder of images (one sub-folder per label) or a zip.
        </p>
        <button type="button" onClick={openDatasetsPanel} className={LINK}>
          Open Datasets
        </button>
      </div>
    )
  }
  return (
    <div className="flex flex-col gap-1">
      <select
        id={fieldId}
        aria-describedby={helpId}
        aria-invalid={isStale}
        value={current}
        onChange={(event) => {
          onChange(event.target.value)
        }}
        className={`${INPUT} ${isStale ? 'border-red-500' : ''}`}
      >
        <option value="">{datasets.status === 'loading' ? 'Loading…' : 'Pick a dataset…'}</option>
        {ref !== undefined && picked === undefined && (
          <option value={current}>
            {datasets.status === 'loading' ? ref.id : `Missing: ${sameId?.name ?? ref.id}`} (
            {describeShape(ref)})
          </option>
        )}
        {list.map((entry) => (
          <option key={entry.id} value={entry.ref}>
            {entry.name} ({describeShape(entry)}, {entry.count} images)
          </option>
        ))}
      </select>
      {isStale && (
        <p role="alert" className="text-[11px] text-red-700 dark:text-red-400">
          {sameId === undefined
            ? 'This dataset is not in this browser (deleted, or the graph came from elsewhere). Import it again and pick it here.'
            : 'This reference does not match the stored dataset any more: pick the dataset again.'}
        </p>
      )}
      <button type="button" onClick={openDatasetsPanel} className={LINK}>
        Manage datasets
      </button>
    </div>
  )
}
