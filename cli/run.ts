/**
 * Latent Lab's headless runner: `npm run cli -- <command>`. Same loader, compiler and nodes as
 * the browser; TF.js on the CPU or WASM backend.
 */
import { parseArgs, UsageError } from './args'
import { dataset } from './commands/dataset'
import { node } from './commands/node'
import { train } from './commands/train'
import { validate } from './commands/validate'

const USAGE = `usage: npm run cli -- <command>
  validate <file>                              print diagnostics; exit 1 on errors
  train <preset-id|file> [--steps N] [--backend wasm|cpu] [--seed S] [--json out.json]
  node <type> --inputs <file.json> [--params <json>] [--weights <file.json>] [--grad a,b]
  dataset <type> [--params <json>] [--batches N] [--grid out.png] [--json]`

/** Where the CLI writes: stdout lines, stderr text, and whether stderr is a terminal. */
export interface CliIo {
  out: (line: string) => void
  err: (text: string) => void
  isTTY: boolean
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY,
}

/** Runs one command; resolves to the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv
  const args = parseArgs(rest)
  const print = io.out
  try {
    switch (command) {
      case 'validate':
        return validate(args, print)
      case 'train':
        return await train(args, print, { isTTY: io.isTTY, write: io.err })
      case 'node':
        return await node(args, print)
      case 'dataset':
        return await dataset(args, print)
      default:
        io.err(`${command === undefined ? '' : `unknown command "${command}"\n`}${USAGE}\n`)
        return 2
    }
  } catch (cause) {
    io.err(`error: ${cause instanceof Error ? cause.message : String(cause)}\n`)
    return cause instanceof UsageError ? 2 : 1
  }
}
