import { useEffect, useId, useRef, useState, type InputHTMLAttributes, type RefObject } from 'react'
import { createPortal } from 'react-dom'
import { datasetStore, useDatasets } from './datasetDatabase'
import { closeDatasetsPanel, openDatasetsPanel, useIsDatasetsPanelOpen } from './datasetsPanelState'
import { datasetNameProblem, type DatasetSummary } from './datasetStore'
import { createCanvasDecoder } from './decodeImage'
import { describeImages, describeShape } from './describe'
import { importDataset, type ImportProgress, type ImportResult } from './importDataset'
import type { SkippedFile } from './importPlan'
import { DATASET_LIMITS, formatBytes, IMAGE_SIZES, type ImageSize } from './limits'
import { DatasetImages } from './preview/DatasetPreview'
import type { ImportSource } from './zipSource'

const BUTTON =
  'rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-45 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800'
const INPUT =
  'rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-950'
/** A file input wrapped in its label, styled as a button; the input keeps the accessible name. */
const FILE_BUTTON =
  'cursor-pointer rounded-md bg-sky-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-sky-700 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-1 has-[:focus-visible]:outline-sky-500 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-45'

/** Skipped files listed by name in the report; the rest are counted. */
const REPORT_NAMES = 20

/** Chromium's folder picker: not in React's input attributes, passed through to the DOM. */
const DIRECTORY_PICKER = { webkitdirectory: '' } as InputHTMLAttributes<HTMLInputElement>

/**
 * The palette header's "Datasets" button and, while open, the Datasets panel (DESIGN §8: the
 * user's imported images), shown as a modal dialog over the editor.
 */
export function DatasetsButton() {
  const isOpen = useIsDatasetsPanelOpen()
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={openDatasetsPanel}
        className="rounded-md border border-zinc-300 px-2 py-0.5 text-[11px] text-zinc-700 hover:bg-zinc-200/70 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        Datasets
      </button>
      {isOpen && createPortal(<DatasetsPanel onClose={closeDatasetsPanel} />, document.body)}
    </>
  )
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'reading'; what: string }
  | { kind: 'decoding'; progress: ImportProgress }
  | { kind: 'done'; result: ImportResult }
  | { kind: 'failed'; message: string; skipped: SkippedFile[] }

/**
 * The Datasets panel: import a folder of images or a zip (size, colour, name), see what was
 * imported and skipped, and list, rename and delete the datasets in this browser with their
 * image counts per label.
 */
