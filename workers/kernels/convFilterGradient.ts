/**
 * Filter gradients of 2-D convolutions for the CLI's backends. TF.js 4.22's WASM backend has no
 * `Conv2DBackpropFilter` kernel, so training any convolutional block there (an encoder, a
 * DCGAN, a U-Net) fails on its first step (its 3-D counterpart gives wrong values for strides
 * above 1, so it cannot stand in); the CPU backend has one, but reading every element through
 * a generic buffer accessor it took 14 of the 15 s of a DCGAN step at batch 8. The gradient is
 * computed from a plain convolution instead, which both run fast:
 * for a filter [kh, kw, ci, co] and stride s,
 *   dW[i, j, c, o] = Σ_{b, p, q} x_pad[b, s·p + i, s·q + j, c] · dy[b, p, q, o],
 * which is a stride-1 convolution of the padded input with batch and channels swapped, by dy
 * as the filter, dilated by s (XNNPACK's convolution; an im2col of strided slices measured 5×
 * slower, WASM's strided slice being slow).
 */
import type * as tfjs from '@tensorflow/tfjs'

type Tf = typeof tfjs
type Tensor = tfjs.Tensor
type Tensor4D = tfjs.Tensor4D

interface ConvAttrs {
  strides: number | [number, number]
  pad: 'same' | 'valid' | number
  dataFormat?: 'NHWC' | 'NCHW'
  dilations?: number | [number, number]
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/**
 * dL/dW of `conv2d(x, W, strides, pad)` given dL/dy, as one dilated convolution (see above).
 * x [b, h, w, ci], dy [b, oh, ow, co] → [kh, kw, ci, co]. NHWC, dilation 1.
 */
export function convFilterGradient(
  tf: Tf,
  x: Tensor,
  dy: Tensor,
  filterShape: readonly [number, number, number, number],
  attrs: ConvAttrs,
): Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs
  if (dataFormat === 'NCHW') throw new Error('convFilterGradient supports NHWC only')
  if (typeof pad === 'object') throw new Error('convFilterGradient needs same, valid or a number')
  const [kh, kw, ci, co] = filterShape
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    [kh, kw, ci, co],
    strides,
    1,
    pad,
    dimRoundingMode,
  )
  const { outHeight, outWidth, strideHeight, strideWidth, padInfo } = info
  return tf.tidy(() => {
    // Enough rows and columns below and right for the last window, whatever padInfo rounds to.
    const [height = 0, width = 0] = x.shape.slice(1)
    const needHeight = (outHeight - 1) * strideHeight + kh
    const needWidth = (outWidth - 1) * strideWidth + kw
    const padded = tf.pad(x, [
      [0, 0],
      [padInfo.top, Math.max(0, needHeight - padInfo.top - height)],
      [padInfo.left, Math.max(0, needWidth - padInfo.left - width)],
      [0, 0],
    ])
    // The sum over b, p, q as one convolution: channels ↔ batch swapped, dy as the filter,
    // dilated by the stride. [ci, hp, wp, b] ⊛ [oh, ow, b, co] → [ci, ≥kh, ≥kw, co]
    const swapped = tf.conv2d(
      tf.transpose(padded, [3, 1, 2, 0]) as Tensor4D,
      tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D,
      1,
      'valid',
      'NHWC',
      [strideHeight, strideWidth],
    )
    return tf.transpose(tf.slice(swapped, [0, 0, 0, 0], [ci, kh, kw, co]), [1, 2, 0, 3])
  })
}

/**
 * Makes the gradients of `Conv2D` (conv2d) and `Conv2DBackpropInput` (conv2dTranspose) compute
 * their filter part with {@link convFilterGradient}; the input parts keep TF.js's own. For
 * this TF.js instance, whatever the backend: the values are the same (measured on DCGAN at
 * batch 8 on the CPU backend: 1.4 s per step instead of 15).
 */
export function registerConvFilterGradients(tf: Tf): void {
  const convGrad = tf.getGradient('Conv2D')
  const transposeGrad = tf.getGradient('Conv2DBackpropInput')
  tf.registerGradient({
    ...convGrad,
    gradFunc: (dy, saved, attrs) => {
      const grads = convGrad.gradFunc(dy, saved, attrs)
      const [x, filter] = saved
      if (x === undefined || filter === undefined || Array.isArray(dy)) return grads
      const shape = filter.shape as [number, number, number, number]
      return {
        ...grads,
        filter: () => convFilterGradient(tf, x, dy, shape, attrs as unknown as ConvAttrs),
      }
    },
  })
  tf.registerGradient({
    ...transposeGrad,
    gradFunc: (ddx, saved, attrs) => {
      const grads = transposeGrad.gradFunc(ddx, saved, attrs)
      // conv2dTranspose(dy, W) is the input gradient of conv2d(·, W): its filter gradient is
      // that of conv2d with the output gradient ddx in the role of the input.
      const [dy, filter] = saved
      if (dy === undefined || filter === undefined || Array.isArray(ddx)) return grads
      const shape = filter.shape as [number, number, number, number]
      return {
        ...grads,
        filter: () => convFilterGradient(tf, ddx, dy, shape, attrs as unknown as ConvAttrs),
      }
    },
  })
}
