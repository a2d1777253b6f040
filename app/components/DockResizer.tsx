import type { KeyboardEvent, PointerEvent } from 'react'
import { KEY_STEP } from './dockHeight'

interface DockResizerProps {
  height: number
  min: number
  max: number
  onResize: (height: number) => void
}

/**
 * The run dock's top edge: drag it (pointer capture, so the drag survives leaving the strip),
 * use the arrow keys when focused (Shift for bigger steps), Home/End for the smallest and
 * largest dock, or double-click to switch between the two.
 */
export function DockResizer({ height, min, max, onResize }: DockResizerProps) {
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    const startY = event.clientY
    const startHeight = height
    const strip = event.currentTarget
    strip.setPointerCapture(event.pointerId)
    const move = (moveEvent: globalThis.PointerEvent) => {
      onResize(startHeight + (startY - moveEvent.clientY))
    }
    const end = () => {
      strip.removeEventListener('pointermove', move)
      strip.removeEventListener('pointerup', end)
      strip.removeEventListener('pointercancel', end)
    }
    strip.addEventListener('pointermove', move)
    strip.addEventListener('pointerup', end)
    strip.addEventListener('pointercancel', end)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? KEY_STEP * 5 : KEY_STEP
    const next: Record<string, number> = {
      ArrowUp: height + step,
      ArrowDown: height - step,
      Home: min,
      End: max,
    }
    const target = next[event.key]
    if (target === undefined) return
    event.preventDefault()
    onResize(target)
  }
  return (
    <div
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize run dock"
      aria-valuenow={height}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => {
        onResize(height >= max ? min : max)
      }}
      title="Drag to resize the run dock (double-click: largest or smallest)"
      className="h-1.5 shrink-0 cursor-row-resize touch-none bg-zinc-200 hover:bg-sky-300 focus-visible:bg-sky-400 focus-visible:outline-none dark:bg-zinc-800 dark:hover:bg-sky-700"
    />
  )
}
