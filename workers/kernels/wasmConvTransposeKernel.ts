/**
 * A faster `Conv2DBackpropInput` kernel for TF.js's WASM backend: the transposed convolution of
 * every generator and decoder, and the input gradient of every convolution. WASM's own kernel
 * is a direct loop (on a DCGAN step it took 324 of 592 ms); this one composes WASM's own
 * kernels, as its composite kernels do, around one plain convolution (XNNPACK, WASM's fast path):
 *
 * - Stride s ≥ 2 in both directions, by phases (sub-pixel convolution): each output pixel y
 *   with y + padTop = s·m + r sees only the filter taps i ≡ r (mod s),
 *     dx[y] = Σ_j dy[m − j] · W[r + s·j],  j = 0 … ⌈k/s⌉ − 1,
 *   so one stride-1 convolution of dy by a ⌈k/s⌉² filter with s² · ci output channels (one
 *   group per phase r) computes every phase at once, and a transpose interleaves them. No
 *   work on inserted zeros: per call, DCGAN's 7×7×64 → 14×14×32 layer takes 16 ms instead of
 *   32 by dilation, the CycleGAN U-Net's 16×16×128 → 32×32×64 81 ms instead of 153.
 * - Otherwise (stride 1, or unequal strides), by dilation: the input with zeros inserted
 *   between its pixels, convolved with the filter rotated 180° with its channel axes swapped:
 *     dx[y] = Σ_i dy_dilated[y + (kh − 1 − padTop) − (kh − 1) + i] · W[kh − 1 − i].
 */
import type * as tfjs from '@tensorflow/tfjs'

type Tf = typeof tfjs
type TensorInfo = tfjs.TensorInfo
type KernelFunc = tfjs.KernelConfig['kernelFunc']
type ConvInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>

/** Results with fewer channels stay with WASM's own kernel (see below). */
const MIN_CHANNELS = 8

interface BackpropInputAttrs {
  strides: number | [number, number]
  pad: 'same' | 'valid' | number | unknown[]
  dataFormat?: 'NHWC' | 'NCHW'
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
  inputShape: [number, number, number, number]
}

const KERNEL_NAMES = ['Reshape', 'PadV2', 'Slice', 'Reverse', 'Transpose', 'Conv2D'] as const
type Kernels = Record<(typeof KERNEL_NAMES)[number], KernelFunc>

/** Runs one WASM kernel: `temporary` results are freed when the call ends, the `result` is kept. */
type Run = (func: KernelFunc, inputs: Record<string, TensorInfo>, attrs: object) => TensorInfo
interface Runner {
  temporary: Run
  result: Run
}