export function DatasetsPanel({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const abortRef = useRef<AbortController>(undefined)
  const datasets = useDatasets()

  useEffect(() => {
    const element = dialog.current
    if (element !== null && !element.open) element.showModal()
  }, [])

  const isBusy = phase.kind === 'reading' || phase.kind === 'decoding'

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: close unless an import is running (Cancel stops it first).
        event.preventDefault()
        if (!isBusy) onClose()
      }}
      className="m-auto flex max-h-[85vh] w-[40rem] max-w-[95vw] flex-col gap-3 overflow-hidden rounded-xl border border-zinc-300 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-black/30 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <header className="flex items-center justify-between border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 id={titleId} className="text-sm font-semibold">
          Datasets
        </h2>
        <button type="button" onClick={onClose} disabled={isBusy} className={BUTTON}>
          Close
        </button>
      </header>
      <div className="flex min-h-0 flex-col gap-4 overflow-y-auto px-4 pb-4">
        <ImportForm phase={phase} setPhase={setPhase} abortRef={abortRef} />
        <section aria-labelledby={`${titleId}-list`} className="flex flex-col gap-2">
          <h3 id={`${titleId}-list`} className="text-xs font-semibold">
            In this browser
          </h3>
          {datasets.status === 'loading' && <p className="text-xs text-zinc-500">Loading…</p>}
          {datasets.status === 'error' && (
            <p role="alert" className="text-xs text-red-700 dark:text-red-400">
              {datasets.message}
            </p>
          )}
          {datasets.status === 'ready' && datasets.value.length === 0 && (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              No datasets yet. Import a folder with one sub-folder of images per label (the
              sub-folder names become the labels), or a zip of such a folder.
            </p>
          )}
          {datasets.status === 'ready' && datasets.value.length > 0 && (
            <ul aria-label="Imported datasets" className="flex flex-col gap-2">
              {datasets.value.map((dataset) => (
                <DatasetItem key={dataset.id} dataset={dataset} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </dialog>
  )
}

function ImportForm(props: {
  phase: Phase
  setPhase: (phase: Phase) => void
  abortRef: RefObject<AbortController | undefined>
}) {
  const { phase, setPhase, abortRef } = props
  const nameId = useId()
  const sizeId = useId()
  const colourId = useId()
  const [name, setName] = useState('')
  const [size, setSize] = useState<ImageSize>(32)
  const [channels, setChannels] = useState<1 | 3>(1)
  const isBusy = phase.kind === 'reading' || phase.kind === 'decoding'

  const run = async (sources: ImportSource[], fallbackName: string, root: 'picked' | 'zip') => {
    const controller = new AbortController()
    abortRef.current = controller
    setPhase({ kind: 'decoding', progress: { done: 0, total: 0 } })
    try {
      const result = await importDataset(
        sources,
        { name: name.trim() === '' ? fallbackName : name, size, channels, root },
        {
          store: datasetStore(),
          decode: createCanvasDecoder(size, channels),
          signal: controller.signal,
          onProgress: (progress) => {
            setPhase({ kind: 'decoding', progress })
          },
        },
      )
      setPhase({ kind: 'done', result })
      if (result.ok) setName('')
    } catch (error) {
      setPhase({
        kind: 'failed',
        message: error instanceof Error ? error.message : String(error),
        skipped: [],
      })
    } finally {
      abortRef.current = undefined
    }
  }

  const importFolder = (files: FileList | null) => {
    const list = Array.from(files ?? [])
    if (list.length === 0) return
    const sources = list.map((file) => ({
      path: file.webkitRelativePath || file.name,
      size: file.size,
      read: () => Promise.resolve<Blob>(file),
    }))
    const folder = (list[0]?.webkitRelativePath ?? '').split('/')[0] || 'Images'
    void run(sources, folder, 'picked')
  }

  const importZip = async (file: File | undefined) => {
    if (file === undefined) return
    const fallback = file.name.replace(/\.zip$/i, '') || 'Images'
    if (file.size > DATASET_LIMITS.maxZipBytes) {
      setPhase({
        kind: 'failed',
        message: `“${file.name}” is ${formatBytes(file.size)}; a zip can be at most ${formatBytes(DATASET_LIMITS.maxZipBytes)}. Nothing was imported: unpack it and import the folder instead.`,
        skipped: [],
      })
      return
    }
    setPhase({ kind: 'reading', what: file.name })
    let sources: ImportSource[]
    try {
      // fflate loads with the first zip, not with the app.
      const { zipSources } = await import('./zipSource')
      sources = zipSources(new Uint8Array(await file.arrayBuffer()))
    } catch (error) {
      setPhase({
        kind: 'failed',
        message: `“${file.name}”: ${error instanceof Error ? error.message : String(error)} Nothing was imported.`,
        skipped: [],
      })
      return
    }
    await run(sources, fallback, 'zip')
  }

  return (
    <section aria-label="Import images" className="flex flex-col gap-2 pt-3">
      <p className="text-xs text-zinc-600 dark:text-zinc-300">
        Pick a folder with one sub-folder per label (<span className="font-mono">cats/</span>,{' '}
        <span className="font-mono">dogs/</span>, …), or a zip of one. Every image is centre-cropped
        and resized to the size below. A folder of images without sub-folders becomes one label,
        “unlabelled”. At most {DATASET_LIMITS.maxImages.toLocaleString('en-US')} images and{' '}
        {formatBytes(DATASET_LIMITS.maxPackedBytes)} per dataset.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className="text-[11px] font-medium">
            Dataset name
          </label>
          <input
            id={nameId}
            value={name}
            placeholder="From the folder or zip"
            maxLength={80}
            disabled={isBusy}
            onChange={(event) => {
              setName(event.target.value)
            }}
            className={`${INPUT} w-44`}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={sizeId} className="text-[11px] font-medium">
            Image size
          </label>
          <select
            id={sizeId}
            value={size}
            disabled={isBusy}
            onChange={(event) => {
              setSize(Number(event.target.value) as ImageSize)
            }}
            className={INPUT}
          >
            {IMAGE_SIZES.map((side) => (
              <option key={side} value={side}>
                {side}×{side}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={colourId} className="text-[11px] font-medium">
            Colour
          </label>
          <select
            id={colourId}
            value={channels}
            disabled={isBusy}
            onChange={(event) => {
              setChannels(event.target.value === '3' ? 3 : 1)
            }}
            className={INPUT}
          >
            <option value={1}>Grayscale</option>
            <option value={3}>RGB</option>
          </select>
        </div>
        <div className="flex gap-2">
          <label className={FILE_BUTTON}>
            Import image folder
            <input
              type="file"
              multiple
              {...DIRECTORY_PICKER}
              disabled={isBusy}
              className="sr-only"
              onChange={(event) => {
                importFolder(event.target.files)
                event.target.value = ''
              }}
            />
          </label>
          <label className={FILE_BUTTON}>
            Import zip
            <input
              type="file"
              accept=".zip,application/zip"
              disabled={isBusy}
              className="sr-only"
              onChange={(event) => {
                void importZip(event.target.files?.[0])
                event.target.value = ''
              }}
            />
          </label>
        </div>
      </div>
      <ImportStatus phase={phase} onCancel={() => abortRef.current?.abort()} />
    </section>
  )
}

function ImportStatus(props: { phase: Phase; onCancel: () => void }) {
  const { phase, onCancel } = props
  if (phase.kind === 'idle') return <p aria-live="polite" className="sr-only" />
  if (phase.kind === 'reading' || phase.kind === 'decoding') {
    const text =
      phase.kind === 'reading'
        ? `Reading “${phase.what}”…`
        : phase.progress.total === 0
          ? 'Looking at the files…'
          : `Decoding images: ${phase.progress.done} of ${phase.progress.total}…`
    return (
      <div className="flex items-center gap-2">
        <p aria-live="polite" className="text-xs text-zinc-600 dark:text-zinc-300">
          {text}
        </p>
        {phase.kind === 'decoding' && (
          <button type="button" onClick={onCancel} className={BUTTON}>
            Cancel import
          </button>
        )}
      </div>
    )
  }
  const result = phase.kind === 'failed' ? { ok: false as const, ...phase } : phase.result
  return (
    <section
      aria-label="Import report"
      className={`flex flex-col gap-1 rounded-md border px-3 py-2 text-xs ${
        result.ok
          ? 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-100'
          : 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100'
      }`}
    >
      {result.ok ? (
        <p aria-live="polite">
          Imported “{result.dataset.name}”: {result.dataset.count} image
          {result.dataset.count === 1 ? '' : 's'} in {result.dataset.labels.length} label
          {result.dataset.labels.length === 1 ? '' : 's'} ({describeImages(result.dataset)},{' '}
          {formatBytes(result.dataset.bytes)}).
        </p>
      ) : (
        <p role="alert">{result.message}</p>
      )}
      {result.skipped.length > 0 && <SkippedList skipped={result.skipped} />}
    </section>
  )
}

function SkippedList({ skipped }: { skipped: readonly SkippedFile[] }) {
  const shown = skipped.slice(0, REPORT_NAMES)
  return (
    <div>
      <p className="font-medium">
        Skipped {skipped.length} file{skipped.length === 1 ? '' : 's'}:
      </p>
      <ul aria-label="Skipped files" className="list-disc pl-5">
        {shown.map((file) => (
          <li key={file.path}>
            <span className="font-mono break-all">{file.path}</span>: {file.reason}
          </li>
        ))}
        {skipped.length > shown.length && <li>and {skipped.length - shown.length} more</li>}
      </ul>
    </div>
  )
}

function DatasetItem({ dataset }: { dataset: DatasetSummary }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'confirmDelete'>('view')
  const [draft, setDraft] = useState(dataset.name)
  const [problem, setProblem] = useState<string>()
  const inputId = useId()

  const act = async (action: () => Promise<void>) => {
    try {
      await action()
      setProblem(undefined)
      setMode('view')
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <li
      aria-label={dataset.name}
      className="flex gap-3 rounded-lg border border-zinc-200 p-2 dark:border-zinc-800"
    >
      <div className="w-44 shrink-0">
        <DatasetImages id={dataset.id} />
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        {mode === 'rename' ? (
          <form
            className="flex items-center gap-1"
            onSubmit={(event) => {
              event.preventDefault()
              void act(() => datasetStore().rename(dataset.id, draft))
            }}
          >
            <label htmlFor={inputId} className="sr-only">
              New name for {dataset.name}
            </label>
            <input
              id={inputId}
              value={draft}
              maxLength={80}
              aria-invalid={datasetNameProblem(draft) !== undefined}
              onChange={(event) => {
                setDraft(event.target.value)
              }}
              className={`${INPUT} min-w-0 flex-1`}
              autoFocus
            />
            <button type="submit" className={BUTTON}>
              Save name
            </button>
            <button
              type="button"
              className={BUTTON}
              onClick={() => {
                setDraft(dataset.name)
                setProblem(undefined)
                setMode('view')
              }}
            >
              Cancel
            </button>
          </form>
        ) : (
          <h4 className="truncate text-sm font-medium" title={dataset.name}>
            {dataset.name}
          </h4>
        )}
        <p className="text-[11px] text-zinc-500 dark:text-zinc-400">
          {describeShape(dataset)} · {dataset.count} images · {formatBytes(dataset.bytes)} ·
          imported {new Date(dataset.createdAt).toLocaleDateString()}
        </p>
        <ul aria-label={`Images per label in ${dataset.name}`} className="flex flex-wrap gap-1">
          {dataset.labels.map((label, index) => (
            <li
              key={label}
              className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] dark:bg-zinc-800"
            >
              {label}: {dataset.countsPerLabel[index] ?? 0}
            </li>
          ))}
        </ul>
        {problem !== undefined && (
          <p role="alert" className="text-[11px] text-red-700 dark:text-red-400">
            {problem}
          </p>
        )}
        {mode === 'view' && (
          <div className="flex gap-1">
            <button
              type="button"
              className={BUTTON}
              aria-label={`Rename ${dataset.name}`}
              onClick={() => {
                setDraft(dataset.name)
                setMode('rename')
              }}
            >
              Rename
            </button>
            <button
              type="button"
              className={BUTTON}
              aria-label={`Delete ${dataset.name}`}
              onClick={() => {
                setMode('confirmDelete')
              }}
            >
              Delete
            </button>
          </div>
        )}
        {mode === 'confirmDelete' && (
          <div className="flex items-center gap-1 text-[11px]">
            <span>
              Delete “{dataset.name}” from this browser? Graphs that use it stop training.
            </span>
            <button
              type="button"
              className={`${BUTTON} border-red-300 text-red-700 dark:border-red-800 dark:text-red-300`}
              onClick={() => {
                void act(() => datasetStore().delete(dataset.id))
              }}
            >
              Yes, delete
            </button>
            <button
              type="button"
              className={BUTTON}
              onClick={() => {
                setMode('view')
              }}
            >
              Keep
            </button>
          </div>
        )}
      </div>
    </li>
  )
}
