/**
 * ESLint rule `latent/import-zones`: the layering of DESIGN §2 as a lint error.
 *
 * Imports only go down: graph-core ← nodes ← workers/cli ← app. Each zone lists the project
 * folders it may import from, whether it may import TF.js values (only workers/ and cli/ may;
 * everyone may `import type` from TF.js), and whether it may import Node built-ins. Unit tests
 * (`*.test.ts`) run on Node and may load TF.js and Node built-ins, but keep to the folder zones.
 * Folders without a zone (tests/, scripts/, tooling/, root configs) are not restricted.
 */

/** @typedef {{ mayImport: readonly string[], canImportTfValues: boolean, canImportNode: boolean }} Zone */

/** @type {Readonly<Record<string, Zone>>} */
export const ZONES = {
  'graph-core': { mayImport: ['graph-core'], canImportTfValues: false, canImportNode: false },
  nodes: { mayImport: ['graph-core', 'nodes'], canImportTfValues: false, canImportNode: false },
  presets: {
    mayImport: ['graph-core', 'nodes', 'presets'],
    canImportTfValues: false,
    canImportNode: false,
  },
  workers: {
    mayImport: ['graph-core', 'nodes', 'presets', 'workers'],
    canImportTfValues: true,
    canImportNode: false,
  },
  cli: {
    mayImport: ['graph-core', 'nodes', 'presets', 'workers', 'cli'],
    canImportTfValues: true,
    canImportNode: true,
  },
  app: {
    mayImport: ['graph-core', 'nodes', 'presets', 'workers', 'app'],
    canImportTfValues: false,
    canImportNode: false,
  },
}

const PROJECT_FOLDERS = ['app', 'graph-core', 'nodes', 'workers', 'presets', 'cli', 'tests']

const NODE_BUILTINS = new Set([
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'module',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'url',
  'util',
  'worker_threads',
  'zlib',
])

/**
 * The top-level project folder a path (relative to the repository root, `/`-separated) lies in.
 * @param {string} relativePath
 * @returns {string | undefined}
 */
export function topFolderOf(relativePath) {
  const first = relativePath.split('/')[0]
  return first !== undefined && PROJECT_FOLDERS.includes(first) ? first : undefined
}

/**
 * Resolves a relative import specifier against the importing file; both relative to the root.
 * Returns undefined for bare specifiers (packages) and for paths that leave the repository.
 * @param {string} fromFile
 * @param {string} specifier
 * @returns {string | undefined}
 */
export function resolveRelative(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined
  const parts = fromFile.split('/').slice(0, -1)
  for (const segment of specifier.split('/')) {
    if (segment === '.' || segment === '') continue
    if (segment === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(segment)
  }
  return parts.join('/')
}

/**
 * Why an import breaks the zone rules, or undefined when it is allowed.
 * @param {string} fromFile path of the importing file relative to the repository root
 * @param {string} specifier the module specifier as written
 * @param {boolean} isTypeOnly `import type` / `export type`: erased at compile time
 * @returns {string | undefined}
 */
export function zoneViolation(fromFile, specifier, isTypeOnly) {
  const zoneName = topFolderOf(fromFile)
  const zone = zoneName === undefined ? undefined : ZONES[zoneName]
  if (zoneName === undefined || zone === undefined) return undefined
  // Tests run on Node and inject TF.js themselves; they still respect the folder zones.
  const isTest = /\.test\.tsx?$/.test(fromFile)

  if (specifier.startsWith('@tensorflow/')) {
    if (isTypeOnly || zone.canImportTfValues || isTest) return undefined
    return `${zoneName}/ must not load TF.js ('${specifier}'): use 'import type', TF.js runs only in workers/ and cli/.`
  }
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(bare)) {
    if (zone.canImportNode || isTypeOnly || isTest) return undefined
    return `${zoneName}/ runs in the browser and must not import the Node built-in '${specifier}'.`
  }
  const target = resolveRelative(fromFile, specifier)
  if (target === undefined) return undefined
  const targetZone = topFolderOf(target)
  if (targetZone === undefined || zone.mayImport.includes(targetZone)) return undefined
  return `${zoneName}/ may import only from ${zone.mayImport.join(', ')}; '${specifier}' is in ${targetZone}/ (imports only go down: graph-core ← nodes ← workers/cli ← app).`
}

/** @type {import('eslint').Rule.RuleModule} */
export const importZonesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import zones of DESIGN §2.' },
    schema: [],
    messages: { violation: '{{reason}}' },
  },
  create(context) {
    const root = context.cwd.replaceAll('\\', '/')
    const file = context.filename.replaceAll('\\', '/')
    const relativeFile = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file

    /**
     * @param {import('estree').Node} node
     * @param {unknown} source
     * @param {boolean} isTypeOnly
     */
    function check(node, source, isTypeOnly) {
      if (typeof source !== 'string') return
      const reason = zoneViolation(relativeFile, source, isTypeOnly)
      if (reason !== undefined) context.report({ node, messageId: 'violation', data: { reason } })
    }

    /** @param {unknown} node */
    const kindOf = (node) =>
      /** @type {{ importKind?: string, exportKind?: string }} */ (node).importKind ??
      /** @type {{ exportKind?: string }} */ (node).exportKind

    return {
      ImportDeclaration(node) {
        check(node, node.source.value, kindOf(node) === 'type')
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, kindOf(node) === 'type')
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, kindOf(node) === 'type')
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false)
      },
    }
  },
}
