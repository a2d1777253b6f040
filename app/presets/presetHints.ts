/**
 * One line per preset for the Presets menu: what tells it apart from its neighbours. Kept here,
 * not in the preset files, so the menu's text is in the app's bundle while the graphs load on
 * demand; the record type makes a new preset id fail to compile until it has its line.
 */
import type { PresetId } from '../../presets/ids'

export const PRESET_HINTS: Readonly<Record<PresetId, string>> = {
  'softmax-baseline': 'Cut off the classifier, compare what is left',
  triplet: 'Anchor, positive, negative: semi-hard, then hard',
  'center-loss': 'Softmax plus a pull towards each person’s centre',
  sphereface: 'Multiplicative angular margin, cos(mθ)',
  cosface: 'Additive cosine margin, s·(cos θ − m)',
  arcface: 'Additive angular margin, s·cos(θ + m)',
  autoencoder: 'Squeeze a digit into a code and rebuild it',
  'denoising-autoencoder': 'A noisy digit in, the clean digit out',
  vae: 'Sample the latent space; add a smile vector',
  'gan-2d': 'Watch G spread over a ring of 8 Gaussians',
  dcgan: 'Convolutional G and D drawing digits',
  pix2pix: 'Edge maps → digits: adversarial + L1',
  'super-resolution': '14×14 → 28×28 digits: L1 + adversarial',
  cyclegan: 'Neutral ↔ smiling faces, unpaired: a cycle loss',
}
