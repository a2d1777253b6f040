/**
 * Draws a preview strip on a canvas: tiles of 40 CSS pixels in up to two rows of four with
 * their labels under them, or a small scatter of 2-D points. Browser-only, drawn once per
 * change of the node's params, never per frame.
 */
import type { PreviewStrip, PreviewTile } from './previewStrip'

export const TILE = 40
const LABEL = 11
const COLUMNS = 4
const GAP = 4
const SCATTER_HEIGHT = 96
/** Categorical colours for up to 25 modes (Tableau 10, repeated lighter). */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
]

/** CSS size of the canvas a strip needs. */
export function stripSize(strip: PreviewStrip): { width: number; height: number } {
  const width = COLUMNS * TILE + (COLUMNS - 1) * GAP
  if (strip.kind === 'points') return { width, height: SCATTER_HEIGHT + LABEL }
  if (strip.kind === 'message') return { width, height: 0 }
  const rows = Math.max(1, Math.ceil(strip.tiles.length / COLUMNS))
  return { width, height: rows * (TILE + LABEL) + (rows - 1) * GAP }
}

function tileBitmap(tile: PreviewTile): OffscreenCanvas {
  const canvas = new OffscreenCanvas(tile.width, tile.height)
  const context = canvas.getContext('2d')
  if (context === null) return canvas
  const image = context.createImageData(tile.width, tile.height)
  const pixels = tile.width * tile.height
  for (let pixel = 0; pixel < pixels; pixel++) {
    const at = pixel * tile.channels
    const r = tile.pixels[at] ?? 0
    image.data[pixel * 4] = r
    image.data[pixel * 4 + 1] = tile.channels === 3 ? (tile.pixels[at + 1] ?? 0) : r
    image.data[pixel * 4 + 2] = tile.channels === 3 ? (tile.pixels[at + 2] ?? 0) : r
    image.data[pixel * 4 + 3] = 255
  }
  context.putImageData(image, 0, 0)
  return canvas
}

function fitText(context: CanvasRenderingContext2D, text: string, width: number): string {
  if (context.measureText(text).width <= width) return text
  let cut = text
  while (cut.length > 1 && context.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1)
  return `${cut}…`
}

/** Draws `strip` on `canvas`, sized for the device's pixel ratio; text in `color`. */
export function drawStrip(canvas: HTMLCanvasElement, strip: PreviewStrip, color: string): void {
  const { width, height } = stripSize(strip)
  const ratio = Math.min(3, window.devicePixelRatio || 1)
  canvas.width = Math.round(width * ratio)
  canvas.height = Math.round(height * ratio)
  canvas.style.width = `${width}px`
  canvas.style.height = `${height}px`
  const context = canvas.getContext('2d')
  if (context === null) return
  context.setTransform(ratio, 0, 0, ratio, 0, 0)
  context.clearRect(0, 0, width, height)
  context.font = '9px ui-sans-serif, system-ui, sans-serif'
  context.textAlign = 'center'
  context.textBaseline = 'top'
  if (strip.kind === 'tiles') {
    strip.tiles.forEach((tile, index) => {
      // Small images are magnified: keep their pixels sharp; large ones are filtered down.
      context.imageSmoothingEnabled = tile.width > TILE
      const x = (index % COLUMNS) * (TILE + GAP)
      const y = Math.floor(index / COLUMNS) * (TILE + LABEL + GAP)
      context.drawImage(tileBitmap(tile), x, y, TILE, TILE)
      context.fillStyle = color
      context.fillText(fitText(context, tile.label, TILE + GAP - 1), x + TILE / 2, y + TILE + 1)
    })
  } else if (strip.kind === 'points') {
    // [-2.5, 2.5]² fills the plot; the distributions span about [-2, 2]².
    const extent = 2.5
    const side = SCATTER_HEIGHT
    const left = (width - side) / 2
    context.strokeStyle = color
    context.globalAlpha = 0.25
    context.strokeRect(left + 0.5, 0.5, side - 1, side - 1)
    context.globalAlpha = 0.8
    for (let index = 0; index < strip.labels.length; index++) {
      const x = strip.points[index * 2] ?? 0
      const y = strip.points[index * 2 + 1] ?? 0
      context.fillStyle = PALETTE[(strip.labels[index] ?? 0) % PALETTE.length] ?? color
      context.fillRect(
        left + ((x + extent) / (2 * extent)) * side - 1,
        ((extent - y) / (2 * extent)) * side - 1,
        2,
        2,
      )
    }
    context.globalAlpha = 1
    context.fillStyle = color
    context.fillText(strip.caption, width / 2, side + 1)
  }
}
