// Config: the file and the flags, merged and validated into one ResolvedConfig.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { configCacheDir, CONFIG_FILES, REPORTERS, defineConfig, loadConfig, type ContainerTarget, type ReporterName, type ResolvedConfig, type RunFlags, type UserConfig } from './config.js';
export { type ImageBuild } from './image-tag.js';
export { RUN_FLAGS, type Flag } from './flags.js';
export { type OwnTrust, INSECURE_SERVER_WARNING, ROTATION_NEEDS_HARNESS_CA, unavailableCapabilities } from './own-trust.js';
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
} from './user-config.js';
