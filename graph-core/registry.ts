import type { AnyNodeDefinition } from './nodeDefinition'

/** The node types a document may use, by persisted type id. */
export interface NodeRegistry {
  get(type: string): AnyNodeDefinition | undefined
  all(): readonly AnyNodeDefinition[]
}

/** Builds a registry from an explicit list; a duplicate id is a programming error and throws. */
export function createRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const byType = new Map<string, AnyNodeDefinition>()
  for (const definition of definitions) {
    if (byType.has(definition.type))
      throw new Error(`node type ${definition.type} is registered twice`)
    byType.set(definition.type, definition)
  }
  return { get: (type) => byType.get(type), all: () => definitions }
}
