import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/model.js';
import { makePlan } from '../../harness/plan/plan.js';
import { PROFILE_NAMES } from '../../harness/profiles/index.js';
import { CATALOG } from '../../suites/catalog/index.js';
import { FLAWED, leftovers, readReport, runCli, SECURE } from './cli.js';

// Signature profiles end to end: the reference listeners over real TLS, one harness run per case.

const out = mkdtempSync(join(tmpdir(), 'whc-signatures-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const SIGNATURES = ['--include', 'sig.*', '--include', 'cross.*'];
const STATEFUL = ['--capabilities', 'replay-protection,events-file'];
const SIG_IDS = CATALOG.filter((s) => s.layer === 'sig').map((s) => s.id);

/** Verdicts other than pass and skip, as `profile:id=verdict`. */
function problems(report: RunResult): string[] {
  return report.scenarios.filter((s) => s.verdict !== 'pass' && s.verdict !== 'skip').map((s) => `${s.profile}:${s.id}=${s.verdict}`);
}

async function run(name: string, args: string[], env: Record<string, string> = {}) {
  const dir = join(out, name);
  const result = await runCli(['run', ...args, '--reporter', 'json', '--out', dir], { env, deadlineMs: 120_000 });
  return { ...result, report: readReport(dir), left: leftovers(result) };
}

describe('the secure listener, every profile in one run', () => {
  it('passes every scenario each profile can express and skips the others, saying why', async () => {
    const { code, report, stdout, left } = await run('all-profiles', ['--command', `node ${SECURE}`, '--profile', PROFILE_NAMES.join(','), ...STATEFUL, ...SIGNATURES]);
    expect(problems(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.profiles).toEqual(PROFILE_NAMES);
    expect(report.profile).toBe('standard-webhooks');
    for (const profile of PROFILE_NAMES) {
      const plan = makePlan(CATALOG, { mtls: true, profile, capabilities: ['replay-protection', 'events-file'], include: ['sig.*', 'cross.*'], exclude: [] });
      const results = report.scenarios.filter((s) => s.profile === profile);
      expect(results.map((s) => s.id).sort(), profile).toEqual(SIG_IDS.sort());
      expect(results.filter((s) => s.verdict === 'pass').map((s) => s.id).sort(), profile).toEqual(plan.run.map((s) => s.id).sort());
      for (const s of results.filter((r) => r.verdict === 'skip')) expect(s.reason, `${profile} ${s.id}`).toMatch(new RegExp(`^not applicable: ${profile} `));
      expect(stdout).toContain(`Signatures (${profile})`);
    }
    // The replay was acknowledged and the events file proved it was processed once.
    const replays = report.scenarios.filter((s) => s.id === 'sig.replayed-delivery');
    expect(replays).toHaveLength(PROFILE_NAMES.length);
    for (const r of replays) expect(r.reason).toBe('acknowledged the replay (HTTP 204) without processing it again');
    expect(left).toEqual([]);
  });

  it('a generic-hmac scheme from the config file: timestamp, id, prefix, SHA-512, base64', async () => {
    const dir = mkdtempSync(join(out, 'generic-'));
    const config = join(dir, 'wh-conformance.config.json');
    const genericHmac = { header: 'X-Acme-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=', template: '{id}:{timestamp}:{body}', timestampHeader: 'X-Acme-Timestamp', idHeader: 'X-Acme-Id' };
    writeFileSync(config, JSON.stringify({ target: { command: `node ${SECURE}` }, profile: 'generic-hmac', genericHmac, capabilities: ['replay-protection', 'events-file'] }));
    const { code, report } = await run('generic', ['--config', config, ...SIGNATURES]);
    expect(problems(report)).toEqual([]);
    expect(code).toBe(0);
    const verdicts = Object.fromEntries(report.scenarios.map((s) => [s.id, s.verdict]));
    expect(verdicts).toMatchObject({ 'sig.stale-timestamp': 'pass', 'sig.missing-id': 'pass', 'sig.wrong-scheme-label': 'pass', 'sig.timestamp-swap': 'pass', 'sig.multiple-signatures-one-valid': 'skip' });
  });

  it('without events-file, an acknowledged replay is a warning that asks for the capability', async () => {
    const { code, report } = await run('replay-no-events', ['--command', `node ${SECURE}`, '--capabilities', 'replay-protection', '--include', 'sig.replayed-delivery']);
    expect(code).toBe(0);
    const replay = report.scenarios.find((s) => s.id === 'sig.replayed-delivery');
    expect(replay).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/declare the events-file capability/) });
  });
});

