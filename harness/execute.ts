import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { kitPaths } from '../certs/index.js';
import { classify } from './classify.js';
import { deliver, type ClientCredentials, type Endpoint } from './deliver.js';
import { buildDelivery } from './delivery.js';
import { judge } from './judge.js';
import type { RunPosition, Scenario, ScenarioRecord } from './model.js';
import { findProfile } from './profiles/index.js';

/** What the harness hands the suites (through vitest's `provide`): plain data. */
export interface SuiteContext {
  scenarios: Scenario[];
  kitDir: string;
  origin: string;
  servername: string;
  path: string;
  mtls: boolean;
  /** null: the listener checks no signature. */
  profile: string | null;
  secret: string;
  toleranceSeconds: number;
  timeoutMs: number;
}

/** Reads the kit once per worker and hands out credentials by identity name. */
export class KitReader {
  private readonly cache = new Map<string, Promise<string>>();
  constructor(private readonly dir: string) {}

  private read(file: string): Promise<string> {
    let text = this.cache.get(file);
    if (!text) {
      text = readFile(file, 'utf8');
      this.cache.set(file, text);
    }
    return text;
  }

  serverCa(): Promise<string> {
    return this.read(kitPaths(this.dir).serverCa);
  }

  async credentials(identity: string | null): Promise<ClientCredentials> {
    if (identity === null) return {};
    const paths = kitPaths(this.dir);
    const [cert, key] = await Promise.all([this.read(paths.clientCert(identity)), this.read(paths.clientKey(identity))]);
    return { cert, key };
  }
}

/** Builds, sends, classifies and judges one scenario. */
export async function executeScenario(scenario: Scenario, ctx: SuiteContext, kit: KitReader, position: RunPosition): Promise<ScenarioRecord> {
  const profile = ctx.profile ? findProfile(ctx.profile) : undefined;
  if (ctx.profile && !profile) throw new Error(`unknown profile "${ctx.profile}"`);
  const webhookId = `msg_${randomUUID().replaceAll('-', '')}`;
  const delivery = buildDelivery(scenario.send, {
    profile: profile ?? null,
    secret: ctx.secret,
    wrongSecret: profile?.generateSecret() ?? '',
    toleranceSeconds: ctx.toleranceSeconds,
    path: ctx.path,
    now: Math.floor(Date.now() / 1000),
    webhookId,
  });
  const endpoint: Endpoint = {
    origin: ctx.origin,
    servername: ctx.servername,
    serverCa: ctx.origin.startsWith('https:') ? await kit.serverCa() : undefined,
    timeoutMs: ctx.timeoutMs,
  };
  const credentials = ctx.mtls ? await kit.credentials(delivery.identity) : {};
  const outcome = classify(await deliver(endpoint, credentials, delivery));
  return { id: scenario.id, position, outcome, webhookId, ...judge(scenario, outcome) };
}
