import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'

export interface MenuItem {
  id: string
  label: string
  /** A line under the label, read as the item's description. */
  description?: string
  /** Consecutive items with one group are listed under it as a heading. */
  group?: string
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
  menuClassName = 'min-w-48',
}: {
  label: string
  /** Width and height limits of the open menu. */
  menuClassName?: string
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

  // Before paint: a menu that would run off the window's right edge opens leftwards instead.
  useLayoutEffect(() => {
    const menu = menuRef.current
    if (open === undefined || menu === null) return
    if (menu.getBoundingClientRect().right > window.innerWidth) {
      menu.style.left = 'auto'
      menu.style.right = '0'
    }
  }, [open])

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
          className={`absolute left-0 z-50 mt-1 flex flex-col rounded-md border border-zinc-200 bg-white py-1 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900 ${menuClassName}`}
        >
          {open.length === 0 && (
            <p className="px-3 py-1 text-zinc-500 dark:text-zinc-400">{emptyText}</p>
          )}
          {menuRuns(open).map((run, index) =>
            run.group === undefined ? (
              run.items.map((item) => (
                <MenuEntry key={item.id} item={item} menuId={menuId} onPick={close} />
              ))
            ) : (
              <div
                key={`group:${run.group}:${String(index)}`}
                role="group"
                aria-labelledby={`${menuId}-group-${String(index)}`}
                className="flex flex-col border-zinc-100 not-first:mt-1 not-first:border-t dark:border-zinc-800"
              >
                <p
                  id={`${menuId}-group-${String(index)}`}
                  className="px-3 pt-1.5 pb-0.5 text-[10px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400"
                >
                  {run.group}
                </p>
                {run.items.map((item) => (
                  <MenuEntry key={item.id} item={item} menuId={menuId} onPick={close} />
                ))}
              </div>
            ),
          )}
        </div>
      )}
    </div>
  )
}

/** Consecutive items of one group, in order; items without a group form runs of their own. */
export function menuRuns(items: readonly MenuItem[]): { group?: string; items: MenuItem[] }[] {
  const runs: { group?: string; items: MenuItem[] }[] = []
  for (const item of items) {
    const last = runs.at(-1)
    if (last !== undefined && last.group === item.group) last.items.push(item)
    else
      runs.push(item.group === undefined ? { items: [item] } : { group: item.group, items: [item] })
  }
  return runs
}

function MenuEntry({
  item,
  menuId,
  onPick,
}: {
  item: MenuItem
  menuId: string
  onPick: () => void
}) {
  const descriptionId = `${menuId}-${item.id}`
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      // With a description, the label alone names the item and the description describes it.
      aria-label={item.description === undefined ? undefined : item.label}
      aria-describedby={item.description === undefined ? undefined : descriptionId}
      onClick={() => {
        onPick()
        item.onSelect()
      }}
      className="flex flex-col px-3 py-1 text-left text-zinc-800 hover:bg-sky-50 focus:bg-sky-50 focus:outline-none dark:text-zinc-200 dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
    >
      {item.label}
      {item.description !== undefined && (
        <span
          id={descriptionId}
          className="text-[11px] leading-snug text-zinc-500 dark:text-zinc-400"
        >
          {item.description}
        </span>
      )}
    </button>
  )
}
