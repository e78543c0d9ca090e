// The package's public entry: what a `wh-conformance.config.ts` imports.
export { defineConfig, type UserConfig } from './config/index.js';
export type { Capability, Layer, Outcome, RunResult, ScenarioInfo, ScenarioResult, VerdictKind } from './model.js';