/** Which scenarios each signature flaw of the flawed listener fails with standard-webhooks: exactly these. */
const FLAW_BREAKS: Record<string, string[]> = {
  'no-signature-check': [
    'sig.missing-signature',
    'sig.wrong-secret',
    'sig.empty-secret',
    'sig.tampered-body',
    'sig.truncated-signature',
    'sig.malformed-signature',
    'sig.wrong-scheme-label',
    'sig.multiple-signatures-none-valid',
    'sig.timestamp-swap',
  ],
  'no-timestamp-check': ['sig.stale-timestamp', 'sig.future-timestamp'],
  'future-timestamps-ok': ['sig.future-timestamp'],
  '500-on-bad-signature': [
    'sig.wrong-secret',
    'sig.empty-secret',
    'sig.tampered-body',
    'sig.truncated-signature',
    'sig.malformed-signature',
    'sig.wrong-scheme-label',
    'sig.multiple-signatures-none-valid',
    'sig.timestamp-swap',
  ],
  'missing-headers-ok': ['sig.missing-timestamp', 'sig.missing-id'],
  'empty-secret-fallback': ['sig.empty-secret'],
  'length-truncating-compare': ['sig.truncated-signature', 'sig.malformed-signature'],
  'unchecked-length-compare': ['sig.truncated-signature', 'sig.malformed-signature'],
  'any-scheme-label': ['sig.wrong-scheme-label'],
  'first-signature-only': ['sig.multiple-signatures-one-valid'],
  'nan-timestamp-ok': ['sig.timestamp-not-numeric'],
  'reserialized-body': ['sig.raw-body-fidelity'],
  'no-replay-store': ['sig.replayed-delivery'],
  'dedupe-before-verify': ['sig.timestamp-swap'],
  'processes-then-rejects': [
    'sig.missing-signature',
    'sig.missing-timestamp',
    'sig.wrong-secret',
    'sig.empty-secret',
    'sig.tampered-body',
    'sig.truncated-signature',
    'sig.malformed-signature',
    'sig.wrong-scheme-label',
    'sig.multiple-signatures-none-valid',
    'sig.stale-timestamp',
    'sig.future-timestamp',
    'sig.timestamp-not-numeric',
    'sig.timestamp-swap',
    'sig.replayed-delivery',
  ],
  'accept-any-cert': ['cross.bad-cert-good-signature'],
};

/** One run of the flawed listener with `flaw`, shared by the tests that read it. */
const flawRuns = new Map<string, ReturnType<typeof run>>();
function flawRun(flaw: string): ReturnType<typeof run> {
  let started = flawRuns.get(flaw);
  if (!started) {
    started = run(`flaw-${flaw}`, ['--command', `node ${FLAWED}`, ...STATEFUL, ...SIGNATURES], { WHC_FLAWS: flaw });
    flawRuns.set(flaw, started);
  }
  return started;
}

// Independent runs, each with its own listener: side by side.
describe.concurrent('each flaw of the flawed listener fails exactly the signature scenarios it breaks', () => {
  for (const [flaw, broken] of Object.entries(FLAW_BREAKS)) {
    it(flaw, async () => {
      const { code, report, stdout, left } = await flawRun(flaw);
      expect(problems(report)).toEqual(broken.map((id) => `standard-webhooks:${id}=fail`));
      expect(code).toBe(1);
      for (const id of broken) expect(stdout).toMatch(new RegExp(`^  ${id.replace('.', '\\.')} .* fail\\b`, 'm'));
      expect(left).toEqual([]);
    });
  }

  it('every negative signature scenario is failed by at least one flaw', () => {
    const caught = new Set(Object.values(FLAW_BREAKS).flat());
    const negatives = CATALOG.filter((s) => s.layer === 'sig' && !s.control && s.expect === 'reject').map((s) => s.id);
    expect(negatives.filter((id) => !caught.has(id))).toEqual([]);
  });

  it('processes-then-rejects is reported as a breach: answered 4xx but processed the event', async () => {
    const { report } = await flawRun('processes-then-rejects');
    expect(report.scenarios.find((s) => s.id === 'sig.wrong-secret')?.reason).toBe('answered HTTP 401 but processed the event: a rejection must come before any side effect');
  });
});

