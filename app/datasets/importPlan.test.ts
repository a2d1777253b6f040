import { describe, expect, it } from 'vitest'
import { isImageCandidate, planImport, type FileEntry } from './importPlan'
import { DATASET_LIMITS } from './limits'

const files = (...paths: string[]): FileEntry[] => paths.map((path) => ({ path, size: 100 }))

const labelled = (plan: ReturnType<typeof planImport>) =>
  plan.images.map((image) => `${plan.labels[image.label] ?? '?'}:${image.path}`)

describe('planImport', () => {
  it('takes labels from the sub-folders of a picked folder, sorted by name and number', () => {
    const plan = planImport(
      files(
        'pets/dog/b.png',
        'pets/cat/a.JPG',
        'pets/10/x.webp',
        'pets/2/y.gif',
        'pets/cat/kittens/c.png',
      ),
      'picked',
    )
    expect(plan.labels).toEqual(['2', '10', 'cat', 'dog'])
    expect(labelled(plan)).toEqual([
      '2:pets/2/y.gif',
      '10:pets/10/x.webp',
      'cat:pets/cat/a.JPG',
      'cat:pets/cat/kittens/c.png',
      'dog:pets/dog/b.png',
    ])
    expect(plan.skipped).toEqual([])
  })

  it('gives images without sub-folders one label, "unlabelled"', () => {
    const plan = planImport(files('faces/1.png', 'faces/2.png'), 'picked')
    expect(plan.labels).toEqual(['unlabelled'])
    expect(plan.images.map((image) => image.entry)).toEqual([0, 1])
  })

  it('skips loose images next to label folders, and says why', () => {
    const plan = planImport(files('pets/cat/a.png', 'pets/stray.png'), 'picked')
    expect(plan.labels).toEqual(['cat'])
    expect(plan.skipped).toEqual([{ path: 'pets/stray.png', reason: 'not in a label folder' }])
  })

  it('ignores system files silently and reports files that are not images or too large', () => {
    const entries = [
      ...files('p/cat/.DS_Store', 'p/__MACOSX/cat/._a.png', 'p/cat/Thumbs.db', 'p/cat/notes.txt'),
      { path: 'p/cat/huge.png', size: DATASET_LIMITS.maxFileBytes + 1 },
      ...files('p/cat/a.png'),
    ]
    const plan = planImport(entries, 'picked')
    expect(plan.ignored).toBe(3)
    expect(plan.skipped.map((file) => file.path)).toEqual(['p/cat/notes.txt', 'p/cat/huge.png'])
    expect(plan.skipped[0]?.reason).toContain('not an image file')
    expect(plan.skipped[1]?.reason).toBe('larger than 50 MB')
    expect(plan.images.map((image) => image.path)).toEqual(['p/cat/a.png'])
  })

  it('drops the one wrapping folder of a zip only when label folders sit beneath it', () => {
    expect(planImport(files('pets/cat/a.png', 'pets/dog/b.png'), 'zip').labels).toEqual([
      'cat',
      'dog',
    ])
    // A zip of label folders, or of a single label folder, keeps them.
    expect(planImport(files('cat/a.png', 'dog/b.png'), 'zip').labels).toEqual(['cat', 'dog'])
    expect(planImport(files('cat/a.png', 'cat/b.png'), 'zip').labels).toEqual(['cat'])
    expect(planImport(files('a.png', 'b.png'), 'zip').labels).toEqual(['unlabelled'])
    expect(planImport(files('x\\cat\\a.png', 'x\\dog\\b.png'), 'zip').labels).toEqual([
      'cat',
      'dog',
    ])
  })

  it('finds no images in a folder without any', () => {
    const plan = planImport(files('docs/readme.md'), 'picked')
    expect(plan.images).toEqual([])
    expect(plan.labels).toEqual([])
  })

  it('tells image candidates apart by name and size', () => {
    expect(isImageCandidate({ path: 'a/b.PNG', size: 5 })).toBe(true)
    expect(isImageCandidate({ path: 'a/.b.png', size: 5 })).toBe(false)
    expect(isImageCandidate({ path: 'a/b.tiff', size: 5 })).toBe(false)
  })
})
