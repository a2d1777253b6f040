/**
 * The preset ids, in the seminar's order (DESIGN §6). An id is the file name `<id>.json` and
 * what `npm run cli -- train <id>` takes: persisted in links and scripts, never rename.
 */
export const PRESET_IDS = [
  'softmax-baseline',
  'triplet',
  'center-loss',
  'sphereface',
  'cosface',
  'arcface',
  'autoencoder',
  'denoising-autoencoder',
  'vae',
  'gan-2d',
  'dcgan',
  'pix2pix',
  'super-resolution',
  'cyclegan',
] as const

export type PresetId = (typeof PRESET_IDS)[number]
