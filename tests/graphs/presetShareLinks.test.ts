import { describe, expect, it } from 'vitest'
import { serializeDocument } from '../../graph-core/document'
import {
  decodeShareFragment,
  encodeShareFragment,
  SAFE_SHARE_LINK_LENGTH,
} from '../../app/storage/shareLink'
import { nodeRegistry } from '../../nodes/registry'
import { loadPreset, PRESET_IDS } from '../../presets/catalog'

/** Room for the page address in front of the fragment (`https://…/latent-lab/`). */
const ADDRESS_ALLOWANCE = 200

// Every preset must be shareable as a link that every app keeps whole (issue #7), against a safe
// length of 8,000 for the whole link; `npm run share-links` prints each preset's length for the
// README's table.
describe.each(PRESET_IDS)('share link of the %s preset', (id) => {
  it('stays under the safe length and decodes byte for byte', async () => {
    const loaded = loadPreset(id, nodeRegistry)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
    const fragment = await encodeShareFragment(loaded.document)
    expect(fragment.length + ADDRESS_ALLOWANCE).toBeLessThanOrEqual(SAFE_SHARE_LINK_LENGTH)
    const decoded = await decodeShareFragment(fragment, nodeRegistry)
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.diagnostics))
    expect(serializeDocument(decoded.document)).toBe(serializeDocument(loaded.document))
  })
})
