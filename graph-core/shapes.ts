/**
 * Shapes of values on ports, without the batch dimension: an image batch [batch, 28, 28, 1]
 * flows as [28, 28, 1], labels [batch] as [], a scalar loss as [].
 */
export type Shape = readonly number[]

/** `[784]`, `[28, 28, 1]`, `[]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((size, axis) => size === b[axis])
}

/** Number of elements per sample. */
export function shapeSize(shape: Shape): number {
  return shape.reduce((product, size) => product * size, 1)
}
