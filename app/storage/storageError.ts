/**
 * The one error type of the storage modules: a stable code for the UI to branch on and a
 * sentence for people that says what happened, that nothing was lost, and what to do.
 */
import type { Diagnostic } from '../../graph-core/diagnostics'

/** Stable codes (matched by the UI and tests; never rename). */
export type StorageErrorCode =
  'UNAVAILABLE' | 'QUOTA_EXCEEDED' | 'NOT_FOUND' | 'CONFLICT' | 'CORRUPT'

/** A storage failure with a code and a message fit to show as it is. */
export class StorageError extends Error {
  override readonly name = 'StorageError'
  readonly code: StorageErrorCode
  /** For `CORRUPT`: what the loader found wrong with the stored graph. */
  readonly diagnostics: readonly Diagnostic[]

  constructor(
    code: StorageErrorCode,
    message: string,
    options: { cause?: unknown; diagnostics?: readonly Diagnostic[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.diagnostics = options.diagnostics ?? []
  }
}

/** Narrows anything caught to a StorageError. */
export function isStorageError(value: unknown): value is StorageError {
  return value instanceof StorageError
}

const KEEP_IT = 'Export the graph as JSON to keep it.'

/**
 * Turns whatever IndexedDB or Dexie threw into a StorageError. `action` names what was being
 * done, as a gerund phrase ("saving “Triplet”"), and completes the sentence.
 *
 * Dexie wraps the browser's DOMException in its own errors (`inner`) and a failed write aborts
 * the transaction with an AbortError around the real cause, so the whole chain is searched.
 */
export function toStorageError(cause: unknown, action: string): StorageError {
  if (cause instanceof StorageError) return cause
  const names = errorChain(cause).map((error) => error.name)
  const detail = innermostMessage(cause)
  const has = (name: string) => names.includes(name)

  if (has('QuotaExceededError')) {
    return new StorageError(
      'QUOTA_EXCEEDED',
      `Your browser's storage is full: ${action} failed; nothing was changed. ${KEEP_IT} Deleting old runs or graphs frees space.`,
      { cause },
    )
  }
  if (has('MissingAPIError')) {
    return new StorageError(
      'UNAVAILABLE',
      `This browser gives Latent Lab no storage (IndexedDB is missing; some private windows turn it off), so ${action} is not possible. ${KEEP_IT}`,
      { cause },
    )
  }
  // Dexie reports a failed open as a DatabaseClosedError around the browser's reason, so the
  // reason decides; a bare DatabaseClosedError means the connection was closed under us.
  if (has('VersionError') || names.at(-1) === 'DatabaseClosedError') {
    return new StorageError(
      'UNAVAILABLE',
      `The library was closed, probably because a newer Latent Lab opened it in another tab: ${action} failed; nothing was changed. Export the graph as JSON to keep it, then reload this page.`,
      { cause },
    )
  }
  if (has('OpenFailedError') || has('InvalidStateError') || has('SecurityError')) {
    return new StorageError(
      'UNAVAILABLE',
      `The browser's storage could not be opened (${detail}): ${action} failed; nothing was changed. ${KEEP_IT} Reloading the page or leaving private browsing may help.`,
      { cause },
    )
  }
  return new StorageError(
    'UNAVAILABLE',
    `The browser's storage failed while ${action} (${detail}); nothing was changed. ${KEEP_IT}`,
    { cause },
  )
}

/** The error, then what it wraps (Dexie's `inner`, the standard `cause`), a few levels deep. */
function errorChain(cause: unknown): { name: string; message: string }[] {
  const chain: { name: string; message: string }[] = []
  let current: unknown = cause
  // A cycle or a pathological chain must not hang the error path.
  for (let depth = 0; depth < 6 && isErrorLike(current); depth++) {
    chain.push({ name: current.name, message: current.message })
    current = current.inner ?? current.cause
  }
  return chain
}

function innermostMessage(cause: unknown): string {
  const chain = errorChain(cause)
  const message = chain.at(-1)?.message.trim() ?? ''
  if (message !== '') return message.replace(/\.$/, '')
  return typeof cause === 'string' && cause !== '' ? cause : 'unknown error'
}

function isErrorLike(
  value: unknown,
): value is { name: string; message: string; inner?: unknown; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}
