/**
 * A fixed-size ring of numbers in one Float64Array: appending is O(1) and allocates nothing, so
 * the run dock can take every metric point of a long run without the main thread slowing down
 * or memory growing. When full, the oldest value is overwritten.
 */
export class RingBuffer {
  readonly capacity: number
  private readonly values: Float64Array
  /** Index in `values` of the oldest value. */
  private start = 0
  private count = 0

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`A ring buffer needs a positive whole capacity, not ${capacity}`)
    }
    this.capacity = capacity
    this.values = new Float64Array(capacity)
  }

  /** How many values it holds (at most `capacity`). */
  get length(): number {
    return this.count
  }

  push(value: number): void {
    const end = (this.start + this.count) % this.capacity
    this.values[end] = value
    if (this.count < this.capacity) this.count++
    else this.start = (this.start + 1) % this.capacity
  }

  /** The value `index` places after the oldest one; NaN outside the buffer. */
  at(index: number): number {
    if (index < 0 || index >= this.count) return Number.NaN
    return this.values[(this.start + index) % this.capacity] ?? Number.NaN
  }

  /** The values oldest first, as a new array. */
  toArray(): Float64Array {
    const out = new Float64Array(this.count)
    const head = Math.min(this.count, this.capacity - this.start)
    out.set(this.values.subarray(this.start, this.start + head))
    if (head < this.count) out.set(this.values.subarray(0, this.count - head), head)
    return out
  }

  clear(): void {
    this.start = 0
    this.count = 0
  }
}
