import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../presets/catalog'
import { FAMILY_TITLES } from '../../presets/explainer'
import { PRESET_IDS } from '../../presets/ids'
import { presetMenuEntries } from './presetMenu'

describe('presetMenuEntries', () => {
  it('lists every preset once, under its family, the families in the seminar’s order', () => {
    const entries = presetMenuEntries(PRESETS)
    expect(entries.map((entry) => entry.id).sort()).toEqual([...PRESET_IDS].sort())
    const groups = entries
      .map((entry) => entry.group)
      .filter((group, i, all) => group !== all[i - 1])
    expect(groups).toEqual(['Metric learning', 'Autoencoders', 'GANs'])
    for (const entry of entries) {
      const preset = PRESETS.find((candidate) => candidate.id === entry.id)
      expect(entry.label).toBe(preset?.title)
      expect(entry.group).toBe(preset === undefined ? undefined : FAMILY_TITLES[preset.family])
      // One line in the menu.
      expect(entry.description.length).toBeGreaterThan(0)
      expect(entry.description.length).toBeLessThanOrEqual(50)
    }
  })

  it('groups by family even when the catalogue interleaves them, keeping catalogue order inside', () => {
    const entries = presetMenuEntries([
      { id: 'gan-2d', title: 'GAN', family: 'gan' },
      { id: 'arcface', title: 'ArcFace', family: 'metricLearning' },
      { id: 'dcgan', title: 'DCGAN', family: 'gan' },
      { id: 'vae', title: 'VAE', family: 'autoencoder' },
    ])
    expect(entries.map((entry) => entry.label)).toEqual(['ArcFace', 'VAE', 'GAN', 'DCGAN'])
  })
})