/** dx by phases (see the file comment): dy [b, oh, ow, co], W [kh, kw, ci, co], stride s. */
function byPhases(
  kernels: Kernels,
  { temporary: run, result }: Runner,
  dy: TensorInfo,
  filter: TensorInfo,
  info: ConvInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { strideHeight: s, filterHeight, filterWidth, padInfo } = info
  const tapsHeight = Math.ceil(filterHeight / s)
  const tapsWidth = Math.ceil(filterWidth / s)
  // The phase filter K[u, v, co, (rh·s + rw)·ci + c] = W[rh + s·(th − 1 − u), rw + s·(tw − 1 − v), c, co],
  // with W padded by zero taps to a multiple of s.
  const padded = run(
    kernels.PadV2,
    { x: filter },
    {
      paddings: [
        [0, tapsHeight * s - filterHeight],
        [0, tapsWidth * s - filterWidth],
        [0, 0],
        [0, 0],
      ],
      constantValue: 0,
    },
  )
  const split = run(
    kernels.Reshape,
    { x: padded },
    { shape: [tapsHeight, s, tapsWidth, s, inChannels, outChannels] },
  )
  const reversed = run(kernels.Reverse, { x: split }, { dims: [0, 2] })
  const ordered = run(kernels.Transpose, { x: reversed }, { perm: [0, 2, 5, 1, 3, 4] })
  const phaseFilter = run(
    kernels.Reshape,
    { x: ordered },
    { shape: [tapsHeight, tapsWidth, outChannels, s * s * inChannels] },
  )
  // Phase outputs at m = 0 … ⌊(h − 1 + padTop) / s⌋ need t − 1 rows of zeros above dy and
  // enough below.
  const rows = Math.floor((inHeight - 1 + padInfo.top) / s) + 1
  const columns = Math.floor((inWidth - 1 + padInfo.left) / s) + 1
  const framed = run(
    kernels.PadV2,
    { x: dy },
    {
      paddings: [
        [0, 0],
        [tapsHeight - 1, Math.max(0, rows - outHeight)],
        [tapsWidth - 1, Math.max(0, columns - outWidth)],
        [0, 0],
      ],
      constantValue: 0,
    },
  )
  const phases = run(
    kernels.Conv2D,
    { x: framed, filter: phaseFilter },
    { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
  )
  // Interleaved (depth to space): row s·m + r of the result is phase r's row m, which is dx's
  // row s·m + r − padTop. Z [b, H, W, (rh, rw, c)] read as [b·H, W, rh, (rw, c)], its W and rh
  // axes swapped: a rank-4 transpose, 20× faster than WASM's DepthToSpace kernel.
  const [, phaseRows = 0, phaseColumns = 0] = phases.shape
  const grouped = run(
    kernels.Reshape,
    { x: phases },
    { shape: [batchSize * phaseRows, phaseColumns, s, s * inChannels] },
  )
  const swapped = run(kernels.Transpose, { x: grouped }, { perm: [0, 2, 1, 3] })
  const interleaved = run(
    kernels.Reshape,
    { x: swapped },
    { shape: [batchSize, phaseRows * s, phaseColumns * s, inChannels] },
  )
  return result(
    kernels.Slice,
    { x: interleaved },
    {
      begin: [0, padInfo.top, padInfo.left, 0],
      size: [batchSize, inHeight, inWidth, inChannels],
    },
  )
}

/** dx by dilation (see the file comment). */
function byDilation(
  kernels: Kernels,
  { temporary: run, result }: Runner,
  dy: TensorInfo,
  filter: TensorInfo,
  info: ConvInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels } = info
  const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info
  const top = filterHeight - 1 - padInfo.top
  const left = filterWidth - 1 - padInfo.left
  // Zeros after every pixel: [b, oh, ow, co] → [b, oh·sh, ow·sw, co].
  let dilated = dy
  if (strideHeight > 1 || strideWidth > 1) {
    const spread = run(
      kernels.Reshape,
      { x: dy },
      { shape: [batchSize, outHeight, 1, outWidth, 1, outChannels] },
    )
    const zeros = run(
      kernels.PadV2,
      { x: spread },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, strideHeight - 1],
          [0, 0],
          [0, strideWidth - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    )
    dilated = run(
      kernels.Reshape,
      { x: zeros },
      { shape: [batchSize, outHeight * strideHeight, outWidth * strideWidth, outChannels] },
    )
  }
  // A valid convolution with a kh × kw filter needs h + kh − 1 rows; trailing zeros of the
  // dilation may already overshoot, then the excess is cut.
  const needHeight = inHeight + filterHeight - 1
  const needWidth = inWidth + filterWidth - 1
  const bottom = needHeight - top - outHeight * strideHeight
  const right = needWidth - left - outWidth * strideWidth
  let framed = run(
    kernels.PadV2,
    { x: dilated },
    {
      paddings: [
        [0, 0],
        [top, Math.max(0, bottom)],
        [left, Math.max(0, right)],
        [0, 0],
      ],
      constantValue: 0,
    },
  )
  if (bottom < 0 || right < 0) {
    framed = run(
      kernels.Slice,
      { x: framed },
      { begin: [0, 0, 0, 0], size: [batchSize, needHeight, needWidth, outChannels] },
    )
  }
  // W [kh, kw, ci, co] rotated 180° and read as a filter from co to ci channels.
  const flipped = run(kernels.Reverse, { x: filter }, { dims: [0, 1] })
  const swapped = run(kernels.Transpose, { x: flipped }, { perm: [0, 1, 3, 2] })
  return result(
    kernels.Conv2D,
    { x: framed, filter: swapped },
    { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
  )
}

/**
 * Replaces WASM's `Conv2DBackpropInput` kernel (see above); call after the WASM backend is
 * imported. Layouts it does not handle (NCHW, explicit padding) go to the original kernel.
 */
export function registerWasmConvTransposeKernel(tf: Tf): void {
  // Typed as always found, but a registry lookup: undefined before the backend is imported.
  const lookup = (name: string): tfjs.KernelConfig | undefined => tf.getKernel(name, 'wasm')
  const original = lookup('Conv2DBackpropInput')
  if (original === undefined) throw new Error('the WASM backend is not loaded')
  const kernels = Object.fromEntries(
    KERNEL_NAMES.map((name) => {
      const found = lookup(name)
      if (found === undefined) throw new Error(`the WASM backend has no ${name} kernel`)
      return [name, found.kernelFunc]
    }),
  ) as Kernels

  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args
    const {
      strides,
      pad: padding,
      dataFormat,
      dimRoundingMode,
      inputShape,
    } = attrs as unknown as BackpropInputAttrs
    const { dy, filter } = inputs
    if (dy === undefined || filter === undefined || dataFormat === 'NCHW' || Array.isArray(padding))
      return original.kernelFunc(args)
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      padding,
      dimRoundingMode,
    )
    const { batchSize, inHeight, inWidth, inChannels, strideHeight, strideWidth } = info
    const isPhased = strideHeight === strideWidth && strideHeight > 1
    const isDilatable =
      info.filterHeight - 1 - info.padInfo.top >= 0 && info.filterWidth - 1 - info.padInfo.left >= 0
    // Both ways are slower than the direct loop when the result has few channels (DCGAN's
    // 14×14×32 → 28×28×1: by dilation 20–29 ms, by phases 7, the loop 5–6).
    if (inChannels < MIN_CHANNELS || (!isPhased && !isDilatable)) return original.kernelFunc(args)

    const temporaries: TensorInfo[] = []
    const result: Run = (func, kernelInputs, kernelAttrs) =>
      func({
        inputs: kernelInputs,
        backend,
        attrs: kernelAttrs as tfjs.NamedAttrMap,
      }) as TensorInfo
    const temporary: Run = (func, kernelInputs, kernelAttrs) => {
      const value = result(func, kernelInputs, kernelAttrs)
      temporaries.push(value)
      return value
    }
    try {
      const dx = (isPhased ? byPhases : byDilation)(
        kernels,
        { temporary, result },
        dy,
        filter,
        info,
      )
      if (dx.shape.join() !== [batchSize, inHeight, inWidth, inChannels].join())
        throw new Error(`transposed convolution gave [${dx.shape.join(', ')}]`)
      return dx
    } finally {
      // The kernel API types the backend as {}; it is the WASM backend, which frees data by id.
      const owner = backend as { disposeData(dataId: object): boolean }
      for (const temporary of temporaries) owner.disposeData(temporary.dataId)
    }
  }
  // Unregistered first: registering over a kernel works but logs a warning.
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm')
  tf.registerKernel({ ...original, kernelFunc })
}
