/**
 * The workspace (DESIGN §8): which stored graph the editor shows, and keeping it. Framework-free
 * so it is tested in Node; `useWorkspace` mounts it in the app.
 *
 * - The editor store holds the document; the workspace remembers the graph id and the revision
 *   the editor's document is based on, and autosaves ~1 s after the last edit with that base.
 * - A save based on a stale revision (another tab saved first) is a conflict: autosave stops and
 *   a notice offers "Keep mine as a copy" or "Load theirs"; nothing is overwritten.
 * - When another tab saves the open graph and this one has no unsaved edits, the editor shows
 *   the new version at once.
 * - Files, share links and pastes open as new graphs, never over an existing one. Whatever
 *   replaces the editor's document first saves the edits it would replace; when they cannot be
 *   saved, a notice asks before anything is left behind.
 * - Without IndexedDB the editor still works: autosave is off and a notice says so.
 */
import { createDocument, type GraphDocument } from '../../graph-core/document'
import type { Diagnostic } from '../../graph-core/diagnostics'
import type { LoadResult } from '../../graph-core/loader'
import type { NodeRegistry } from '../../graph-core/registry'
import type { EditorStore } from '../editor/editorStore'
import { exportGraphFile, readGraphFile, readPastedGraph } from '../storage/graphFiles'
import type { DeleteToken, GraphLibrary, LibraryChange } from '../storage/graphLibrary'
import {
  decodeShareFragment,
  encodeShareFragment,
  hasShareFragment,
  shareLinkAdvice,
} from '../storage/shareLink'
import { isStorageError, toStorageError, type StorageError } from '../storage/storageError'
import { formatStamp } from './formatTime'
import { problemsNotice, refusalNotice } from './loadMessages'
import {
  addNotice,
  dismissNotice,
  dismissNoticeKey,
  type Notice,
  type NoticeAction,
  type NoticeInput,
} from './notices'
import type { WorkspaceSettings } from './workspaceSettings'

/** Milliseconds between the last edit and the autosave. */
export const AUTOSAVE_DELAY_MS = 1000

/** How long confirmations ("Deleted … Undo") stay. */
export const TOAST_MS = 10_000

/** Deleted graphs are purged for good at the first start this long after their delete. */
export const PURGE_AFTER_MS = 7 * 86_400_000

/**
 * Where the editor's document stands with the library:
 * `new`: never saved, untouched; `saved`: equals the stored latest revision; `unsaved`: edited,
 * autosave pending; `saving`; `failed`: the last save failed (a notice says why); `conflict`:
 * another tab saved or deleted the graph first; `off`: no storage in this browser.
 */
export type SaveState = 'new' | 'saved' | 'unsaved' | 'saving' | 'failed' | 'conflict' | 'off'

/** A conflict waiting for the user's choice. */
export interface WorkspaceConflict {
  /** `changed`: another tab saved first; `deleted`: the graph was deleted meanwhile. */
  reason: 'changed' | 'deleted'
  message: string
}

/** What the UI shows of the workspace. Immutable: a new object on every change. */
export interface WorkspaceState {
  /** False until the last graph (or a share link) has been opened at startup. */
  isReady: boolean
  isStorageAvailable: boolean
  /** The stored graph the editor shows; undefined for a graph not saved yet. */
  graphId: string | undefined
  /** The revision the editor's document started from; the base of the next save. */
  baseRevisionId: number | undefined
  saveState: SaveState
  /** When this tab last saved or opened the graph. */
  lastSavedAt: number | undefined
  conflict: WorkspaceConflict | undefined
  notices: readonly Notice[]
}

/** What the workspace needs from the page; tests pass stand-ins. */
export interface WorkspaceEnvironment {
  /** The page address without its fragment: share links are this plus `#graph=…`. */
  pageUrl: () => string
  /** The URL fragment the page was opened with (`location.hash`). */
  hash: () => string
  /** Removes a read `#graph=…` from the address bar, so a reload does not open it again. */
  clearFragment: () => void
  copyText: (text: string) => Promise<void>
  download: (fileName: string, blob: Blob) => void
}

