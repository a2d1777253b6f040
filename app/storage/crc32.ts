/**
 * CRC-32 (IEEE 802.3, the checksum of zip, gzip and PNG), for share links: deflate-raw carries
 * no checksum of its own, so a changed character often still inflates to a different, valid
 * graph. The checksum of the uncompressed text catches that.
 */

// One entry per byte value: the reflected polynomial 0xEDB88320 applied eight times.
const TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  return crc >>> 0
})

/** The CRC-32 of `bytes` as an unsigned 32-bit number (`crc32("123456789") === 0xcbf43926`). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
