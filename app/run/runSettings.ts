import type { RunSettings } from './runController'

/** The run settings a number field edits: a whole number of steps, at least 1. */
export type StepSetting = 'maxSteps' | 'checkpointEvery'

/**
 * `settings` with `key` set from what the user typed: a positive whole number sets it; anything
 * else (an empty field, 0, a fraction) clears it, so the default applies again.
 */
export function withSetting(settings: RunSettings, key: StepSetting, typed: string): RunSettings {
  const { [key]: _cleared, ...rest } = settings
  const value = Number(typed.trim())
  if (typed.trim() === '' || !Number.isInteger(value) || value < 1) return rest
  return { ...rest, [key]: value }
}
