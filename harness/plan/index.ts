// Plan: which scenarios run, per profile pass, shard, repetition and drill.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { drillSourcePlan, planDrills, type DrillPhase } from './drill-plan.js';
export { currentIdGlobs, formerIds, renamedNotice, withCurrentIds } from './former-ids.js';
export { planPhases, type Phase } from './phases.js';
export { makePlan, type Plan } from './plan.js';
export { repeatPlan } from './repeat.js';
export { shardPlans } from './shard.js';
