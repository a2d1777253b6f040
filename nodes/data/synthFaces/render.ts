/**
 * SynthFaces photos: what changes from one photo of a person to the next ({@link
 * photoConditions}), and the rasteriser that draws a face under those conditions into a float
 * buffer ({@link FaceRenderer}). Pure TypeScript on typed arrays: no canvas, no DOM, no TF.js,
 * so it runs the same in the page, a web worker and Node.
 *
 * Drawing: each pixel centre is mapped once into face units (inverse pose: shift, rotation,
 * scale); each feature is a signed distance in face units, painted over its image-space
 * bounding box with one-pixel antialiasing (coverage = clamp(½ − d·pixelsPerUnit, 0, 1)), in
 * back-to-front order. A last pass applies the lighting gradient and exposure, adds noise and
 * clamps to [0, 1]. Colours are RGB; grayscale images use their luminance.
 */
import { STREAM, type FaceIdentity } from './identity'
import { hashSeed, Rng } from './random'

type Rgb = readonly [number, number, number]

/** A rectangle in front of the face (a hand, a cup, a microphone), in image fractions. */
export interface Occluder {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
  readonly colour: Rgb
}

/** Everything that varies between photos of one identity. */
export interface PhotoConditions {
  /** Face centre offset, as a share of the image side. */
  readonly shiftX: number
  readonly shiftY: number
  /** In-plane rotation, radians. */
  readonly rotation: number
  /** Face size relative to the default framing. */
  readonly scale: number
  /** Head turn, −1 (left) … 1 (right): inner features slide sideways. */
  readonly yaw: number
  /** Direction the light comes from, radians in the image plane. */
  readonly lightAngle: number
  /** Brightness ratio across the image: pixels are ×(1 ± strength) at the two far edges. */
  readonly lightStrength: number
  /** Global brightness gain. */
  readonly exposure: number
  readonly background: Rgb
  readonly clothing: Rgb
  /** Expression in [0, 1]: 0 neutral (a slight frown), 1 a broad open smile. Labelled. */
  readonly smile: number
  /** Labelled; only identities with a non-zero glasses rate ever wear them. */
  readonly hasGlasses: boolean
  readonly occluder: Occluder | undefined
  /** Standard deviation of the additive pixel noise. */
  readonly noise: number
  /** Seed of the noise pattern. */
  readonly noiseSeed: number
}

/** Share of photos with an occluder. */
export const OCCLUDER_RATE = 0.15
/** The face's vertical half-axis in the default framing, as a share of the image side. */
export const FACE_SCALE = 0.29

