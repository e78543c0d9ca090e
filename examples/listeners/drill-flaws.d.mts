// Types for drill-flaws.mjs, so TypeScript tests can import it under strict settings.
import type { ServerOptions } from 'node:https';
import type { Env, ListenerOverrides } from './secure.mjs';

export type DrillFlaw = 'first-ca-only' | 'keeps-retired-roots' | 'throws-on-large-body' | 'fails-open-under-load' | 'lockout-after-rejections' | 'no-header-timeout';

export const DRILL_FLAWS: readonly DrillFlaw[];
export const SHED_LOAD_CONNECTIONS: number;
export const LOCKOUT_AFTER: number;
export function drillFlawOverrides(flaws: ReadonlySet<string>, overrides: ListenerOverrides, secureTlsOptions: (env: Env) => ServerOptions): ListenerOverrides;