/** The timer functions the workspace uses; tests pass manual ones. */
export interface WorkspaceTimers {
  setTimeout: (run: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

/** What `createWorkspace` needs. */
export interface WorkspaceOptions {
  store: EditorStore
  registry: NodeRegistry
  library: GraphLibrary
  settings: WorkspaceSettings
  environment: WorkspaceEnvironment
  autosaveDelayMs?: number
  toastMs?: number
  timers?: WorkspaceTimers
  now?: () => number
}

/** A graph named in a Library action. */
export interface GraphRef {
  id: string
  name: string
}

/** The workspace API used by the toolbar, the Library panel and the page's event handlers. */
export interface Workspace {
  readonly library: GraphLibrary
  getState: () => WorkspaceState
  subscribe: (listener: () => void) => () => void
  /** Opens the last graph (or starts empty), then a `#graph=` link if the page has one. */
  start(): Promise<void>
  /** Saves now (the Save button). Resolves to whether the document is stored. */
  save(): Promise<boolean>
  /** Saves pending edits without waiting for the autosave delay (page hidden or closing). */
  flush(): Promise<void>
  /** Edits that would be lost if the page closed now (storage off, conflict, failed save). */
  hasUnsavedWork(): boolean
  openGraph(graphId: string): Promise<void>
  /** Opens a graph that came in from outside as a new graph. `source` names it in messages. */
  openLoaded(result: LoadResult, source: { label: string; note: string }): Promise<void>
  openShareFragment(hash: string): Promise<void>
  importFile(file: File): Promise<void>
  /** Opens pasted graph JSON or a share link as a new graph. */
  pasteText(text: string): Promise<void>
  renameGraph(graph: GraphRef, name: string): Promise<void>
  duplicateGraph(graph: GraphRef): Promise<void>
  /** Deletes (soft) with an Undo notice; the open graph is replaced by an empty one. */
  deleteGraph(graph: GraphRef): Promise<void>
  restoreRevision(graph: GraphRef, revisionId: number, createdAt: number): Promise<void>
  keepMineAsCopy(): Promise<void>
  loadTheirs(): Promise<void>
  /** Copies a share link of the document and shows it with its length. */
  shareLink(): Promise<void>
  exportJson: () => void
  /** Shows a notice (for the page's own messages, such as a file dropped beside the canvas). */
  notify(notice: NoticeInput): void
  dismissNotice: (id: number) => void
  dispose(): void
}

const defaultTimers: WorkspaceTimers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>)
  },
}

