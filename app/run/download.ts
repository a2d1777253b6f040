/**
 * Saves bytes as a file through the browser's download (no server: DESIGN §8). The object URL
 * is revoked once the download had time to start.
 */
export function downloadFile(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => {
    URL.revokeObjectURL(url)
  }, 60_000)
}

/** A name safe in file systems: node ids are, but titles and graph names may not be. */
export const safeFileName = (name: string): string =>
  name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'latent-lab'
