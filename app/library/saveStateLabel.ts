/**
 * The words beside the graph's name in the toolbar: where the open graph stands with the
 * library, in a few words, and a sentence for its tooltip.
 */
import type { SaveState } from './workspace'

/** Short label and tooltip for each save state. */
export function saveStateLabel(saveState: SaveState): { label: string; description: string } {
  switch (saveState) {
    case 'new':
      return {
        label: 'Not saved yet',
        description: 'A new graph: the first edit saves it to the library in this browser.',
      }
    case 'saved':
      return { label: 'Saved', description: 'Every edit is saved in this browser’s library.' }
    case 'unsaved':
      return {
        label: 'Unsaved changes',
        description: 'Autosave runs a moment after the last edit.',
      }
    case 'saving':
      return { label: 'Saving…', description: 'Saving to the library in this browser.' }
    case 'failed':
      return {
        label: 'Not saved',
        description: 'The last save failed; the notice says why. Export JSON keeps a copy.',
      }
    case 'conflict':
      return {
        label: 'Not saved: conflict',
        description:
          'Another tab saved this graph first. Choose in the notice: keep your version as a copy, or load theirs.',
      }
    case 'off':
      return {
        label: 'Autosave off',
        description: 'This browser gives no storage: use Export JSON to keep your work.',
      }
  }
}
