import type { GraphDocument } from '../graph-core/document'
import { graph } from '../graph-core/testing/graphBuilder'

/**
 * A graph of `size` nodes shaped like a big user graph: a noise source, a long trunk of dense
 * layers with side branches, weighted sums of MSE losses, and one optimizer.
 */
export function largeGraph(size = 300): GraphDocument {
  const g = graph(`large ${size}`).node('noise', 'data.noise', { dim: 16, batchSize: 8 })
  let previous = 'noise.z'
  let count = 1
  let branch = 0
  const losses: string[] = []
  // Node count: the source, denses and losses (count), one weighted sum per loss after the
  // first, and the optimizer.
  const total = () => count + Math.max(0, losses.length - 1) + 1
  while (total() < size) {
    const id = `dense${count}`
    g.node(id, 'model.dense', { units: 16, activation: 'relu' }).edge(previous, `${id}.x`)
    previous = `${id}.y`
    count++
    if (count % 10 === 0 && total() + 2 <= size) {
      const loss = `mse${branch++}`
      g.node(loss, 'loss.mse')
        .edge(previous, `${loss}.prediction`)
        .edge('noise.z', `${loss}.target`)
      losses.push(loss)
      count++
    }
  }
  // Chain the losses through weighted sums (two inputs each) into one optimizer.
  let sumOfLosses = losses[0] ?? ''
  for (const [index, loss] of losses.slice(1).entries()) {
    const sum = `sum${index}`
    g.node(sum, 'op.weightedSum')
      .edge(`${sumOfLosses}.loss`, `${sum}.a`)
      .edge(`${loss}.loss`, `${sum}.b`)
    sumOfLosses = sum
  }
  return g.node('opt', 'optim.adam').edge(`${sumOfLosses}.loss`, 'opt.loss').build()
}