/** The conditions of photo `photo` of `identity`: a pure function of (seed, identity, photo). */
export function photoConditions(
  seed: number,
  identity: FaceIdentity,
  photo: number,
): PhotoConditions {
  const rng = new Rng(hashSeed(seed, STREAM.photo, identity.id, photo))
  const colour = (low: number, high: number): Rgb => {
    const level = rng.range(low, high)
    return [
      clamp01(level + rng.range(-0.12, 0.12)),
      clamp01(level + rng.range(-0.12, 0.12)),
      clamp01(level + rng.range(-0.12, 0.12)),
    ]
  }
  const shiftX = rng.range(-0.06, 0.06)
  const shiftY = rng.range(-0.05, 0.05)
  const rotation = rng.range(-0.3, 0.3)
  const scale = rng.range(0.84, 1.14)
  const yaw = rng.range(-1, 1)
  const lightAngle = rng.range(0, 2 * Math.PI)
  const lightStrength = rng.range(0, 0.5)
  const exposure = rng.range(0.8, 1.15)
  const background = colour(0.25, 0.75)
  const clothing = colour(0.05, 0.9)
  const smile = rng.next() ** identity.smileExponent
  const hasGlasses = rng.chance(identity.glassesRate)
  let occluder: Occluder | undefined
  if (rng.chance(OCCLUDER_RATE)) {
    const width = rng.range(0.2, 0.45)
    const height = rng.range(0.2, 0.45)
    const x0 = rng.range(0.1, 0.9) - width / 2
    const y0 = rng.range(0.15, 0.95) - height / 2
    occluder = { x0, y0, x1: x0 + width, y1: y0 + height, colour: colour(0, 1) }
  }
  const noise = rng.range(0.01, 0.06)
  return {
    shiftX,
    shiftY,
    rotation,
    scale,
    yaw,
    lightAngle,
    lightStrength,
    exposure,
    background,
    clothing,
    smile,
    hasGlasses,
    occluder,
    noise,
    noiseSeed: hashSeed(seed, STREAM.noise, identity.id, photo),
  }
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

function times(a: Rgb, factor: number): Rgb {
  return [a[0] * factor, a[1] * factor, a[2] * factor]
}

const SKIN_LIGHT: Rgb = [0.97, 0.84, 0.72]
const SKIN_DARK: Rgb = [0.34, 0.22, 0.15]
const HAIR_BROWN: Rgb = [0.5, 0.33, 0.2]
const HAIR_BLOND: Rgb = [0.9, 0.74, 0.42]
const HAIR_GREY: Rgb = [0.72, 0.7, 0.68]
const HAIR_BLACK: Rgb = [0.06, 0.05, 0.05]
const IRIS_LIGHT: Rgb = [0.35, 0.52, 0.68]
const IRIS_DARK: Rgb = [0.2, 0.11, 0.05]
const LIP_RED: Rgb = [0.72, 0.22, 0.24]
const MOUTH_INSIDE: Rgb = [0.16, 0.04, 0.05]
const SCLERA: Rgb = [0.94, 0.93, 0.9]
const FRAME: Rgb = [0.07, 0.07, 0.09]

function hairColour(identity: FaceIdentity): Rgb {
  const hue = identity.hairHue
  const base =
    hue < 0.5 ? mix(HAIR_BROWN, HAIR_BLOND, hue * 2) : mix(HAIR_BLOND, HAIR_GREY, hue * 2 - 1)
  return mix(base, HAIR_BLACK, identity.hairDarkness)
}

/** Signed distance (negative inside) from a point in face units. */
type Distance = (u: number, v: number) => number

/** Distance to an axis-aligned ellipse (an approximation, exact on the axes). */
function ellipse(cu: number, cv: number, a: number, b: number): Distance {
  const m = Math.min(a, b)
  return (u, v) => {
    const x = (u - cu) / a
    const y = (v - cv) / b
    return (Math.sqrt(x * x + y * y) - 1) * m
  }
}

/** Distance to a segment from (u0, v0) to (u1, v1) with radius r (a capsule). */
function capsule(u0: number, v0: number, u1: number, v1: number, r: number): Distance {
  const du = u1 - u0
  const dv = v1 - v0
  const length2 = du * du + dv * dv || 1
  return (u, v) => {
    const pu = u - u0
    const pv = v - v0
    const t = clamp01((pu * du + pv * dv) / length2)
    const x = pu - du * t
    const y = pv - dv * t
    return Math.sqrt(x * x + y * y) - r
  }
}

/** Distance to the outline of a rectangle (half sizes a, b) drawn with half-thickness t. */
function boxRing(cu: number, cv: number, a: number, b: number, t: number): Distance {
  return (u, v) => {
    const x = Math.abs(u - cu) - a
    const y = Math.abs(v - cv) - b
    const outside = Math.sqrt(Math.max(x, 0) ** 2 + Math.max(y, 0) ** 2)
    return Math.abs(outside + Math.min(Math.max(x, y), 0)) - t
  }
}

/** Distance to a circle outline of radius r drawn with half-thickness t. */
function circleRing(cu: number, cv: number, r: number, t: number): Distance {
  return (u, v) => Math.abs(Math.hypot(u - cu, v - cv) - r) - t
}

/**
 * A mouth: a stroke of half-thickness t along v = cv + bend·(1 − (u/w)²) for |u − cu| ≤ w
 * (bend > 0 lowers the middle: a smile), with round ends.
 */
function mouthStroke(cu: number, cv: number, w: number, bend: number, t: number): Distance {
  return (u, v) => {
    const x = (u - cu) / w
    if (x > 1 || x < -1) return Math.hypot(Math.abs(u - cu) - w, v - cv) - t
    const slope = (-2 * bend * x) / w
    // Vertical distance to the curve, corrected by its slope to approximate the normal one.
    return Math.abs(v - cv - bend * (1 - x * x)) / Math.sqrt(1 + slope * slope) - t
  }
}

/**
 * Draws faces into float buffers of one size and channel count. Holds scratch buffers, so a
 * renderer is reused across photos; the output never depends on what it drew before.
 */
export class FaceRenderer {
  readonly size: number
  readonly channels: 1 | 3
  /** Face coordinates of each pixel centre for the current photo. */
  private readonly faceU: Float32Array
  private readonly faceV: Float32Array
  private out: Float32Array = new Float32Array(0)
  private offset = 0
  /** Current pose: image position of the face centre, rotation, pixels per face unit. */
  private centreX = 0
  private centreY = 0
  private cos = 1
  private sin = 0
  private pixelsPerUnit = 1

  constructor(size: number, channels: 1 | 3) {
    this.size = size
    this.channels = channels
    this.faceU = new Float32Array(size * size)
    this.faceV = new Float32Array(size * size)
  }

  /** Values per image: size × size × channels. */
  get imageLength(): number {
    return this.size * this.size * this.channels
  }

  /**
   * Draws one photo into `out` at `offset` as [size, size, channels] floats in [0, 1]
   * (row-major, channels last), overwriting what was there.
   */
  render(identity: FaceIdentity, photo: PhotoConditions, out: Float32Array, offset = 0): void {
    if (offset < 0 || offset + this.imageLength > out.length)
      throw new RangeError(`an image needs ${this.imageLength} values from offset ${offset}`)
    this.out = out
    this.offset = offset
    this.setPose(photo)
    this.fillBackground(photo.background)

    const id = identity
    const skin = mix(SKIN_LIGHT, SKIN_DARK, id.skinTone)
    const hair = hairColour(id)
    const fw = id.faceWidth
    const fh = id.faceHeight

    // Shoulders and neck, behind everything of the face.
    this.paint(0, 1.95, 1.6, ellipse(0, 1.95, 1.55, 0.75), photo.clothing)
    this.paint(0, 0.95, 0.75, capsule(0, 0.6, 0, 1.3, fw * 0.42), times(skin, 0.82))
    // Hair that falls behind the face.
    if (id.hairStyle === 'long') this.paint(0, 0.3, 1.4, ellipse(0, 0.3, fw * 1.32, 1.2), hair)
    if (id.hairStyle === 'volume')
      this.paint(0, -0.25, 1.5, ellipse(0, -0.25, fw * 1.5, 1.05), hair)
    // Ears.
    const ear = 0.15 * id.earSize
    for (const side of [-1, 1]) {
      this.paint(side * fw, 0, ear * 1.2, ellipse(side * fw, 0, ear * 0.6, ear), times(skin, 0.88))
    }
    // The face: an ellipse whose lower half narrows towards the chin by `jaw`.
    this.paint(
      0,
      0,
      Math.max(fw, fh) + 0.02,
      (u, v) => {
        const down = v > 0 ? v / fh : 0
        const a = fw * (1 - id.jaw * down * down)
        const x = u / a
        const y = v / fh
        return (Math.sqrt(x * x + y * y) - 1) * a
      },
      skin,
    )
    this.paintHair(id, hair)

    // Inner features slide sideways as the head turns.
    const turn = photo.yaw * 0.09
    const eyeV = id.eyeHeight
    const eyeA = id.eyeSize
    const eyeB = id.eyeSize * 0.55
    const brow = times(hair, 0.75)
    const iris = mix(IRIS_LIGHT, IRIS_DARK, id.irisDarkness)
    for (const side of [-1, 1]) {
      const eyeU = side * id.eyeSpacing + turn
      this.paint(eyeU, eyeV, eyeA, ellipse(eyeU, eyeV, eyeA, eyeB), SCLERA)
      const irisU = eyeU + turn * 0.3
      this.paint(irisU, eyeV, eyeB, ellipse(irisU, eyeV, eyeB * 0.95, eyeB * 0.95), iris)
      this.paint(irisU, eyeV, eyeB, ellipse(irisU, eyeV, eyeB * 0.45, eyeB * 0.45), HAIR_BLACK)
      // Brow: a capsule above the eye, its inner end raised by browAngle.
      const browV = eyeV - id.browGap
      const du = Math.cos(id.browAngle) * id.browLength
      const dv = Math.sin(id.browAngle) * id.browLength
      const innerU = eyeU - side * du
      const outerU = eyeU + side * du
      this.paint(
        eyeU,
        browV,
        id.browLength + id.browThickness,
        capsule(innerU, browV - dv, outerU, browV + dv, id.browThickness / 2),
        brow,
      )
    }
    // Nose: a shaded ridge from between the eyes to the tip, the tip turned further, nostrils.
    const tipV = eyeV + id.noseLength
    const tipU = turn * 1.9
    const shade = times(skin, 0.72)
    this.paint(
      turn,
      (eyeV + tipV) / 2,
      id.noseLength,
      capsule(turn * 1.2, eyeV + 0.06, tipU, tipV, id.noseWidth * 0.22),
      shade,
    )
    this.paint(
      tipU,
      tipV,
      id.noseWidth + 0.02,
      ellipse(tipU, tipV, id.noseWidth, id.noseWidth * 0.42),
      times(skin, 0.8),
    )
    for (const side of [-1, 1]) {
      const nostrilU = tipU + side * id.noseWidth * 0.5
      this.paint(
        nostrilU,
        tipV + 0.01,
        0.05,
        ellipse(nostrilU, tipV + 0.01, 0.035, 0.022),
        times(skin, 0.45),
      )
    }
    // Mouth: the smile widens it, bends it up at the corners and, above ½, opens it.
    const smile = photo.smile
    const mouthU = turn * 1.3
    const mouthV = tipV + id.mouthGap
    const width = id.mouthWidth * (1 + 0.25 * smile)
    const bend = (smile - 0.3) * 0.17
    const opening = Math.max(0, smile - 0.5) * 0.09
    const lips = mix(times(skin, 0.7), LIP_RED, id.lipColour * 0.8)
    const reach = width + id.lipThickness + opening + Math.abs(bend)
    this.paint(
      mouthU,
      mouthV,
      reach,
      mouthStroke(mouthU, mouthV, width, bend, id.lipThickness + opening),
      lips,
    )
    if (opening > 0) {
      this.paint(
        mouthU,
        mouthV,
        reach,
        mouthStroke(mouthU, mouthV, width * 0.85, bend, opening),
        MOUTH_INSIDE,
      )
    }
    if (photo.hasGlasses) this.paintGlasses(id, turn)
    if (photo.occluder !== undefined) this.paintOccluder(photo.occluder)
    this.finish(photo)
  }

  private setPose(photo: PhotoConditions): void {
    this.centreX = this.size * (0.5 + photo.shiftX)
    this.centreY = this.size * (0.54 + photo.shiftY)
    this.cos = Math.cos(photo.rotation)
    this.sin = Math.sin(photo.rotation)
    this.pixelsPerUnit = this.size * FACE_SCALE * photo.scale
    // [u; v] = R(−θ)·(pixel − centre) / pixelsPerUnit for every pixel centre.
    const inverse = 1 / this.pixelsPerUnit
    for (let y = 0, index = 0; y < this.size; y++) {
      const dy = y + 0.5 - this.centreY
      for (let x = 0; x < this.size; x++, index++) {
        const dx = x + 0.5 - this.centreX
        this.faceU[index] = (this.cos * dx + this.sin * dy) * inverse
        this.faceV[index] = (-this.sin * dx + this.cos * dy) * inverse
      }
    }
  }

  private fillBackground(colour: Rgb): void {
    const { out, channels } = this
    const end = this.offset + this.imageLength
    if (channels === 1) out.fill(luminance(colour), this.offset, end)
    else
      for (let i = this.offset; i < end; i += 3) {
        out[i] = colour[0]
        out[i + 1] = colour[1]
        out[i + 2] = colour[2]
      }
  }

  /**
   * Paints `colour` where `distance` < 0, antialiased, over the pixels whose centres lie within
   * `radius` face units of (cu, cv) — the shape must fit in that circle.
   */
  private paint(cu: number, cv: number, radius: number, distance: Distance, colour: Rgb): void {
    const { size, channels, out, offset, faceU, faceV, pixelsPerUnit } = this
    const x = this.centreX + pixelsPerUnit * (this.cos * cu - this.sin * cv)
    const y = this.centreY + pixelsPerUnit * (this.sin * cu + this.cos * cv)
    const reach = radius * pixelsPerUnit + 1
    const x0 = Math.max(0, Math.floor(x - reach))
    const x1 = Math.min(size - 1, Math.ceil(x + reach))
    const y0 = Math.max(0, Math.floor(y - reach))
    const y1 = Math.min(size - 1, Math.ceil(y + reach))
    const grey = luminance(colour)
    const [r, g, b] = colour
    for (let row = y0; row <= y1; row++) {
      for (let column = x0; column <= x1; column++) {
        const pixel = row * size + column
        const coverage = 0.5 - distance(faceU[pixel] ?? 0, faceV[pixel] ?? 0) * pixelsPerUnit
        if (coverage <= 0) continue
        const alpha = coverage >= 1 ? 1 : coverage
        const i = offset + pixel * channels
        if (channels === 1) out[i] = (out[i] ?? 0) + (grey - (out[i] ?? 0)) * alpha
        else {
          out[i] = (out[i] ?? 0) + (r - (out[i] ?? 0)) * alpha
          out[i + 1] = (out[i + 1] ?? 0) + (g - (out[i + 1] ?? 0)) * alpha
          out[i + 2] = (out[i + 2] ?? 0) + (b - (out[i + 2] ?? 0)) * alpha
        }
      }
    }
  }

  /** Hair on the head: a cap above a hairline whose shape is the hair style. */
  private paintHair(id: FaceIdentity, hair: Rgb): void {
    const fw = id.faceWidth
    const fh = id.faceHeight
    // Where the hairline sits in the middle: −0.3 (low) … −0.78 (high forehead).
    const line = -0.3 - 0.48 * (1 - id.hairCoverage)
    const isVolume = id.hairStyle === 'volume'
    const capA = fw * (isVolume ? 1.22 : 1.09)
    const capB = fh * (isVolume ? 1.18 : 1.1)
    const capV = -0.06
    const cap = ellipse(0, capV, capA, capB)
    const hairline = (u: number): number => {
      const x = u / fw
      switch (id.hairStyle) {
        case 'short':
        case 'volume':
          return line + 0.35 * x * x * x * x
        case 'long':
          return line + 2.2 * Math.max(0, Math.abs(x) - 0.62)
        case 'fringe':
          return -0.2 - 0.12 * (1 - id.hairCoverage) + 0.12 * x * x
        case 'sidePart':
          return line + 0.22 * x + 0.3 * x * x
        case 'receding':
          return line - 0.18 + 0.45 * Math.abs(x) - 0.1 * x * x
      }
    }
    this.paint(0, capV, Math.max(capA, capB), (u, v) => Math.max(cap(u, v), v - hairline(u)), hair)
  }

  private paintGlasses(id: FaceIdentity, turn: number): void {
    const r = id.eyeSize * 1.35 + 0.03
    const t = 0.028
    for (const side of [-1, 1]) {
      const cu = side * id.eyeSpacing + turn
      const cv = id.eyeHeight
      const rim = id.isSquareGlasses
        ? boxRing(cu, cv, r * 1.05, r * 0.75, t)
        : circleRing(cu, cv, r, t)
      this.paint(cu, cv, r * 1.3 + t, rim, FRAME)
      // Arm towards the ear.
      const outerU = cu + side * r * 1.05
      const earU = side * id.faceWidth
      this.paint(
        (outerU + earU) / 2,
        cv,
        Math.abs(earU - outerU) / 2 + t,
        capsule(outerU, cv, earU, cv - 0.02, t),
        FRAME,
      )
    }
    const innerU = id.eyeSpacing - r * 1.05
    this.paint(
      turn,
      id.eyeHeight,
      innerU + t,
      capsule(turn - innerU, id.eyeHeight, turn + innerU, id.eyeHeight, t),
      FRAME,
    )
  }

  /** A rectangle in image space, in front of everything. */
  private paintOccluder(occluder: Occluder): void {
    const { size, channels, out, offset } = this
    const x0 = Math.max(0, Math.round(occluder.x0 * size))
    const x1 = Math.min(size, Math.round(occluder.x1 * size))
    const y0 = Math.max(0, Math.round(occluder.y0 * size))
    const y1 = Math.min(size, Math.round(occluder.y1 * size))
    const grey = luminance(occluder.colour)
    for (let row = y0; row < y1; row++) {
      for (let column = x0; column < x1; column++) {
        const i = offset + (row * size + column) * channels
        if (channels === 1) out[i] = grey
        else {
          out[i] = occluder.colour[0]
          out[i + 1] = occluder.colour[1]
          out[i + 2] = occluder.colour[2]
        }
      }
    }
  }

  /** Lighting gradient × exposure, additive noise, clamp to [0, 1]. */
  private finish(photo: PhotoConditions): void {
    const { size, channels, out, offset } = this
    const rng = new Rng(photo.noiseSeed)
    // Gradient along the light direction: ±lightStrength at the image's far edges.
    const gx = (Math.cos(photo.lightAngle) * photo.lightStrength * 2) / size
    const gy = (Math.sin(photo.lightAngle) * photo.lightStrength * 2) / size
    // Triangular noise (u1 + u2 − 1) has variance 1/6.
    const sigma = photo.noise * Math.sqrt(6)
    const half = size / 2
    for (let y = 0, i = offset; y < size; y++) {
      const rowLight = 1 + gy * (y + 0.5 - half)
      for (let x = 0; x < size; x++) {
        const gain = photo.exposure * (rowLight + gx * (x + 0.5 - half))
        for (let c = 0; c < channels; c++, i++) {
          const value = (out[i] ?? 0) * gain + (rng.next() + rng.next() - 1) * sigma
          out[i] = value < 0 ? 0 : value > 1 ? 1 : value
        }
      }
    }
  }
}

/** Rec. 601 luma of an RGB colour. */
export function luminance(colour: Rgb): number {
  return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
}
