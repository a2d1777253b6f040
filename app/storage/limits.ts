/**
 * Size limits shared by every way a graph comes in as text (database, link, file, paste).
 */

/**
 * The most characters of graph JSON accepted: the loader's default `maxLength`
 * (graph-core/loader.ts, 5 MB), repeated because the loader does not export it; limits.test.ts
 * fails if the two drift apart. Byte counts (file sizes, decompressed links) are held to the
 * same number, which is stricter only for text that is mostly non-ASCII.
 */
export const GRAPH_TEXT_LIMIT = 5_000_000

/** "5.0 MB": sizes in the units the loader's own message uses. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}
