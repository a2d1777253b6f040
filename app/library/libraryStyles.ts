/** Class names shared by the Library panel's parts. */

/** A small bordered button. */
export const SMALL_BUTTON =
  'rounded-md border border-zinc-300 px-2 py-0.5 text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-45 disabled:hover:bg-transparent dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800'

/** A text field or select. */
export const FIELD =
  'rounded-md border border-zinc-300 bg-white px-2 py-1 text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100'
