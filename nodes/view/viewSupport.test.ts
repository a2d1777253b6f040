import { describe, expect, it } from 'vitest'
import type { HostTensor } from '../../graph-core/nodeDefinition'
import { paramProblem } from '../../graph-core/params'
import {
  displayableShapeIssue,
  displayRows,
  finiteOrNull,
  finiteRowIndices,
  firstRows,
  gridColumns,
  imageLayout,
  labelsShapeIssue,
  pickRows,
  plainNumbers,
  readRows,
  samplesParam,
  toPixel,
  vectorShapeIssue,
  viewShapes,
} from './viewSupport'

const host = (shape: number[], values: number[]): HostTensor => ({
  shape,
  data: Float32Array.from(values),
})

describe('reading host tensors', () => {
  it('splits a batch into rows of the per-sample size', () => {
    const rows = readRows(host([2, 1, 3], [1, 2, 3, 4, 5, 6]))
    expect(rows.count).toBe(2)
    expect(rows.shape).toEqual([1, 3])
    expect(rows.width).toBe(3)
    expect(pickRows(rows, [1])).toEqual([4, 5, 6])
    expect(firstRows(rows, 5).count).toBe(2)
    expect(firstRows(rows, 1).count).toBe(1)
  })

  it('reads an absent input as no rows and a short buffer as whole rows', () => {
    expect(readRows(undefined).count).toBe(0)
    expect(readRows(host([3, 2], [1, 2, 3])).count).toBe(1)
    // Labels [batch] have the per-sample shape [] and one value per row.
    expect(readRows({ shape: [3], data: Int32Array.from([7, 8, 9]) })).toMatchObject({
      count: 3,
      shape: [],
      width: 1,
    })
  })

  it('finds the rows whose values are all finite', () => {
    const rows = readRows(host([4, 2], [0, 1, Number.NaN, 1, 2, Infinity, 3, 4]))
    expect(finiteRowIndices(rows)).toEqual([0, 3])
    expect(finiteRowIndices(rows, 2)).toEqual([0])
  })
})

describe('plain JSON values', () => {
  it('copies typed arrays to plain arrays with −0 as 0', () => {
    const values = plainNumbers(Float32Array.from([-0, 1.5]))
    expect(Array.isArray(values)).toBe(true)
    expect(Object.is(values[0], 0)).toBe(true)
    expect(finiteOrNull(Number.NaN)).toBeNull()
    expect(finiteOrNull(-Infinity)).toBeNull()
    expect(finiteOrNull(undefined)).toBeNull()
    expect(Object.is(finiteOrNull(-0), 0)).toBe(true)
  })
})

describe('pixels', () => {
  it.each([
    ['zeroOne', 0.25, 0.25],
    ['zeroOne', 1.5, 1],
    ['zeroOne', -0.5, 0],
    ['minusOneOne', -1, 0],
    ['minusOneOne', 0, 0.5],
    ['minusOneOne', 0.5, 0.75],
    ['minusOneOne', 3, 1],
    ['zeroOne', Number.NaN, 0],
  ] as const)('maps %s value %d to %d', (range, value, pixel) => {
    expect(toPixel(value, range)).toBe(pixel)
  })

  it('knows image layouts', () => {
    expect(imageLayout([28, 28, 1])).toEqual({ height: 28, width: 28, channels: 1 })
    expect(imageLayout([4, 6, 3])).toEqual({ height: 4, width: 6, channels: 3 })
    expect(imageLayout([4, 6])).toEqual({ height: 4, width: 6, channels: 1 })
    expect(imageLayout([4, 6, 2])).toBeUndefined()
    expect(imageLayout([784])).toBeUndefined()
    expect([0, 1, 2, 4, 5, 16, 17].map(gridColumns)).toEqual([0, 1, 2, 2, 3, 4, 5])
  })

  it('shows image rows as a grid and other rows as vectors', () => {
    const images = readRows(host([2, 1, 2, 1], [0, 2, -1, 0.5]))
    expect(displayRows(images, 'zeroOne')).toEqual({
      kind: 'images',
      height: 1,
      width: 2,
      channels: 1,
      count: 2,
      columns: 2,
      pixels: [0, 1, 0, 0.5],
    })
    const vectors = readRows(host([1, 3], [2, Number.NaN, -3]))
    expect(displayRows(vectors, 'zeroOne')).toEqual({
      kind: 'vectors',
      dim: 3,
      count: 1,
      values: [2, null, -3],
    })
  })
})

describe('shape issues', () => {
  it('accepts what the views can draw and names the port otherwise', () => {
    for (const shape of [[28, 28, 1], [8, 8, 3], [8, 8], [2], [10]])
      expect(displayableShapeIssue('images', shape), JSON.stringify(shape)).toBeUndefined()
    expect(displayableShapeIssue('images', [8, 8, 64])).toEqual({
      port: 'images',
      message: 'images has 64 channels; only 1 (grey) or 3 (RGB) can be drawn',
      expected: '[h, w, 1] or [h, w, 3]',
      actual: '[8, 8, 64]',
    })
    expect(displayableShapeIssue('x', [])).toMatchObject({ port: 'x', actual: '[]' })
    expect(displayableShapeIssue('x', [1, 2, 3, 1])).toMatchObject({ actual: '[1, 2, 3, 1]' })
    expect(vectorShapeIssue('z', [4])).toBeUndefined()
    expect(vectorShapeIssue('z', [0])).toMatchObject({ port: 'z', expected: '[d]', actual: '[0]' })
    expect(labelsShapeIssue('labels', undefined)).toBeUndefined()
    expect(labelsShapeIssue('labels', [])).toBeUndefined()
    expect(labelsShapeIssue('labels', [1])).toMatchObject({ expected: '[]', actual: '[1]' })
    expect(viewShapes(undefined)).toEqual({ outputs: {} })
    expect(viewShapes(undefined, { message: 'no' })).toEqual({ issues: [{ message: 'no' }] })
  })

  it('has a valid samples param', () => {
    const spec = samplesParam(64, 1024)
    expect(paramProblem(spec, spec.default)).toBeUndefined()
    expect(paramProblem(spec, 0)).toBeDefined()
    expect(paramProblem(spec, 2048)).toBeDefined()
  })
})
