import { memo, useEffect, useMemo, useRef, useState } from 'react'
import type { DocumentNode } from '../../../graph-core/document'
import { useDataset } from '../datasetDatabase'
import { drawStrip } from './drawStrip'
import { loadMnistForPreview } from './mnistPreviewData'
import {
  hasPreview,
  imageFolderDatasetId,
  imageFolderPicks,
  imageFolderStrip,
  mnistStrip,
  synthFacesStrip,
  toy2dStrip,
  type PreviewStrip,
} from './previewStrip'

type Params = Readonly<Record<string, unknown>>

/**
 * A small strip of a dataset node's images with their labels (or its points), inside the node
 * on the canvas (issue #4). Rendered once per change of the node's type or params — moving the
 * node does not redraw it — from the pure generators of nodes/data, the packed MNIST asset
 * (fetched on the first MNIST preview) or the imported dataset in the browser's database.
 * Other node types render nothing.
 */
export const DatasetPreview = memo(
  function DatasetPreview({ node }: { node: DocumentNode }) {
    if (!hasPreview(node.type)) return null
    switch (node.type) {
      case 'data.mnist':
        return <MnistPreview params={node.params} />
      case 'data.imageFolder':
        return <DatasetImages id={imageFolderDatasetId(node.params)} />
      case 'data.synthFaces':
        return <GeneratedPreview params={node.params} make={synthFacesStrip} name="SynthFaces" />
      case 'data.toy2d':
        return <GeneratedPreview params={node.params} make={toy2dStrip} name="Toy 2-D points" />
    }
  },
  (before, after) =>
    before.node.type === after.node.type &&
    (before.node.params === after.node.params ||
      JSON.stringify(before.node.params) === JSON.stringify(after.node.params)),
)

function GeneratedPreview(props: {
  params: Params
  make: (params: Params) => PreviewStrip
  name: string
}) {
  const { params, make, name } = props
  const strip = useMemo(() => {
    try {
      return make(params)
    } catch (error) {
      return {
        kind: 'message',
        text: error instanceof Error ? error.message : String(error),
      } as const
    }
  }, [params, make])
  return <Strip strip={strip} name={name} />
}

function MnistPreview({ params }: { params: Params }) {
  const [strip, setStrip] = useState<PreviewStrip>()
  useEffect(() => {
    let isCurrent = true
    loadMnistForPreview().then(
      (data) => {
        if (isCurrent) setStrip(mnistStrip(data, params))
      },
      (error: unknown) => {
        if (isCurrent)
          setStrip({
            kind: 'message',
            text: `No preview: ${error instanceof Error ? error.message : String(error)}`,
          })
      },
    )
    return () => {
      isCurrent = false
    }
  }, [params])
  return <Strip strip={strip} name="MNIST digits" />
}

/**
 * The first images of an imported dataset, a few of each label, with the dataset's name: the
 * image-folder node's preview and the Datasets panel's thumbnails.
 */
export function DatasetImages({ id }: { id: string | undefined }) {
  const dataset = useDataset(id)
  const [loaded, setLoaded] = useState<{ record: unknown; strip: PreviewStrip }>()
  const record = dataset.status === 'ready' ? dataset.value : undefined
  useEffect(() => {
    if (record === undefined) return
    let isCurrent = true
    const bytes = record.width * record.height * record.channels
    const picks = imageFolderPicks(record.countsPerLabel)
    const blob = record.pixels instanceof Blob ? record.pixels : new Blob([record.pixels])
    // Only the picked images are read: slices of the stored Blob, never the whole dataset.
    Promise.all(
      picks.map(
        async ([image]) =>
          new Uint8Array(await blob.slice(image * bytes, (image + 1) * bytes).arrayBuffer()),
      ),
    ).then(
      (images) => {
        if (isCurrent) setLoaded({ record, strip: imageFolderStrip(record, picks, images) })
      },
      (error: unknown) => {
        if (isCurrent)
          setLoaded({
            record,
            strip: {
              kind: 'message',
              text: `No preview: ${error instanceof Error ? error.message : String(error)}`,
            },
          })
      },
    )
    return () => {
      isCurrent = false
    }
  }, [record])

  if (id === undefined) return <Note text="Pick a dataset in the inspector." />
  if (dataset.status === 'error') return <Note text={dataset.message} />
  if (dataset.status === 'ready' && record === undefined)
    return <Note text="This dataset is not in this browser." isProblem />
  const strip = loaded?.record === record ? loaded?.strip : undefined
  const count = record?.countsPerLabel.reduce((sum, value) => sum + value, 0)
  return (
    <Strip
      strip={strip}
      name={record?.name ?? 'Image folder'}
      caption={record === undefined ? undefined : `${record.name} · ${count ?? 0} images`}
    />
  )
}

function Note({ text, isProblem = false }: { text: string; isProblem?: boolean }) {
  return (
    <p
      className={`border-b border-zinc-100 px-2 py-1 text-[10px] dark:border-zinc-800 ${isProblem ? 'text-red-600 dark:text-red-400' : 'text-zinc-500 dark:text-zinc-400'}`}
    >
      {text}
    </p>
  )
}

/** The canvas of a strip, drawn when the strip changes; a message strip is text. */
function Strip(props: { strip: PreviewStrip | undefined; name: string; caption?: string }) {
  const { strip, name, caption } = props
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const element = canvas.current
    if (element === null || strip === undefined || strip.kind === 'message') return
    drawStrip(element, strip, getComputedStyle(element).color)
  }, [strip])
  if (strip?.kind === 'message') return <Note text={strip.text} isProblem />
  const labels =
    strip === undefined
      ? 'loading'
      : strip.kind === 'tiles'
        ? strip.tiles.map((tile) => tile.label).join(', ')
        : strip.caption
  return (
    <figure className="flex flex-col items-center gap-0.5 border-b border-zinc-100 px-2 py-1 text-zinc-600 dark:border-zinc-800 dark:text-zinc-300">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Preview of ${name}: ${labels}`}
        data-preview={strip === undefined ? 'loading' : 'ready'}
        width={0}
        height={0}
        className="block"
      />
      {caption !== undefined && (
        <figcaption className="max-w-44 truncate text-[10px] text-zinc-500 dark:text-zinc-400">
          {caption}
        </figcaption>
      )}
    </figure>
  )
}
