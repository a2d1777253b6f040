import type { Notice, NoticeTone } from './notices'

const TONE_STYLES: Record<NoticeTone, string> = {
  error:
    'border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
  warning:
    'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100',
  info: 'border-zinc-300 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100',
}

const BUTTON =
  'rounded-md border border-current/30 px-2 py-0.5 font-medium hover:bg-black/5 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 dark:hover:bg-white/10'

/**
 * The workspace's notices, top centre over the canvas. Errors and warnings are alerts (read
 * out at once); confirmations are announced politely by the region.
 */
export function NoticeStack({
  notices,
  onDismiss,
}: {
  notices: readonly Notice[]
  onDismiss: (id: number) => void
}) {
  return (
    <section
      aria-label="Notifications"
      aria-live="polite"
      className="pointer-events-none fixed top-16 left-1/2 z-40 flex w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 flex-col gap-2"
    >
      {notices.map((notice) => (
        <div
          key={notice.id}
          role={notice.tone === 'info' ? undefined : 'alert'}
          className={`pointer-events-auto rounded-lg border px-3 py-2 text-xs shadow-lg ${TONE_STYLES[notice.tone]}`}
        >
          <div className="flex items-start gap-3">
            <p className="min-w-0 flex-1 leading-relaxed">{notice.message}</p>
            <button
              type="button"
              aria-label="Dismiss"
              title="Dismiss"
              onClick={() => {
                onDismiss(notice.id)
              }}
              className="-mr-1 rounded px-1 text-base leading-none opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-sky-500"
            >
              ×
            </button>
          </div>
          {notice.details !== undefined && (
            <ul className="mt-1 list-disc space-y-0.5 pl-5 leading-relaxed">
              {notice.details.map((detail, index) => (
                <li key={index}>{detail}</li>
              ))}
            </ul>
          )}
          {notice.link !== undefined && (
            <input
              readOnly
              aria-label="Share link"
              value={notice.link}
              onFocus={(event) => {
                event.currentTarget.select()
              }}
              className="mt-2 w-full rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-[11px] text-zinc-700 dark:border-zinc-600 dark:bg-zinc-950 dark:text-zinc-300"
            />
          )}
          {notice.actions !== undefined && notice.actions.length > 0 && (
            <div className="mt-2 flex flex-wrap gap-2">
              {notice.actions.map((action) => (
                <button
                  key={action.label}
                  type="button"
                  onClick={() => {
                    onDismiss(notice.id)
                    action.run()
                  }}
                  className={BUTTON}
                >
                  {action.label}
                </button>
              ))}
            </div>
          )}
        </div>
      ))}
    </section>
  )
}
