import type { TrainingRun } from '../run/useTrainingRun'
import { MenuButton } from './MenuButton'

/**
 * "Step only…": one optimizer's phase alone, e.g. the discriminator, as GAN Lab does. Offered
 * for graphs with several optimizers; the step count does not move.
 */
export function StepOnlyMenu({ run }: { run: TrainingRun }) {
  return (
    <MenuButton
      label="Step only…"
      isDisabled={!run.controls.canStepOne}
      emptyText="Needs a graph with two or more optimizers"
      items={() => {
        const optimizers = run.optimizers()
        // One optimizer alone is just Step without counting the step: nothing to choose.
        if (optimizers.length < 2) return []
        return optimizers.map((optimizer) => ({
          id: optimizer.id,
          label: optimizer.label,
          onSelect: () => {
            run.stepOnly(optimizer.id)
          },
        }))
      }}
    />
  )
}
