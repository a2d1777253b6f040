import { useState } from 'react'
import { parseBackendChoice, type BackendChoice } from '../workers/backendChoice'
import { GraphCanvas } from './components/GraphCanvas'
import { Inspector } from './components/Inspector'
import { Palette } from './components/Palette'
import { RunDock } from './components/RunDock'
import { Toolbar } from './components/Toolbar'
import { statusText } from './run/statusText'
import { useTrainingWorker } from './run/useTrainingWorker'

const initialBackend = parseBackendChoice(new URLSearchParams(location.search).get('backend'))

/** The app shell: toolbar, palette | canvas | inspector, and the run dock. */
export function App() {
  const [choice, setChoice] = useState<BackendChoice>(initialBackend.choice)
  const [notice, setNotice] = useState(initialBackend.error)
  const worker = useTrainingWorker(choice)

  const changeBackend = (next: BackendChoice) => {
    setChoice(next)
    setNotice(undefined)
    const url = new URL(location.href)
    if (next === 'auto') url.searchParams.delete('backend')
    else url.searchParams.set('backend', next)
    history.replaceState(history.state, '', url)
  }

  const status = (
    <p
      role="status"
      className="truncate text-xs text-zinc-600 dark:text-zinc-400"
      title={statusText('idle', 0, worker)}
    >
      {statusText('idle', 0, worker)}
    </p>
  )

  return (
    <div className="flex h-full flex-col bg-white text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <Toolbar status={status} />
      <div className="flex min-h-0 flex-1">
        <Palette />
        <GraphCanvas />
        <Inspector />
      </div>
      <RunDock worker={worker} choice={choice} onChoiceChange={changeBackend} notice={notice} />
    </div>
  )
}
