import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { nodeRegistry } from '../../nodes/registry'
import { loadPreset } from '../../presets/catalog'
import { ExplainerPanel } from './ExplainerPanel'
import { knobRows } from './explainerView'

describe('ExplainerPanel', () => {
  it('renders every field of the explainer as text, never as markup', () => {
    const loaded = loadPreset('arcface', nodeRegistry)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics))
    const attack = '<img src=x onerror="alert(1)">'
    const explainer = {
      ...loaded.explainer,
      title: `<b>${loaded.explainer.title}</b>`,
      model: attack,
      lookAt: [attack],
      knobs: loaded.explainer.knobs.map((knob) => ({ ...knob, hint: attack })),
      quality: { ...loaded.explainer.quality, summary: attack, measured: attack },
    }
    const html = renderToStaticMarkup(
      <ExplainerPanel
        explainer={explainer}
        knobs={knobRows(explainer, loaded.document, nodeRegistry)}
        isUsingDefaults={false}
        titleOf={(id) => id}
        onUseDefaults={() => undefined}
        onKnob={() => undefined}
        onClose={() => undefined}
      />,
    )
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>')
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;')
    expect(html).toContain('&lt;b&gt;ArcFace&lt;/b&gt;')
    // Each knob is a button named by its param and node.
    expect(html).toContain('aria-label="margin m on ArcFace loss"')
    expect(html).toContain('Use these settings')
  })
})
