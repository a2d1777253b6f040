import type { Page } from '@playwright/test'

/** What one step driven straight through the worker gave. */
export interface WorkerStepResult {
  opened: boolean
  diagnostics: string[]
  step?: { ok: boolean; message?: string; step?: number; losses?: Record<string, number> }
}

/**
 * One training step of `document` in a fresh instance of the app's own training worker (the
 * built `trainingWorker-*.js` the page already loaded), driven with comlink's wire protocol
 * from the page: `start('cpu')`, `open(document, {}, events)`, `step()`. For tests that must
 * train before the run UI drives the worker; the worker loads the graph's resources itself, so
 * imported datasets come from the page's IndexedDB exactly as in a run from the toolbar.
 */
export async function stepInWorker(page: Page, document: unknown): Promise<WorkerStepResult> {
  return page.evaluate(async (graph) => {
    const url = performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .find((name) => /\/trainingWorker-[^/]*\.js$/.test(name))
    if (url === undefined) throw new Error('the page has not loaded the training worker')
    const worker = new Worker(url, { type: 'module', name: 'test-training' })
    let next = 0
    const call = (path: string, argumentList: unknown[], transfer: Transferable[] = []) =>
      new Promise<unknown>((resolve, reject) => {
        const id = `test-${++next}`
        const listener = (
          event: MessageEvent<{ id?: string; type: string; name?: string; value: unknown }>,
        ) => {
          if (event.data.id !== id) return
          worker.removeEventListener('message', listener)
          if (event.data.type === 'HANDLER' && event.data.name === 'throw') {
            const thrown = event.data.value as { value?: { message?: string } }
            reject(new Error(thrown.value?.message ?? 'the worker threw'))
          } else resolve(event.data.value)
        }
        worker.addEventListener('message', listener)
        worker.postMessage({ id, type: 'APPLY', path: [path], argumentList }, transfer)
      })
    try {
      await call('start', [{ type: 'RAW', value: 'cpu' }])
      // The event callback is a comlink proxy: a port whose calls nobody answers (the worker
      // sends events without waiting for replies).
      const { port1, port2 } = new MessageChannel()
      port1.start()
      const opened = (await call(
        'open',
        [
          { type: 'RAW', value: graph },
          { type: 'RAW', value: {} },
          { type: 'HANDLER', name: 'proxy', value: port2 },
        ],
        [port2],
      )) as { ok: boolean; diagnostics: { message: string }[] }
      const diagnostics = opened.diagnostics.map((diagnostic) => diagnostic.message)
      if (!opened.ok) return { opened: false, diagnostics }
      const step = (await call('step', [])) as {
        ok: boolean
        message?: string
        point?: { step: number; losses: Record<string, number> }
      }
      return {
        opened: true,
        diagnostics,
        step: {
          ok: step.ok,
          message: step.message,
          step: step.point?.step,
          losses: step.point?.losses,
        },
      }
    } finally {
      worker.terminate()
    }
  }, document)
}
