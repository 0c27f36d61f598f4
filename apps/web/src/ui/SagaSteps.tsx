import type { OrderStatusBody } from '../api/types.ts';
import { formatTime } from './format.ts';
import { COMPENSATION_STEPS, FORWARD_STEPS, isCanceling, type SagaStep, whenHappened } from './saga.ts';

function Steps({ title, steps, view }: { title: string; steps: readonly SagaStep[]; view: OrderStatusBody }) {
  return (
    <section class="steps" aria-label={title}>
      <h3>{title}</h3>
      <ol>
        {steps.map((step) => {
          const at = whenHappened(view.timeline, step.eventType);
          return (
            <li key={step.eventType} class={at ? 'step step-done' : 'step step-waiting'}>
              <span class="step-mark" aria-hidden="true">
                {at ? '✓' : '…'}
              </span>
              <span class="step-label">{step.label}</span>
              <span class="step-when">{at ? `done at ${formatTime(at)}` : 'waiting'}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** How far the order has come, step by step; once it is canceled, how far the undoing has come. */
export function SagaSteps({ view }: { view: OrderStatusBody }) {
  return (
    <div class="saga">
      <Steps title="Saga" steps={FORWARD_STEPS} view={view} />
      {isCanceling(view.status) ? <Steps title="Compensation" steps={COMPENSATION_STEPS} view={view} /> : null}
    </div>
  );
}
