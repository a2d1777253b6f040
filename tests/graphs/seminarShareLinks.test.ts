import { describe, expect, it } from 'vitest'
import { serializeDocument } from '../../graph-core/document'
import { loadDocument } from '../../graph-core/loader'
import {
  decodeShareFragment,
  encodeShareFragment,
  SAFE_SHARE_LINK_LENGTH,
} from '../../app/storage/shareLink'
import { nodeRegistry } from '../../nodes/registry'
import { loadPreset, PRESET_IDS } from '../../presets/catalog'
import { SEMINAR_GRAPHS } from './seminarGraphs'
import { testRegistry } from './syntheticData'

// Lives here rather than beside app/storage/shareLink.ts because app/ may not import tests/.
describe.each(Object.entries(SEMINAR_GRAPHS))('share link of %s', (_name, build) => {
  it('decodes to a document that serializes byte for byte like the original', async () => {
    // Loaded first, as the app would hold it (param defaults filled in).
    const loaded = loadDocument(build(), testRegistry)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
    const fragment = await encodeShareFragment(loaded.document)
    expect(fragment.length).toBeLessThan(SAFE_SHARE_LINK_LENGTH)

    const decoded = await decodeShareFragment(fragment, testRegistry)
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.diagnostics))
    expect(serializeDocument(decoded.document)).toBe(serializeDocument(loaded.document))
    expect(decoded.diagnostics).toEqual(loaded.diagnostics)
  })
})

// Presets carry their explainer in `meta`, so their links are the longest a user meets first.
describe.each(PRESET_IDS)('share link of the %s preset', (id) => {
  it('fits the safe length and decodes to the same document', async () => {
    const preset = loadPreset(id, nodeRegistry)
    if (!preset.ok) throw new Error(JSON.stringify(preset.diagnostics))
    const fragment = await encodeShareFragment(preset.document)
    expect(`http://localhost:4173/${fragment}`.length).toBeLessThanOrEqual(SAFE_SHARE_LINK_LENGTH)

    const decoded = await decodeShareFragment(fragment, nodeRegistry)
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.diagnostics))
    expect(serializeDocument(decoded.document)).toBe(serializeDocument(preset.document))
  })
})
