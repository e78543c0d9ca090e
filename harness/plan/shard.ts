import type { Layer, Scenario, ShardInfo } from '../model.js';
import type { Plan } from './plan.js';

/** One scenario of one plan, in the order the unsharded run sends them. */
interface Slot {
  plan: number;
  scenario: Scenario;
}

const inPlan = (plan: Plan): Scenario[] => [...plan.run, ...plan.skipped.map((s) => s.scenario)];

/** The plans cut down to one shard. The negatives of all plans, in order, are cut into `count`
 * contiguous runs of near-equal length (contiguous, so a shard mostly holds one layer and starts
 * few controls); shard `index` keeps its run. A layer's control goes to every shard that holds
 * negatives of that layer in that plan, because a rejection proves nothing without it; a control
 * whose layer has no negatives goes to the first shard. Merging the shards' reports gives each
 * scenario once. Pure and deterministic: the same plans and shard give the same slice. */
export function shardPlans<T extends { plan: Plan }>(items: readonly T[], shard: ShardInfo | undefined): T[] {
  if (!shard || shard.count === 1) return [...items];
  const negatives: Slot[] = items.flatMap((item, plan) => inPlan(item.plan).filter((s) => !s.control).map((scenario) => ({ plan, scenario })));
  const from = Math.floor(((shard.index - 1) * negatives.length) / shard.count);
  const to = Math.floor((shard.index * negatives.length) / shard.count);
  const mine = negatives.slice(from, to);
  const layerHasNegatives = (plan: number, layer: Layer) => negatives.some((n) => n.plan === plan && n.scenario.layer === layer);
  const keep = (plan: number, scenario: Scenario): boolean => {
    if (!scenario.control) return mine.some((n) => n.plan === plan && n.scenario === scenario);
    if (!layerHasNegatives(plan, scenario.layer)) return shard.index === 1;
    return mine.some((n) => n.plan === plan && n.scenario.layer === scenario.layer);
  };
  return items.map((item, plan) => ({
    ...item,
    plan: {
      ...item.plan,
      run: item.plan.run.filter((s) => keep(plan, s)),
      skipped: item.plan.skipped.filter((s) => keep(plan, s.scenario)),
    },
  }));
}
