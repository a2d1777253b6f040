import { useEffect, useRef } from 'react'

/** Draws in CSS pixels: the context is scaled for the device's pixel ratio. */
export type DrawFn = (
  context: CanvasRenderingContext2D,
  size: { width: number; height: number },
  /** The text colour around the canvas (follows light and dark mode). */
  ink: string,
) => void

/**
 * A canvas of a fixed CSS size, drawn by `draw` whenever `draw` changes (memoise it on the
 * data) and when the colour scheme flips. Named for screen readers by `label` (role="img").
 */
export function ViewCanvas(props: {
  width: number
  height: number
  draw: DrawFn
  label: string
  className?: string
}) {
  const { width, height, draw, label, className } = props
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    if (canvas === null) return
    const render = () => {
      const ratio = Math.min(3, window.devicePixelRatio || 1)
      canvas.width = Math.round(width * ratio)
      canvas.height = Math.round(height * ratio)
      const context = canvas.getContext('2d')
      if (context === null) return
      context.setTransform(ratio, 0, 0, ratio, 0, 0)
      context.clearRect(0, 0, width, height)
      draw(context, { width, height }, getComputedStyle(canvas).color)
    }
    render()
    const scheme = window.matchMedia('(prefers-color-scheme: dark)')
    scheme.addEventListener('change', render)
    return () => {
      scheme.removeEventListener('change', render)
    }
  }, [width, height, draw])
  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={label}
      style={{ width, height }}
      className={`block text-zinc-500 dark:text-zinc-400 ${className ?? ''}`}
    />
  )
}
