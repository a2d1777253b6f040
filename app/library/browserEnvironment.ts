/**
 * The workspace's view of the page: the address, the clipboard and downloads.
 */
import type { WorkspaceEnvironment } from './workspace'

/** How long a download's object URL lives: the browser reads it after the click returns. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000

/** The environment of the running page. */
export function browserEnvironment(): WorkspaceEnvironment {
  return {
    pageUrl: () => location.origin + location.pathname,
    hash: () => location.hash,
    clearFragment: () => {
      // replaceState: the link is not a step of the history to go back to.
      history.replaceState(history.state, '', location.pathname + location.search)
    },
    copyText: async (text) => {
      // Missing outside secure contexts: the rejection makes the workspace show the link instead.
      await navigator.clipboard.writeText(text)
    },
    download: (fileName, blob) => {
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = fileName
      link.click()
      setTimeout(() => {
        URL.revokeObjectURL(url)
      }, DOWNLOAD_URL_LIFETIME_MS)
    },
  }
}
