import type { Plan } from './plan.js';

/** The plan with every scenario sent `times` times: the copies run among the negatives, under ids
 * of their own (`mtls.expired.repeat-2`), so each is judged and reported like any scenario. A
 * measuring aid (`--repeat`): how the run grows with the number of scenarios. Pure. */
export function repeatPlan(plan: Plan, times: number): Plan {
  if (times <= 1) return plan;
  const copies = plan.run.flatMap((scenario) =>
    Array.from({ length: times - 1 }, (_, i) => ({ ...scenario, id: `${scenario.id}.repeat-${i + 2}`, control: false })),
  );
  return { ...plan, run: [...plan.run, ...copies] };
}
