/**
 * The picture of an image view, as one raster: a sample grid, or original/reconstruction pairs
 * side by side. What the dock, the node thumbnail and the PNG export draw. Pure.
 */
import type { ReconstructionViewData } from '../../nodes/view/reconstructionView'
import type { ImageGrid } from '../../nodes/view/viewSupport'
import { interleavePairs, tileImages, type Raster } from './imageRaster'

/** The raster of a sample grid or of reconstruction pairs; undefined when they are not images. */
export function imageViewRaster(data: ImageGrid | ReconstructionViewData): Raster | undefined {
  if (data.kind === 'images') return tileImages(data)
  const { original, reconstruction } = data
  if (original.kind !== 'images' || reconstruction.kind !== 'images') return undefined
  // Pairs touch (gap 1) and pairs stand apart (3 more): each row reads as whole pairs.
  return tileImages(interleavePairs(original, reconstruction), { group: 2, groupGap: 3 })
}

/** How much the PNG export magnifies a raster: whole multiples up to ~512 px wide, at most 8. */
export function pngScale(raster: Raster): number {
  return Math.max(1, Math.min(8, Math.floor(512 / Math.max(1, raster.width))))
}
