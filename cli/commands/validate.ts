import { readFileSync } from 'node:fs'
import { analyzeGraph } from '../../graph-core/analysis'
import { hasErrors, type Diagnostic } from '../../graph-core/diagnostics'
import { loadDocument } from '../../graph-core/loader'
import { nodeRegistry } from '../../nodes/registry'
import { UsageError, type ParsedArgs } from '../args'

/** One line per diagnostic: `error SHAPE_MISMATCH dec.z: … (expected [32], got [16])`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = [diagnostic.node, diagnostic.port].filter(Boolean).join('.')
  const detail =
    diagnostic.expected === undefined
      ? ''
      : ` (expected ${diagnostic.expected}, got ${diagnostic.actual ?? '?'})`
  return `${diagnostic.severity} ${diagnostic.code}${where === '' ? '' : ` ${where}`}: ${diagnostic.message}${detail}`
}

/** `validate <file>`: prints the diagnostics of loading and analysing a graph; 1 on errors. */
export function validate(args: ParsedArgs, print: (line: string) => void): number {
  const [file] = args.positionals
  if (file === undefined) throw new UsageError('validate needs a graph file: validate <file>')
  const loaded = loadDocument(readFileSync(file, 'utf8'), nodeRegistry)
  const diagnostics = loaded.ok
    ? [...loaded.diagnostics, ...analyzeGraph(loaded.document, nodeRegistry).diagnostics]
    : loaded.diagnostics
  // The loader and the analysis can both see one problem (an unknown type): say it once.
  const seen = new Set<string>()
  const unique = diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.node ?? ''}\u0000${d.port ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  for (const diagnostic of unique) print(formatDiagnostic(diagnostic))
  const isBad = hasErrors(unique)
  print(
    isBad
      ? `${file}: ${unique.filter((d) => d.severity === 'error').length} error(s)`
      : `${file}: valid`,
  )
  return isBad ? 1 : 0
}
