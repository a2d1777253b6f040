/**
 * `npm run share-links`: the share link of every preset, measured as the app makes it (the
 * document as the loader gives it, encoded by `encodeShareFragment`), printed as a markdown
 * table for the README. The origin is the one `npm start` serves; a deployment's own origin
 * adds or removes a few characters. Node's deflate is used here; Chromium's compresses the same
 * document to links about 3% longer (CycleGAN: 3,079 characters in the app, 2,987 here).
 */
import { encodeShareFragment, SAFE_SHARE_LINK_LENGTH } from '../app/storage/shareLink'
import { serializeDocument } from '../graph-core/document'
import { loadPreset, PRESET_IDS } from '../presets/catalog'
import { nodeRegistry } from '../nodes/registry'

const ORIGIN = 'http://localhost:4173/'

const rows: string[] = []
for (const id of PRESET_IDS) {
  const preset = loadPreset(id, nodeRegistry)
  if (!preset.ok) throw new Error(`${id} does not load: ${JSON.stringify(preset.diagnostics)}`)
  const json = serializeDocument(preset.document, 0)
  const link = ORIGIN + (await encodeShareFragment(preset.document))
  const fits = link.length <= SAFE_SHARE_LINK_LENGTH ? 'yes' : 'no: export a file'
  rows.push(
    `| ${id} | ${preset.document.nodes.length} | ${json.length.toLocaleString('en-US')} | ${link.length.toLocaleString('en-US')} | ${fits} |`,
  )
}
process.stdout.write(
  [
    `| preset | nodes | JSON characters | link characters | under ${SAFE_SHARE_LINK_LENGTH.toLocaleString('en-US')} |`,
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n') + '\n',
)
