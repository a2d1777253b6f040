/**
 * The run dock's height: dragged by its top edge or moved with the arrow keys, kept between
 * visits. The canvas keeps at least `MIN_CANVAS` pixels, the dock at least `MIN_DOCK`.
 */
export const DEFAULT_DOCK = 288
export const MIN_DOCK = 160
const MIN_CANVAS = 200
/** Pixels one arrow key press moves the edge (Shift: five times as far). */
export const KEY_STEP = 24

const STORAGE_KEY = 'latent-lab.dockHeight'

/** The tallest dock a window `windowHeight` tall has room for. */
export function maxDockHeight(windowHeight: number): number {
  return Math.max(MIN_DOCK, windowHeight - MIN_CANVAS)
}

/** `height` limited to what fits a window `windowHeight` tall. */
export function clampDockHeight(height: number, windowHeight: number): number {
  const max = maxDockHeight(windowHeight)
  if (!Number.isFinite(height)) return Math.min(DEFAULT_DOCK, max)
  return Math.round(Math.min(max, Math.max(MIN_DOCK, height)))
}

/** The height the user left the dock at, or the default (storage can be absent or refuse). */
export function loadDockHeight(): number {
  try {
    const saved = Number(window.localStorage.getItem(STORAGE_KEY))
    return saved > 0 ? saved : DEFAULT_DOCK
  } catch {
    return DEFAULT_DOCK
  }
}

export function saveDockHeight(height: number): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(height))
  } catch {
    // A private window without storage: the height lasts until the page closes.
  }
}
