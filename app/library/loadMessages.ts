/**
 * Sentences for graphs that come in from outside (a file, a share link, a paste): why one was
 * refused, and what the loader kept as placeholders or defaults when one opened with problems.
 */
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { NoticeInput } from './notices'

/** Diagnostics listed under a notice; more are counted, not listed. */
export const MAX_LISTED_DIAGNOSTICS = 5

/**
 * The notice for input the loader refused. `source` names it as the subject of a sentence
 * ("The file “gan.json”", "This share link").
 */
export function refusalNotice(source: string, diagnostics: readonly Diagnostic[]): NoticeInput {
  const [first, ...rest] = diagnostics
  const reason = first?.message ?? 'it is not a Latent Lab graph.'
  return {
    key: 'load-refused',
    tone: 'error',
    message: `${source} could not be opened: ${reason} Your graph and the library are unchanged.`,
    details: listed(rest),
  }
}

/**
 * The notice for a graph that opened with problems (unknown node types kept as placeholders,
 * invalid params replaced by defaults), or undefined when it opened cleanly.
 */
export function problemsNotice(
  name: string,
  diagnostics: readonly Diagnostic[],
): NoticeInput | undefined {
  if (diagnostics.length === 0) return undefined
  const count = diagnostics.length
  return {
    key: 'load-problems',
    tone: 'warning',
    message: `“${name}” opened with ${count} ${count === 1 ? 'problem' : 'problems'}; nothing was dropped, and the canvas marks the nodes concerned.`,
    details: listed(diagnostics),
  }
}

function listed(diagnostics: readonly Diagnostic[]): string[] | undefined {
  if (diagnostics.length === 0) return undefined
  const shown = diagnostics.slice(0, MAX_LISTED_DIAGNOSTICS).map((diagnostic) => diagnostic.message)
  const more = diagnostics.length - shown.length
  return more > 0 ? [...shown, `…and ${more} more.`] : shown
}
