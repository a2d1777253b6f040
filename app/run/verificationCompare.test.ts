import { describe, expect, it } from 'vitest'
import type { VerificationViewData } from '../../nodes/view/verificationView'
import type { RunRecord } from '../storage/labDatabase'
import { verificationCompareRows, verificationMetrics } from './verificationCompare'

const data: VerificationViewData = {
  kind: 'verification',
  rowCount: 40,
  identityCount: 8,
  nonFiniteCount: 0,
  roc: { far: [0, 1], tar: [0, 1] },
  auc: 0.9,
  tarAtFar: [
    { targetFar: 0.1, tar: 0.75, far: 0.1, threshold: 0.4, isResolved: true },
    { targetFar: 0.01, tar: 0.5, far: 0, threshold: 0.8, isResolved: false },
  ],
  bestAccuracy: { accuracy: 0.85, threshold: 0.5 },
  identification: { accuracy: 0.6, correct: 3, probeCount: 5, galleryCount: 8 },
  fewShot: { accuracy: null, correct: 0, episodeCount: 0, verificationAuc: null },
  pairs: { genuine: 10, impostor: 770, genuineTotal: 10, impostorTotal: 770, isSampled: false },
}

const run = (id: string, finalMetrics: Record<string, number>): RunRecord => ({
  id,
  graphId: 'g',
  createdAt: 0,
  backend: 'wasm',
  graphJson: '{}',
  params: {},
  status: 'finished',
  finalMetrics,
})

describe('verificationMetrics', () => {
  it('keeps the measured numbers under the node id, unresolved TAR and missing few-shot left out', () => {
    expect(verificationMetrics('roc', data)).toEqual({
      'verification/roc.auc': 0.9,
      'verification/roc.tarAtFar1e-1': 0.75,
      'verification/roc.bestAccuracy': 0.85,
      'verification/roc.top1': 0.6,
    })
  })
})

describe('verificationCompareRows', () => {
  it('lists the metrics in a fixed order with the best value', () => {
    const rows = verificationCompareRows([
      run('softmax', { 'loss/opt': 1, 'verification/roc.auc': 0.8, 'verification/roc.top1': 0.5 }),
      run('arcface', { 'verification/roc.top1': 0.7, 'verification/roc.auc': 0.95 }),
      run('plain', { 'loss/opt': 0.5 }),
    ])
    expect(rows).toEqual([
      { key: 'verification/roc.auc', label: 'AUC', values: [0.8, 0.95, undefined], best: 0.95 },
      {
        key: 'verification/roc.top1',
        label: 'Top-1 identification',
        values: [0.5, 0.7, undefined],
        best: 0.7,
      },
    ])
  })

  it('names the node when runs have several verification views, and marks nothing alone', () => {
    const rows = verificationCompareRows([
      run('a', { 'verification/roc.auc': 0.8, 'verification/roc2.auc': 0.7 }),
    ])
    expect(rows.map((row) => [row.label, row.best])).toEqual([
      ['AUC (roc)', undefined],
      ['AUC (roc2)', undefined],
    ])
  })
})
