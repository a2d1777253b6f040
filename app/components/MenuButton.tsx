import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'

export interface MenuItem {
  id: string
  label: string
  onSelect: () => void
}

/**
 * A button that opens a menu of actions (WAI-ARIA menu button): arrow keys move between the
 * items, Enter picks one, Escape or a click elsewhere closes it and focus returns to the button.
 */
export function MenuButton({
  label,
  items,
  isDisabled = false,
  emptyText = 'Nothing to choose',
  className = '',
}: {
  label: string
  /** Shown in the menu when `items` gives none: why there is nothing. */
  emptyText?: string
  /** Read when the menu opens, so it lists what is true then. */
  items: () => MenuItem[]
  isDisabled?: boolean
  className?: string
}) {
  const [open, setOpen] = useState<MenuItem[] | undefined>()
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLDivElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (open === undefined) return
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node
      if (menuRef.current?.contains(target) || buttonRef.current?.contains(target)) return
      setOpen(undefined)
    }
    window.addEventListener('pointerdown', onPointer)
    return () => {
      window.removeEventListener('pointerdown', onPointer)
    }
  }, [open])

  const close = () => {
    setOpen(undefined)
    buttonRef.current?.focus()
  }

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const index = entries.indexOf(document.activeElement as HTMLElement)
    if (event.key === 'Escape') close()
    else if (event.key === 'ArrowDown') entries[(index + 1) % entries.length]?.focus()
    else if (event.key === 'ArrowUp')
      entries[(index - 1 + entries.length) % entries.length]?.focus()
    else if (event.key === 'Home') entries[0]?.focus()
    else if (event.key === 'End') entries.at(-1)?.focus()
    else return
    event.preventDefault()
    event.stopPropagation()
  }

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open !== undefined}
        aria-controls={open === undefined ? undefined : menuId}
        disabled={isDisabled}
        onClick={() => {
          setOpen(open === undefined ? items() : undefined)
        }}
        className={`rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-45 disabled:hover:bg-transparent dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800 ${className}`}
      >
        {label}
      </button>
      {open !== undefined && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
          className="absolute left-0 z-50 mt-1 flex min-w-48 flex-col rounded-md border border-zinc-200 bg-white py-1 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {open.length === 0 && (
            <p className="px-3 py-1 text-zinc-500 dark:text-zinc-400">{emptyText}</p>
          )}
          {open.map((item) => (
            <button
              key={item.id}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                close()
                item.onSelect()
              }}
              className="px-3 py-1 text-left text-zinc-800 hover:bg-sky-50 focus:bg-sky-50 focus:outline-none dark:text-zinc-200 dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
