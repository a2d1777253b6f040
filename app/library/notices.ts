/**
 * The messages the workspace shows above the canvas: errors and warnings that stay until
 * dismissed or resolved, and short-lived confirmations ("Link copied", "Deleted … Undo").
 * A pure list with a key per kind of message, so a repeated failure replaces its notice
 * instead of stacking a copy on every autosave.
 */

/** A button on a notice. */
export interface NoticeAction {
  label: string
  run: () => void
}

/** How a notice looks and is announced: errors and warnings interrupt, info is polite. */
export type NoticeTone = 'error' | 'warning' | 'info'

/** One message. */
export interface Notice {
  id: number
  /** Notices with the same key replace each other (`save-error`, `conflict`, …). */
  key: string
  tone: NoticeTone
  message: string
  /** Further sentences shown as a list, e.g. the loader's diagnostics. */
  details?: readonly string[]
  actions?: readonly NoticeAction[]
  /** A share link to show in a read-only field, so it can be copied by hand too. */
  link?: string
  /** Milliseconds until the notice goes by itself; absent: it stays until dismissed. */
  timeoutMs?: number
}

/** A notice before it has an id. */
export type NoticeInput = Omit<Notice, 'id'>

/** The most notices shown at once; the oldest go first. */
export const MAX_NOTICES = 4

/** `notices` with `notice` added last, replacing any with its key, at most MAX_NOTICES long. */
export function addNotice(notices: readonly Notice[], notice: Notice): Notice[] {
  const others = notices.filter((existing) => existing.key !== notice.key)
  return [...others, notice].slice(-MAX_NOTICES)
}

/** `notices` without the one with `id` (unchanged when there is none). */
export function dismissNotice(notices: readonly Notice[], id: number): readonly Notice[] {
  return notices.some((notice) => notice.id === id)
    ? notices.filter((notice) => notice.id !== id)
    : notices
}

/** `notices` without the ones with `key` (unchanged when there are none). */
export function dismissNoticeKey(notices: readonly Notice[], key: string): readonly Notice[] {
  return notices.some((notice) => notice.key === key)
    ? notices.filter((notice) => notice.key !== key)
    : notices
}
