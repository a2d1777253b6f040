import { useCallback, useState } from 'react'

/** A yes/no the user set that outlives the page ("1" or absent in localStorage). */
export function loadFlag(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === '1'
  } catch {
    return false
  }
}

export function saveFlag(key: string, value: boolean): void {
  try {
    if (value) window.localStorage.setItem(key, '1')
    else window.localStorage.removeItem(key)
  } catch {
    // A private window without storage: the choice lasts until the page closes.
  }
}

/** State kept under `key` between visits. */
export function useStoredFlag(key: string): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => loadFlag(key))
  const set = useCallback(
    (next: boolean) => {
      setValue(next)
      saveFlag(key, next)
    },
    [key],
  )
  return [value, set]
}