/** Creates the workspace of one tab. Call `start()` once, `dispose()` when unmounting. */
export function createWorkspace(options: WorkspaceOptions): Workspace {
  const { store, registry, library, settings, environment } = options
  const autosaveDelayMs = options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS
  const toastMs = options.toastMs ?? TOAST_MS
  const timers = options.timers ?? defaultTimers
  const now = options.now ?? Date.now

  let state: WorkspaceState = {
    isReady: false,
    isStorageAvailable: true,
    graphId: undefined,
    baseRevisionId: undefined,
    saveState: 'new',
    lastSavedAt: undefined,
    conflict: undefined,
    notices: [],
  }
  const listeners = new Set<() => void>()
  /** The document the stored latest revision holds (or the untouched start); undefined: none. */
  let savedDocument: GraphDocument | undefined = store.getState().document
  let seenDocument = savedDocument
  let autosaveTimer: unknown
  let pendingSave: Promise<boolean> | undefined
  /** Another tab saved the open graph while this one was saving: look again afterwards. */
  let isRemoteChangePending = false
  let nextNoticeId = 1
  const noticeTimers = new Map<number, unknown>()
  let isDisposed = false
  const wasDisposed = () => isDisposed

  const set = (patch: Partial<WorkspaceState>) => {
    if (isDisposed) return
    state = { ...state, ...patch }
    for (const listener of [...listeners]) listener()
  }

  /** Applies `patch`, then the save state that follows from it when nothing is in progress. */
  const settle = (patch: Partial<WorkspaceState>) => {
    set(patch)
    set({ saveState: restingState() })
  }

  const isDirty = () => store.getState().document !== savedDocument
  const currentName = () => store.getState().document.name
  /** The save state an idle workspace shows. */
  const restingState = (): SaveState => {
    if (!state.isStorageAvailable) return 'off'
    if (state.conflict !== undefined) return 'conflict'
    if (isDirty()) return 'unsaved'
    return state.graphId === undefined ? 'new' : 'saved'
  }

  function notify(input: NoticeInput): void {
    if (isDisposed) return
    const notice: Notice = { ...input, id: nextNoticeId++ }
    for (const replaced of state.notices.filter((existing) => existing.key === input.key)) {
      clearNoticeTimer(replaced.id)
    }
    set({ notices: addNotice(state.notices, notice) })
    if (notice.timeoutMs !== undefined) {
      noticeTimers.set(
        notice.id,
        timers.setTimeout(() => {
          noticeTimers.delete(notice.id)
          set({ notices: dismissNotice(state.notices, notice.id) })
        }, notice.timeoutMs),
      )
    }
  }
  function clearNoticeTimer(id: number) {
    const timer = noticeTimers.get(id)
    if (timer === undefined) return
    timers.clearTimeout(timer)
    noticeTimers.delete(id)
  }
  function dismissKey(key: string) {
    for (const notice of state.notices.filter((existing) => existing.key === key)) {
      clearNoticeTimer(notice.id)
    }
    set({ notices: dismissNoticeKey(state.notices, key) })
  }
  const toast = (key: string, message: string, actions?: NoticeAction[]) => {
    notify({ key, tone: 'info', message, actions, timeoutMs: toastMs })
  }
  const showError = (key: string, cause: unknown, action: string) => {
    const error = toStorageError(cause, action)
    if (!isStorageError(cause)) console.error('Latent Lab:', action, cause)
    notify({ key, tone: 'error', message: error.message })
  }

  function cancelAutosave() {
    if (autosaveTimer === undefined) return
    timers.clearTimeout(autosaveTimer)
    autosaveTimer = undefined
  }
  function scheduleAutosave() {
    cancelAutosave()
    autosaveTimer = timers.setTimeout(() => {
      autosaveTimer = undefined
      void save('auto')
    }, autosaveDelayMs)
  }

  const unsubscribeStore = store.subscribe(() => {
    const document = store.getState().document
    if (document === seenDocument) return
    seenDocument = document
    if (!state.isStorageAvailable || state.conflict !== undefined) return
    if (!isDirty()) {
      // Undone back to what is stored.
      cancelAutosave()
      if (state.saveState === 'unsaved') set({ saveState: restingState() })
      return
    }
    if (state.saveState !== 'saving') set({ saveState: 'unsaved' })
    scheduleAutosave()
  })

  /** Saves one at a time: a save started while another runs waits for it, then looks again. */
  function save(trigger: 'auto' | 'manual'): Promise<boolean> {
    cancelAutosave()
    const run = () => saveNow(trigger)
    const next = (pendingSave ?? Promise.resolve(true)).then(run, run)
    pendingSave = next
    void next.finally(() => {
      if (pendingSave === next) pendingSave = undefined
    })
    return next
  }

  async function saveNow(trigger: 'auto' | 'manual'): Promise<boolean> {
    if (isDisposed) return false
    if (!state.isStorageAvailable) {
      if (trigger === 'manual') notifyStorageOff()
      return false
    }
    if (state.conflict !== undefined) {
      if (trigger === 'manual') notifyConflict(state.conflict)
      return false
    }
    const document = store.getState().document
    if (trigger === 'auto' && !isDirty()) return true
    const graphId = state.graphId
    set({ saveState: 'saving' })
    let result: Awaited<ReturnType<GraphLibrary['save']>>
    try {
      result = await library.save(document, { graphId, baseRevisionId: state.baseRevisionId })
    } catch (cause) {
      if (isStorageError(cause) && cause.code === 'NOT_FOUND') {
        // Purged in another tab: the same choice as a delete.
        enterConflict('deleted', deletedMessage(document.name))
        return false
      }
      set({ saveState: 'failed' })
      showError('save-error', cause, `saving “${document.name}”`)
      return false
    }
    // Read through a call: the flag may have changed during the await.
    if (wasDisposed()) return false
    if (result.status === 'conflict') {
      enterConflict(result.reason, result.error.message)
      return false
    }
    savedDocument = document
    settle({ graphId: result.graphId, baseRevisionId: result.revisionId, lastSavedAt: now() })
    dismissKey('save-error')
    if (graphId !== result.graphId) rememberGraph(result.graphId)
    if (isDirty()) scheduleAutosave()
    if (isRemoteChangePending) {
      isRemoteChangePending = false
      await reconcileRemote()
    }
    return true
  }

  function rememberGraph(graphId: string | undefined) {
    settings.setLastGraphId(graphId).catch((cause: unknown) => {
      // Only the next visit's starting point is at stake; the graph itself is stored.
      console.warn('Latent Lab: could not remember the open graph', cause)
    })
  }

  function notifyStorageOff(error?: StorageError) {
    notify({
      key: 'storage-off',
      tone: 'warning',
      // The storage error already says to export; without one, this sentence does.
      message:
        error === undefined
          ? 'Autosave is off: this browser gives Latent Lab no storage. Your edits stay in this tab only; use Export JSON to keep them.'
          : `Autosave is off: ${error.message} Your edits stay in this tab only.`,
    })
  }

  function enterConflict(reason: WorkspaceConflict['reason'], message: string) {
    cancelAutosave()
    const conflict = { reason, message }
    set({ conflict, saveState: 'conflict' })
    notifyConflict(conflict)
  }

  function notifyConflict(conflict: WorkspaceConflict) {
    const actions: NoticeAction[] = [
      {
        label: 'Keep mine as a copy',
        run: () => {
          void keepMineAsCopy()
        },
      },
    ]
    if (conflict.reason === 'changed') {
      actions.push({
        label: 'Load theirs',
        run: () => {
          void loadTheirs()
        },
      })
    }
    notify({ key: 'conflict', tone: 'warning', message: conflict.message, actions })
  }

  /** Shows a stored document in the editor, as the new base of autosave. */
  function showStored(
    graphId: string,
    revisionId: number,
    document: GraphDocument,
    diagnostics: readonly Diagnostic[],
  ) {
    if (isDisposed) return
    cancelAutosave()
    // Set before `open`, so the store listener sees no edit.
    savedDocument = document
    seenDocument = document
    store.open(document)
    set({
      graphId,
      baseRevisionId: revisionId,
      conflict: undefined,
      lastSavedAt: now(),
      saveState: 'saved',
    })
    dismissKey('conflict')
    dismissKey('save-error')
    const problems = problemsNotice(document.name, diagnostics)
    if (problems !== undefined) notify(problems)
    else dismissKey('load-problems')
    rememberGraph(graphId)
  }

  /** Shows a document that is not stored (storage off, or its first save failed). */
  function showUnstored(document: GraphDocument, isStored: boolean) {
    if (isDisposed) return
    cancelAutosave()
    // Storage off: it is the user's starting point, "unsaved" would mean nothing. Save failed:
    // it still needs saving, so it counts as edited.
    savedDocument = isStored ? document : undefined
    seenDocument = document
    store.open(document)
    settle({ graphId: undefined, baseRevisionId: undefined, conflict: undefined })
    dismissKey('conflict')
    rememberGraph(undefined)
  }

  async function openStored(graphId: string): Promise<boolean> {
    try {
      const opened = await library.open(graphId)
      if (isDisposed) return false
      showStored(
        opened.graph.id,
        opened.graph.latestRevisionId,
        opened.document,
        opened.diagnostics,
      )
      return true
    } catch (cause) {
      showError('library-error', cause, 'opening the graph')
      return false
    }
  }

  /**
   * Runs `replace` once the editor's document may be replaced: unsaved edits are saved first;
   * when they cannot be, a notice asks (Export JSON, or continue without them).
   */
  async function afterLeaving(replace: () => Promise<void>): Promise<void> {
    if (!isDirty() || (await save('manual'))) {
      await replace()
      return
    }
    const why = !state.isStorageAvailable
      ? 'storage is off in this browser'
      : state.conflict !== undefined
        ? 'another tab changed the graph'
        : 'saving failed'
    notify({
      key: 'leave',
      tone: 'warning',
      message: `Your edits to “${currentName()}” are not saved (${why}). Export JSON to keep them, or continue and leave them behind.`,
      actions: [
        { label: 'Export JSON', run: exportJson },
        {
          label: 'Continue without them',
          run: () => {
            dismissKey('leave')
            void replace()
          },
        },
      ],
    })
  }

  async function reconcileRemote(): Promise<void> {
    const graphId = state.graphId
    if (graphId === undefined) return
    if (isDirty()) {
      enterConflict(
        'changed',
        `“${currentName()}” was changed in another tab while you were editing it here, so your edits were not saved over it. Load theirs, or keep yours as a copy.`,
      )
      return
    }
    try {
      const opened = await library.open(graphId)
      // Edited meanwhile, or moved on to another graph: leave it to the next save.
      if (isDisposed || isDirty() || state.graphId !== graphId) return
      if (opened.graph.latestRevisionId === state.baseRevisionId) return
      showStored(graphId, opened.graph.latestRevisionId, opened.document, opened.diagnostics)
      toast('remote-update', `“${opened.graph.name}” was updated from another tab.`)
    } catch (cause) {
      if (isStorageError(cause) && cause.code === 'NOT_FOUND') return
      showError('library-error', cause, 'reading the changes from another tab')
    }
  }

  const unsubscribeLibrary = library.subscribe((change: LibraryChange) => {
    if (change.tabId === library.tabId || change.graphId !== state.graphId) return
    switch (change.type) {
      case 'graph-saved':
        if (change.revisionId === state.baseRevisionId) return
        if (pendingSave !== undefined) isRemoteChangePending = true
        else void reconcileRemote()
        return
      case 'graph-deleted':
      case 'graph-purged':
        enterConflict('deleted', deletedMessage(currentName()))
        return
      case 'graph-undeleted':
        if (state.conflict?.reason !== 'deleted') return
        settle({ conflict: undefined })
        dismissKey('conflict')
        if (isDirty()) scheduleAutosave()
        return
    }
  })

  async function keepMineAsCopy(): Promise<void> {
    dismissKey('conflict')
    const name = `${currentName()} (my copy)`
    // A new graph: no id, no base, so nothing can be overwritten.
    set({ conflict: undefined, graphId: undefined, baseRevisionId: undefined })
    savedDocument = undefined
    store.dispatch({ type: 'renameGraph', name })
    if (await save('manual')) toast('copy', `Your version is saved as “${name}”.`)
  }

  async function loadTheirs(): Promise<void> {
    const graphId = state.graphId
    if (graphId === undefined) return
    if (await openStored(graphId)) toast('copy', `Showing the latest saved “${currentName()}”.`)
  }

  async function openLoaded(result: LoadResult, source: { label: string; note: string }) {
    if (!result.ok) {
      notify(refusalNotice(source.label, result.diagnostics))
      return
    }
    const { document, diagnostics } = result
    dismissKey('load-refused')
    await afterLeaving(async () => {
      if (state.isStorageAvailable) {
        try {
          // No graphId: always a new graph, never an overwrite.
          const saved = await library.save(document, { note: source.note })
          if (saved.status === 'conflict') throw saved.error
          showStored(saved.graphId, saved.revisionId, document, diagnostics)
          toast('opened', `Opened “${document.name}” as a new graph in the library.`)
          return
        } catch (cause) {
          // Shown all the same: the user has it in front of them, and autosave retries.
          showUnstored(document, false)
          set({ saveState: 'failed' })
          showError('save-error', cause, `saving “${document.name}”`)
        }
      } else {
        showUnstored(document, true)
        toast('opened', `Opened “${document.name}”; it is not stored while autosave is off.`)
      }
      const problems = problemsNotice(document.name, diagnostics)
      if (problems !== undefined) notify(problems)
    })
  }

  async function openShareFragment(hash: string) {
    const result = await decodeShareFragment(hash, registry)
    // A workspace disposed meanwhile (React's development double mount) leaves the link to the
    // one that replaced it.
    if (wasDisposed()) return
    environment.clearFragment()
    await openLoaded(result, { label: 'This share link', note: 'Opened from a share link' })
  }

  async function start() {
    let lastGraphId: string | undefined
    try {
      lastGraphId = await settings.lastGraphId()
    } catch (cause) {
      if (wasDisposed()) return
      const error = toStorageError(cause, 'opening the library')
      set({ isStorageAvailable: false, saveState: 'off' })
      notifyStorageOff(error)
    }
    if (wasDisposed()) return
    if (state.isStorageAvailable) {
      // Long past any Undo: frees their space. Not awaited; a failure only delays it.
      library.purgeDeleted(now() - PURGE_AFTER_MS).catch((cause: unknown) => {
        console.warn('Latent Lab: could not purge deleted graphs', cause)
      })
    }
    // Anything edited while the database opened wins over the last graph.
    if (lastGraphId !== undefined && !isDirty()) {
      try {
        const opened = await library.open(lastGraphId)
        if (wasDisposed()) return
        if (!isDirty()) {
          showStored(
            opened.graph.id,
            opened.graph.latestRevisionId,
            opened.document,
            opened.diagnostics,
          )
        }
      } catch (cause) {
        if (wasDisposed()) return
        if (isStorageError(cause) && cause.code === 'NOT_FOUND') rememberGraph(undefined)
        else showError('library-error', cause, 'reopening the last graph')
      }
    }
    const hash = environment.hash()
    if (hasShareFragment(hash)) await openShareFragment(hash)
    set({ isReady: true })
  }

  function exportJson() {
    const { fileName, blob } = exportGraphFile(store.getState().document)
    environment.download(fileName, blob)
  }

  async function withLibrary(action: string, run: () => Promise<void>): Promise<void> {
    if (!state.isStorageAvailable) {
      notifyStorageOff()
      return
    }
    try {
      await run()
    } catch (cause) {
      showError('library-error', cause, action)
    }
  }

  return {
    library,
    getState: () => state,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    start,
    save: () => save('manual'),
    async flush() {
      if (autosaveTimer !== undefined) await save('auto')
    },
    hasUnsavedWork: () =>
      isDirty() &&
      (!state.isStorageAvailable || state.conflict !== undefined || state.saveState === 'failed'),
    async openGraph(graphId) {
      if (graphId === state.graphId && state.conflict === undefined) return
      await afterLeaving(async () => {
        await openStored(graphId)
      })
    },
    openLoaded,
    openShareFragment,
    async importFile(file) {
      const result = await readGraphFile(file, registry)
      await openLoaded(result, {
        label: `The file “${file.name}”`,
        note: `Imported from “${file.name}”`,
      })
    },
    async pasteText(text) {
      const result = await readPastedGraph(text, registry)
      await openLoaded(result, { label: 'The pasted text', note: 'Pasted' })
    },
    renameGraph: (graph, name) =>
      withLibrary(`renaming “${graph.name}”`, async () => {
        if (graph.id === state.graphId) {
          // Through the editor, so the open document, its undo history and autosave agree.
          store.dispatch({ type: 'renameGraph', name })
          await save('manual')
          return
        }
        const result = await library.rename(graph.id, name)
        if (result.status === 'conflict') throw result.error
      }),
    duplicateGraph: (graph) =>
      withLibrary(`duplicating “${graph.name}”`, async () => {
        // The copy is made from what is stored: store the open graph's edits first.
        if (graph.id === state.graphId && isDirty() && !(await save('manual'))) return
        const result = await library.duplicate(graph.id)
        if (result.status === 'saved') toast('duplicated', `Duplicated “${graph.name}”.`)
      }),
    deleteGraph: (graph) =>
      withLibrary(`deleting “${graph.name}”`, async () => {
        const isOpen = graph.id === state.graphId
        // Undo should bring back the edits too.
        if (isOpen && isDirty() && !(await save('manual'))) return
        const token: DeleteToken = await library.delete(graph.id)
        if (isOpen) showUnstored(createDocument(), true)
        toast('deleted', `Deleted “${graph.name}”.`, [
          {
            label: 'Undo',
            run: () => {
              dismissKey('deleted')
              void withLibrary('undoing the delete', async () => {
                await library.undoDelete(token)
                // Reopen it only if the empty graph that replaced it is still untouched.
                if (isOpen && state.graphId === undefined && !isDirty()) {
                  await openStored(graph.id)
                }
                toast('undeleted', `“${graph.name}” is back.`)
              })
            },
          },
        ])
      }),
    restoreRevision: (graph, revisionId, createdAt) =>
      withLibrary('restoring the revision', async () => {
        const restore = async (baseRevisionId: number | undefined) => {
          const result = await library.restoreRevision(graph.id, revisionId, { baseRevisionId })
          if (result.status === 'conflict') {
            enterConflict(result.reason, result.error.message)
            return
          }
          if (await openStored(graph.id)) {
            toast('restored', `Restored “${graph.name}” as it was on ${formatStamp(createdAt)}.`)
          }
        }
        if (graph.id === state.graphId) {
          if (isDirty() && !(await save('manual'))) return
          await restore(state.baseRevisionId)
        } else {
          await afterLeaving(() => restore(undefined))
        }
      }),
    keepMineAsCopy,
    loadTheirs,
    async shareLink() {
      const document = store.getState().document
      const url = environment.pageUrl() + (await encodeShareFragment(document))
      let isCopied = true
      try {
        await environment.copyText(url)
      } catch {
        isCopied = false
      }
      const advice = shareLinkAdvice(url.length)
      const length = url.length.toLocaleString('en-US')
      notify({
        key: 'share',
        tone: advice === undefined ? 'info' : 'warning',
        message: isCopied
          ? `Share link copied (${length} characters). Whoever opens it gets a copy of “${document.name}”.`
          : `The clipboard is not available here: copy the link below (${length} characters).`,
        details: advice === undefined ? undefined : [advice],
        link: url,
      })
    },
    exportJson,
    notify,
    dismissNotice(id) {
      clearNoticeTimer(id)
      set({ notices: dismissNotice(state.notices, id) })
    },
    dispose() {
      isDisposed = true
      cancelAutosave()
      for (const timer of noticeTimers.values()) timers.clearTimeout(timer)
      noticeTimers.clear()
      unsubscribeStore()
      unsubscribeLibrary()
      listeners.clear()
    },
  }
}

function deletedMessage(name: string): string {
  return `“${name}” was deleted in another tab, so your edits are not saved into it. Keep them as a copy, or undo the delete in the Library.`
}