describe.concurrent('flaws are caught with other providers\' schemes too', () => {
  it.each([
    ['first-signature-only', 'stripe,pagerduty', ['stripe:sig.multiple-signatures-one-valid=fail', 'pagerduty:sig.multiple-signatures-one-valid=fail']],
    ['no-timestamp-check', 'slack,discord', ['slack:sig.stale-timestamp=fail', 'slack:sig.future-timestamp=fail', 'discord:sig.stale-timestamp=fail', 'discord:sig.future-timestamp=fail']],
    ['reserialized-body', 'shopify,svix', ['shopify:sig.raw-body-fidelity=fail', 'svix:sig.raw-body-fidelity=fail']],
    ['any-scheme-label', 'github,standard-webhooks-ed25519', ['github:sig.wrong-scheme-label=fail', 'standard-webhooks-ed25519:sig.wrong-scheme-label=fail']],
  ])('%s with %s', async (flaw, profiles, expected) => {
    const { code, report } = await run(`flaw-${flaw}-${profiles}`, ['--command', `node ${FLAWED}`, '--profile', profiles, ...STATEFUL, ...SIGNATURES], { WHC_FLAWS: flaw });
    expect(problems(report)).toEqual(expected);
    expect(code).toBe(1);
  });
});

describe('list --profile', () => {
  it('shows the scenarios each profile can express, with the profile in the heading', async () => {
    const result = await runCli(['list', '--profile', 'github,discord']);
    expect(result.code).toBe(0);
    const [github = '', discord = ''] = result.stdout.split(/^sig \(discord\)$/m);
    expect(github).toMatch(/^sig \(github\)$/m);
    expect(github).not.toMatch(/sig\.stale-timestamp/);
    expect(github).toMatch(/sig\.empty-secret/);
    expect(discord).toMatch(/sig\.stale-timestamp/);
    expect(discord).not.toMatch(/sig\.empty-secret/);
    expect(leftovers(result)).toEqual([]);
  });

  it('as JSON, each signature scenario carries its profile', async () => {
    const result = await runCli(['list', '--profile', 'stripe', '--format', 'json']);
    const listed = JSON.parse(result.stdout) as Array<{ id: string; layer: string; profile?: string }>;
    const sig = listed.filter((s) => s.layer === 'sig');
    expect(sig.every((s) => s.profile === 'stripe')).toBe(true);
    expect(sig.map((s) => s.id)).not.toContain('sig.missing-id');
    expect(listed.filter((s) => s.layer !== 'sig').every((s) => s.profile === undefined)).toBe(true);
    expect(leftovers(result)).toEqual([]);
  });

  it('names an unknown profile', async () => {
    const result = await runCli(['list', '--profile', 'stripe,bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wh-conformance: --profile: unknown profile "bogus": expected one of standard-webhooks\|/);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('a listener started outside the harness, with an asymmetric profile', () => {
  it('the kit gives it the public key and an events file; the harness signs with the private key', async () => {
    const kit = join(out, 'outside-kit');
    const certs = await runCli(['certs', '--out', kit]);
    expect(certs.code).toBe(0);
    expect(certs.stdout).toContain(`WHC_EVENTS_FILE=${join(kit, 'events.log')}`);
    expect(leftovers(certs)).toEqual([]);
    const secrets = JSON.parse(readFileSync(join(kit, 'secrets.json'), 'utf8')) as { profiles: Record<string, { secret: string; publicKey?: string }> };
    const discord = secrets.profiles.discord;
    expect(discord?.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const listener = spawn(process.execPath, [SECURE], {
      env: {
        ...process.env,
        WHC_HOST: '127.0.0.1',
        WHC_PORT: '0',
        WHC_SERVER_CERT_FILE: join(kit, 'server.pem'),
        WHC_SERVER_KEY_FILE: join(kit, 'server-key.pem'),
        WHC_PROFILE: 'discord',
        WHC_SIGNING_PUBLIC_KEY: discord?.publicKey ?? '',
        WHC_EVENTS_FILE: join(kit, 'events.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let seen = '';
        listener.stdout.on('data', (c: Buffer) => {
          seen += c.toString();
          const match = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
          if (match?.[1]) resolve(match[1]);
        });
        listener.once('exit', (code) => reject(new Error(`listener exited with ${code}: ${seen}`)));
        setTimeout(() => reject(new Error('listener not ready in 10 s')), 10_000).unref();
      });
      const { code, report } = await run('outside', ['--url', `https://127.0.0.1:${port}/webhook`, '--certs', kit, '--no-mtls', '--profile', 'discord', ...STATEFUL, ...SIGNATURES]);
      expect(problems(report)).toEqual([]);
      expect(code).toBe(0);
      expect(report.scenarios.find((s) => s.id === 'sig.replayed-delivery')?.verdict).toBe('pass');
    } finally {
      listener.kill('SIGTERM');
    }
  });
});
