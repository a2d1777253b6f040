/** Minimal argv parsing: positionals and `--name value` / `--flag` options. */
export interface ParsedArgs {
  positionals: string[]
  options: Map<string, string | true>
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = []
  const options = new Map<string, string | true>()
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? ''
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2)
    const next = argv[index + 1]
    if (inline !== undefined) options.set(name, inline)
    else if (next !== undefined && !next.startsWith('--')) {
      options.set(name, next)
      index++
    } else options.set(name, true)
  }
  return { positionals, options }
}

/** A usage error: the CLI prints its message on one line and exits with 2. */
export class UsageError extends Error {}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name)
  if (value === true) throw new UsageError(`--${name} needs a value`)
  return value
}

export function intOption(args: ParsedArgs, name: string, fallback: number, min = 0): number {
  const raw = stringOption(args, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${raw}"`)
  return value
}

/** `--name 1000,2000`: whole numbers ≥ `min`, comma-separated; undefined when absent. */
export function intListOption(args: ParsedArgs, name: string, min = 0): number[] | undefined {
  const raw = stringOption(args, name)
  if (raw === undefined) return undefined
  const values = raw.split(',').map((part) => Number(part.trim()))
  if (raw.trim() === '' || values.some((value) => !Number.isInteger(value) || value < min))
    throw new UsageError(`--${name} takes whole numbers ≥ ${min} separated by commas, got "${raw}"`)
  return values
}
