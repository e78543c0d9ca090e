// The package's public entry: what a `wh-conformance.config.ts` imports. Its types name Node's
// (Buffer in a profile's signing input), which a config's type check then needs.
/// <reference types="node" preserve="true" />
export { defineConfig, type UserConfig } from './config/index.js';
export type { Capability, Layer, Outcome, RunResult, ScenarioInfo, ScenarioResult, VerdictKind } from './model.js';
export type {
  CapabilityName,
  CommandTargetConfig,
  DockerfileTargetConfig,
  GenericHmacConfig,
  ImageTargetConfig,
  ProfileName,
  ReporterChoice,
  TargetConfig,
  UrlTargetConfig,
} from './config/index.js';
