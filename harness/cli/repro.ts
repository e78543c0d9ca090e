import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KitPaths } from '../../certs/index.js';
import { buildDelivery, PROXIED_IDENTITY, type Delivery } from '../deliver/index.js';
import type { DeliverySpec, Scenario } from '../model.js';
import { newHomeGrownId, type Profile } from '../profiles/index.js';
import { readFile } from 'node:fs/promises';
import { commandLine, curlCommand, opensslResumeCommands, type DeliveryFiles, type ReproEndpoint } from './commands.js';

export interface ReproInput {
  scenario: Scenario;
  /** Where the files go (created, private). */
  dir: string;
  endpoint: ReproEndpoint;
  /** The kit the listener trusts, whose client identities are presented. */
  kit: KitPaths;
  mtls: boolean;
  profile: Profile | null;
  /** What the harness signs with: the shared secret, or an asymmetric profile's private key. */
  signingKey: string;
  toleranceSeconds: number;
  now: Date;
}

interface Step {
  label: string;
  spec: DeliverySpec;
  webhookId: string;
}

/** Setup deliveries first, on the scenario's webhook id, then the judged one, then its variants. */
function stepsOf(scenario: Scenario): Step[] {
  const webhookId = newHomeGrownId();
  const expected = scenario.expect === 'accept' ? 'accepted' : scenario.rejection === 'not-processed' ? 'rejected, or acknowledged without being processed again' : 'rejected';
  return [
    ...(scenario.setup ?? []).map((spec, i) => ({ label: `setup ${i + 1} (expected: accepted)`, spec, webhookId })),
    { label: `the delivery (expected: ${expected})`, spec: scenario.send, webhookId },
    ...(scenario.variants ?? []).map((spec) => ({ label: `variant ${spec.variant ?? ''} (expected: ${expected})`, spec, webhookId: newHomeGrownId() })),
  ];
}

const headerLines = (headers: Record<string, string>) => Object.entries(headers).map(([name, value]) => (value === '' ? `${name};` : `${name}: ${value}`)).join('\n');

function rawRequest(delivery: Delivery, endpoint: ReproEndpoint): Buffer {
  const port = new URL(endpoint.origin).port;
  const head = [`POST ${delivery.path} HTTP/1.1`, `host: ${endpoint.servername}:${port}`, ...Object.entries(delivery.headers).map(([n, v]) => `${n}: ${v}`), `content-length: ${delivery.body.length}`, 'connection: close', '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head), delivery.body]);
}

/**
 * Writes every delivery of `scenario` (body, headers, raw request, the client certificate and key
 * it presents) into `dir` and returns the text that tells how to send them by hand: one curl
 * command per delivery, or openssl s_client where curl cannot express it (a resumed session).
 */
export async function writeRepro(input: ReproInput): Promise<string> {
  const { dir, endpoint, scenario } = input;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = Math.floor(input.now.getTime() / 1000);
  const wrongKeys = [input.profile?.generateKeys().signingKey ?? '', input.profile?.generateKeys().signingKey ?? ''] as const;
  const proxiedCertPem = await readFile(input.kit.clientCert(PROXIED_IDENTITY), 'utf8').catch(() => '');
  const lines = [`repro of ${scenario.id} (expect ${scenario.expect}): ${scenario.title}`, `files in ${dir} (private test keys inside: remove the folder when done)`];
  if (input.profile?.features.includes('timestamp')) lines.push(`signed at ${input.now.toISOString()}: after ${input.toleranceSeconds} s the signatures are stale; run repro again for fresh ones`);
  const steps = stepsOf(scenario);
  for (const [i, step] of steps.entries()) {
    const delivery = buildDelivery(step.spec, { profile: input.profile, signingKey: input.signingKey, wrongKeys, toleranceSeconds: input.toleranceSeconds, path: endpoint.path, now, webhookId: step.webhookId, proxiedCertPem });
    const n = i + 1;
    const files: DeliveryFiles = { body: join(dir, `${n}-body`), headers: join(dir, `${n}-headers`), request: join(dir, `${n}-request.http`) };
    await Promise.all([writeFile(files.body, delivery.body), writeFile(files.headers, `${headerLines(delivery.headers)}\n`), writeFile(files.request, rawRequest(delivery, endpoint))]);
    if (input.mtls && delivery.identity) {
      files.cert = join(dir, `${n}-client.pem`);
      files.key = join(dir, `${n}-client-key.pem`);
      await copyFile(input.kit.clientCert(delivery.identity), files.cert);
      await copyFile(input.kit.clientKey(delivery.identity), files.key);
    }
    const connection = delivery.connection ?? {};
    const commands = connection.session === 'resumed' ? opensslResumeCommands(endpoint, files, join(dir, `${n}-session.pem`)) : [commandLine(curlCommand(endpoint, files, connection, input.mtls ? delivery.identity : null))];
    lines.push('', `${steps.length > 1 ? `${n}. ` : ''}${step.label}${input.mtls ? `, client certificate: ${delivery.identity ?? 'none'}` : ''}:`, ...commands.map((c) => `  ${c}`));
  }
  lines.push('', 'curl prints the HTTP status: 2xx is accepted; 000 with a curl error is a connection the listener refused or closed.');
  return `${lines.join('\n')}\n`;
}
