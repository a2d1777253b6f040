import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serializeDocument } from '../graph-core/document'
import { graph } from '../graph-core/testing/graphBuilder'
import { runCli } from './run'

const folder = mkdtempSync(join(tmpdir(), 'latent-lab-cli-'))
const write = (name: string, content: unknown) => {
  const path = join(folder, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

async function cli(...argv: string[]) {
  const out: string[] = []
  let err = ''
  const code = await runCli(argv, {
    out: (line) => out.push(line),
    err: (text) => (err += text),
    isTTY: false,
  })
  return { code, out, err }
}

/** noise → dense → mse(dense, noise) → adam: learns the identity. */
const identity = graph('identity', 3)
  .node('noise', 'data.noise', { dim: 4, batchSize: 16 })
  .node('dense', 'model.dense', { units: 4 })
  .node('mse', 'loss.mse')
  .node('opt', 'optim.adam', { learningRate: 0.05 })
  .edge('noise.z', 'dense.x')
  .edge('dense.y', 'mse.prediction')
  .edge('noise.z', 'mse.target')
  .edge('mse.loss', 'opt.loss')
  .build()

describe('cli validate', () => {
  it('says a good graph is valid', async () => {
    const result = await cli('validate', write('good.json', serializeDocument(identity)))
    expect(result).toMatchObject({ code: 0, out: [expect.stringMatching(/good\.json: valid$/)] })
  })

  it('prints diagnostics with node, port and shapes and exits 1', async () => {
    const broken = structuredClone(identity)
    const dense = broken.nodes.find((node) => node.id === 'dense')
    if (dense !== undefined) dense.params = { units: 5 }
    const result = await cli('validate', write('bad.json', broken))
    expect(result.code).toBe(1)
    expect(result.out[0]).toMatch(
      /^error SHAPE_MISMATCH mse\.prediction: .*\(expected \[4\], got \[5\]\)$/,
    )
    expect(result.out.at(-1)).toMatch(/1 error\(s\)$/)
  })

  it('refuses a file that is not a graph', async () => {
    const result = await cli('validate', write('junk.json', '{"format": "x"}'))
    expect(result.code).toBe(1)
    expect(result.out[0]).toMatch(/^error NOT_A_GRAPH/)
  })
})

describe('cli train', () => {
  it('trains with plain progress lines and a JSON summary', async () => {
    const out = join(folder, 'summary.json')
    const result = await cli('train', write('train.json', identity), '--steps', '40', '--json', out)
    expect(result.code).toBe(0)
    expect(
      result.out.filter((line) => /^\d+\/40 .* steps\/s .* opt /.test(line)).length,
    ).toBeGreaterThan(5)
    const summary = JSON.parse(result.out.at(-1) ?? '{}') as {
      lossCurves: { opt: number[] }
      backend: string
      steps: number
    }
    expect(summary).toMatchObject({ backend: 'cpu', steps: 40 })
    expect(summary.lossCurves.opt.at(-1)).toBeLessThan(summary.lossCurves.opt[0] ?? 0)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(summary)
  })

  it('adds every view, evaluated on held-out data, to the summary', async () => {
    const withView = structuredClone(identity)
    withView.nodes.push({
      id: 'samples',
      type: 'view.samples',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: { samples: 8 },
    })
    withView.edges.push({
      id: 'ev',
      from: { node: 'dense', port: 'y' },
      to: { node: 'samples', port: 'images' },
    })
    const result = await cli('train', write('views.json', withView), '--steps', '2')
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.out.at(-1) ?? '{}') as {
      views: Record<string, { kind: string }>
    }
    expect(summary.views.samples?.kind).toBe('vectors')
  })

  it('trains on the WASM backend too', async () => {
    const result = await cli(
      'train',
      write('wasm.json', identity),
      '--steps',
      '20',
      '--backend',
      'wasm',
    )
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.out.at(-1) ?? '{}') as {
      backend: string
      lossCurves: { opt: number[] }
    }
    expect(summary.backend).toBe('wasm')
    expect(summary.lossCurves.opt.at(-1)).toBeLessThan(summary.lossCurves.opt[0] ?? 0)
  })

  it('trains a preset with its explainer’s backend and prints its quality before the summary', async () => {
    const result = await cli('train', 'gan-2d', '--steps', '2')
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.out.at(-1) ?? '{}') as {
      backend: string
      steps: number
      quality: { metrics: Record<string, number>; verdicts: { isMet?: boolean }[] }
    }
    expect(summary).toMatchObject({ backend: 'wasm', steps: 2 })
    expect(summary.quality.verdicts).toHaveLength(2)
    expect(Object.keys(summary.quality.metrics).sort()).toEqual([
      'highQualityFraction',
      'modesCovered',
    ])
    expect(result.out).toContainEqual(
      expect.stringMatching(/^quality after 2 steps \(\d+ s of training\):$/),
    )
    expect(result.out).toContainEqual(
      expect.stringMatching(/^ {2}modes covered \(of 8\) \d \(target ≥ 7\): (met|NOT met)$/),
    )
  })

  it('evaluates a preset at each checkpoint as well as at the end', async () => {
    const result = await cli('train', 'gan-2d', '--steps', '3', '--checkpoints', '1,2')
    expect(result.code).toBe(0)
    const headings = result.out.filter((line) => line.startsWith('quality after'))
    expect(headings.map((line) => line.split(' (')[0])).toEqual([
      'quality after 1 steps',
      'quality after 2 steps',
      'quality after 3 steps',
    ])
    const summary = JSON.parse(result.out.at(-1) ?? '{}') as {
      checkpoints: { step: number; quality: { metrics: Record<string, number> } }[]
    }
    expect(summary.checkpoints.map((checkpoint) => checkpoint.step)).toEqual([1, 2])
    for (const { quality } of summary.checkpoints)
      expect(quality.metrics.modesCovered).toBeGreaterThanOrEqual(0)
  })

  it('refuses checkpoints without a preset evaluation or past the last step', async () => {
    const plain = await cli('train', write('plain.json', identity), '--checkpoints', '2')
    expect(plain.code).toBe(2)
    expect(plain.err).toMatch(/needs a preset evaluation/)
    const late = await cli('train', 'gan-2d', '--steps', '3', '--checkpoints', '1,3')
    expect(late.code).toBe(2)
    expect(late.err).toMatch(/before the last step \(3\), got 3/)
  })

  it('gives the same curve for the same seed', async () => {
    const path = write('seeded.json', identity)
    const runs = await Promise.all(
      [1, 2].map(() => cli('train', path, '--steps', '5', '--seed', '9')),
    )
    const curves = runs.map(
      (run) => (JSON.parse(run.out.at(-1) ?? '{}') as { lossCurves: unknown }).lossCurves,
    )
    expect(curves[1]).toEqual(curves[0])
  })

  it('explains bad arguments with exit code 2', async () => {
    const missing = await cli('train', 'no-such-preset')
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/neither a preset id nor a file/)
    expect(await cli('train', write('x.json', identity), '--backend', 'tpu')).toMatchObject({
      code: 2,
    })
    const unknown = await cli('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/unknown command "frobnicate"/)
  })
})

