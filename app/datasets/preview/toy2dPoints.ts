/**
 * Points of the toy 2-D distributions on the host, for the node preview: the same
 * distributions `data.toy2d` draws with TF.js (nodes/data/toy2d.ts, whose constants these use),
 * drawn here with a seeded generator so the preview needs no TF.js.
 */
import {
  gridCentres,
  MOON_SCALE,
  ringCentres,
  TOY2D_MODES,
  TOY2D_RADIUS,
  type Toy2dDistribution,
} from '../../../nodes/data/toy2d'
import { mulberry32 } from '../../../nodes/view/metrics/random'

/** `count` points [count·2] (x, y interleaved) and their modes. */
export function toy2dPoints(
  distribution: Toy2dDistribution,
  spread: number,
  count: number,
  seed: number,
): { points: Float32Array; labels: Int32Array } {
  const random = mulberry32(seed)
  // Box–Muller: one standard normal from two uniforms (1 − u keeps the log finite).
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const modes = TOY2D_MODES[distribution]
  const ring = ringCentres()
  const grid = gridCentres()
  const points = new Float32Array(count * 2)
  const labels = new Int32Array(count)
  for (let index = 0; index < count; index++) {
    const mode = Math.min(modes - 1, Math.floor(random() * modes))
    let x = 0
    let y = 0
    switch (distribution) {
      case 'ring':
        ;[x, y] = ring[mode] ?? [0, 0]
        break
      case 'grid':
        ;[x, y] = grid[mode] ?? [0, 0]
        break
      case 'spiral': {
        const t = Math.sqrt(random())
        x = TOY2D_RADIUS * t * Math.cos(3 * Math.PI * t)
        y = TOY2D_RADIUS * t * Math.sin(3 * Math.PI * t)
        break
      }
      case 'moons': {
        const angle = random() * Math.PI
        const isInner = mode === 1
        x = ((isInner ? 1 - Math.cos(angle) : Math.cos(angle)) - 0.5) * MOON_SCALE
        y = ((isInner ? 0.5 - Math.sin(angle) : Math.sin(angle)) - 0.25) * MOON_SCALE
        break
      }
    }
    points[index * 2] = x + spread * normal()
    points[index * 2 + 1] = y + spread * normal()
    labels[index] = mode
  }
  return { points, labels }
}
