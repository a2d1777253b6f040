import { describe, expect, it } from 'vitest'
import { serializeDocument } from '../../graph-core/document'
import { loadDocument } from '../../graph-core/loader'
import {
  decodeShareFragment,
  encodeShareFragment,
  SAFE_SHARE_LINK_LENGTH,
} from '../../app/storage/shareLink'
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