describe('cli node', () => {
  it('runs one node with given weights and prints outputs and gradients', async () => {
    const inputs = write('in.json', {
      x: [
        [1, 2],
        [-1, 0],
      ],
    })
    const weights = write('w.json', {
      kernel: [
        [1, -1],
        [0.5, 2],
      ],
      bias: [0, -1],
    })
    const result = await cli(
      'node',
      'model.dense',
      '--params',
      '{"units": 2, "activation": "relu"}',
      '--inputs',
      inputs,
      '--weights',
      weights,
      '--grad',
      'x,kernel',
    )
    expect(result.code).toBe(0)
    // relu([1,2]·W + b) = [2, 2]; relu([-1,0]·W + b) = [0, 0]; ∂Σy/∂x₁ = W·[1,1] = [0, 2.5]
    expect(JSON.parse(result.out[0] ?? '{}')).toEqual({
      outputs: {
        y: {
          shape: [2, 2],
          data: [
            [2, 2],
            [0, 0],
          ],
        },
      },
      grads: {
        x: {
          shape: [2, 2],
          data: [
            [0, 2.5],
            [0, 0],
          ],
        },
        kernel: {
          shape: [2, 2],
          data: [
            [1, 1],
            [2, 2],
          ],
        },
      },
    })
  })

  it('names the port and the expected shape when an input is wrong', async () => {
    const result = await cli(
      'node',
      'model.dense',
      '--inputs',
      write('img.json', { x: [[[1, 2]]] }),
    )
    expect(result.code).toBe(2)
    expect(result.err).toMatch(/input x: .*expected \[n\], got \[1, 2\]/)
  })

  it('takes labels as integers', async () => {
    const inputs = write('ce.json', {
      logits: [
        [2, 0],
        [0, 0],
      ],
      labels: [0, 1],
    })
    const result = await cli('node', 'loss.softmaxCE', '--inputs', inputs)
    const parsed = JSON.parse(result.out[0] ?? '{}') as { outputs: { loss: { data: number } } }
    expect(parsed.outputs.loss.data).toBeCloseTo((Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2, 5)
  })
})

describe('cli dataset', () => {
  it('samples both splits and reports counts and speed', async () => {
    const result = await cli(
      'dataset',
      'data.noise',
      '--params',
      '{"batchSize": 8, "dim": 3}',
      '--batches',
      '3',
      '--json',
    )
    expect(result.code).toBe(0)
    expect(result.out[0]).toMatch(
      /^train: 24 samples in 3 batches, 0 distinct labels, \d+ samples\/s$/,
    )
    const report = JSON.parse(result.out.at(-1) ?? '{}') as { heldOut: { samples: number } }
    expect(report.heldOut.samples).toBe(24)
  })

  it('says when there is nothing to draw or the type is not a dataset', async () => {
    const noImages = await cli('dataset', 'data.noise', '--grid', join(folder, 'x.png'))
    expect(noImages.code).toBe(2)
    expect(noImages.err).toMatch(/no image output/)
    const notData = await cli('dataset', 'model.dense')
    expect(notData.code).toBe(2)
    expect(notData.err).toMatch(/needs a data source type; known: .*data\.noise/)
    expect(notData.err).not.toMatch(/data\.corrupt/)
  })
})
