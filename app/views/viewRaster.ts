/**
 * The picture of an image view, as one raster: a sample grid, original/reconstruction pairs
 * side by side, or with a generator's input the rows input | (bicubic) | output | target. What
 * the dock, the node thumbnail and the PNG export draw. Pure.
 */
import type { ReconstructionViewData } from '../../nodes/view/reconstructionView'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { interleavePairs, tileGroups, tileImages, type Raster } from './imageRaster'

/**
 * The images of each row of a reconstruction view with an input, in order: input, its bicubic
 * upsampling (super-resolution), output, target. Undefined without an image input.
 */
export function reconstructionColumns(data: ReconstructionViewData): ImageGrid[] | undefined {
  const { input, bicubic, original, reconstruction } = data
  if (input?.kind !== 'images' || original.kind !== 'images' || reconstruction.kind !== 'images')
    return undefined
  return [input, ...(bicubic === undefined ? [] : [bicubic.images]), reconstruction, original]
}

/** Groups side by side in a row: about √(count / 2), so 8 rows of 4 images make 4 × 2. */
export function groupsPerRow(count: number): number {
  return Math.max(1, Math.round(Math.sqrt(count / 2)))
}

/** The raster of a sample grid or of reconstruction pairs; undefined when they are not images. */
export function imageViewRaster(data: ImageGrid | ReconstructionViewData): Raster | undefined {
  if (data.kind === 'images') return tileImages(data)
  const columns = reconstructionColumns(data)
  if (columns !== undefined)
    return tileGroups(columns, { perRow: groupsPerRow(data.count), gap: 1, groupGap: 3 })
  const { original, reconstruction } = data
  if (original.kind !== 'images' || reconstruction.kind !== 'images') return undefined
  // Pairs touch (gap 1) and pairs stand apart (3 more): each row reads as whole pairs.
  return tileImages(interleavePairs(original, reconstruction), { group: 2, groupGap: 3 })
}

/** How much the PNG export magnifies a raster: whole multiples up to ~512 px wide, at most 8. */
export function pngScale(raster: Raster): number {
  return Math.max(1, Math.min(8, Math.floor(512 / Math.max(1, raster.width))))
}
