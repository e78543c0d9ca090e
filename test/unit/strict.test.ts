import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../harness/config/config.js';
import { HarnessError } from '../../harness/errors.js';
import { judge } from '../../harness/judge/judge.js';
import type { Outcome, ScenarioInfo } from '../../harness/model.js';
import { makePlan } from '../../harness/plan/plan.js';
import { CATALOG } from '../../suites/catalog/index.js';

// --strict: precise expectations are data on scenarios; judging them is pure.

const expired: ScenarioInfo = {
  id: 'mtls.expired',
  layer: 'mtls',
  title: 't',
  severity: 'high',
  reference: 'r',
  needs: [],
  expect: 'reject',
  rejection: 'any',
  control: false,
  precise: { alerts: ['certificate_expired'] },
};
const pinned: ScenarioInfo = { ...expired, id: 'mtls.subject-not-allowed', precise: { alerts: ['access_denied'], statuses: [403] } };

const alert = (name: string): Outcome => ({ kind: 'tls-alert', phase: 'after-request', alert: name, code: `ERR_SSL_TLSV13_ALERT_${name.toUpperCase()}`, detail: `TLS alert ${name}`, ms: 1 });
const closed: Outcome = { kind: 'connection-closed', phase: 'before-request', code: 'UND_ERR_SOCKET', detail: 'connection closed before the request was sent', ms: 1 };
const http = (status: number): Outcome => ({ kind: status < 500 ? 'http-rejected' : 'http-other', phase: 'response', status, detail: `HTTP ${status}`, ms: 1 });
const accepted: Outcome = { kind: 'accepted', phase: 'response', status: 204, detail: 'HTTP 204', ms: 1 };

describe('judge with --strict', () => {
  it('passes the precise alert or status', () => {
    expect(judge(expired, alert('certificate_expired'), { strict: true })).toEqual({ verdict: 'pass', reason: 'rejected with a TLS alert' });
    expect(judge(pinned, http(403), { strict: true })).toEqual({ verdict: 'pass', reason: 'rejected with a 4xx' });
    expect(judge(pinned, alert('access_denied'), { strict: true }).verdict).toBe('pass');
  });

  it('warns on any other rejection, naming what was seen and what is expected', () => {
    expect(judge(expired, closed, { strict: true })).toEqual({
      verdict: 'warn',
      reason: 'rejected, but not precisely: connection closed before the request was sent; --strict expects TLS alert certificate_expired',
    });
    expect(judge(expired, alert('bad_certificate'), { strict: true }).reason).toBe(
      'rejected, but not precisely: TLS alert bad_certificate; --strict expects TLS alert certificate_expired',
    );
    expect(judge(pinned, http(400), { strict: true }).reason).toBe('rejected, but not precisely: HTTP 400; --strict expects TLS alert access_denied or HTTP 403');
  });

  it('leaves everything else as it was: accepts, failures, 5xx and 410 warnings, scenarios without precise expectations', () => {
    expect(judge(expired, accepted, { strict: true }).verdict).toBe('fail');
    expect(judge(expired, http(500), { strict: true })).toEqual(judge(expired, http(500)));
    expect(judge(expired, http(410), { strict: true })).toEqual(judge(expired, http(410)));
    const { precise: _precise, ...imprecise } = expired;
    expect(judge(imprecise, closed, { strict: true })).toEqual(judge(imprecise, closed));
    expect(judge({ ...expired, expect: 'accept' }, accepted, { strict: true }).verdict).toBe('pass');
  });

  it('without --strict, any rejection passes', () => {
    for (const outcome of [closed, alert('bad_certificate'), http(400)]) expect(judge(expired, outcome).verdict).toBe('pass');
  });
});

describe('the catalog\'s precise expectations', () => {
  it('name TLS alerts of RFC 8446 §6 and 4xx statuses only', () => {
    const ALERTS = ['handshake_failure', 'bad_certificate', 'unsupported_certificate', 'certificate_revoked', 'certificate_expired', 'certificate_unknown', 'unknown_ca', 'access_denied', 'decrypt_error', 'protocol_version', 'certificate_required'];
    for (const s of CATALOG.filter((c) => c.precise)) {
      for (const name of s.precise?.alerts ?? []) expect(ALERTS, s.id).toContain(name);
      for (const status of s.precise?.statuses ?? []) expect([400, 401, 403], s.id).toContain(status);
      expect(s.expect, s.id).toBe('reject');
    }
  });
});

describe('strict and tls in the config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whc-strict-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is off by default, on from the file or from --strict', async () => {
    await writeFile(join(dir, 'off.json'), JSON.stringify({ target: { command: 'x' } }));
    await writeFile(join(dir, 'on.json'), JSON.stringify({ target: { command: 'x' }, strict: true }));
    expect((await loadConfig({ config: 'off.json' }, dir)).strict).toBe(false);
    expect((await loadConfig({ config: 'on.json' }, dir)).strict).toBe(true);
    expect((await loadConfig({ config: 'off.json', strict: true }, dir)).strict).toBe(true);
  });

  it('names the field when strict is not a boolean', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ target: { command: 'x' }, strict: 'yes' }));
    await expect(loadConfig({ config: 'bad.json' }, dir)).rejects.toThrow(HarnessError);
    await expect(loadConfig({ config: 'bad.json' }, dir)).rejects.toThrow('bad.json: strict: expected true or false, got "yes"');
  });

  it('a plain-http URL target has no TLS: the transport layer is skipped with the reason', async () => {
    const config = await loadConfig({ url: 'http://127.0.0.1:8080', certs: 'kit' }, dir);
    expect([config.tls, config.mtls]).toEqual([false, false]);
    const plan = makePlan(CATALOG, { ...config, profile: null });
    const transport = plan.skipped.filter((s) => s.scenario.layer === 'transport');
    expect(transport.map((s) => s.scenario.id)).toEqual(CATALOG.filter((s) => s.layer === 'transport').map((s) => s.id));
    for (const s of transport) expect(s.reason).toBe('the listener speaks plain HTTP (an http:// URL): there is no TLS to test');
    expect(plan.run.filter((s) => s.layer === 'transport')).toEqual([]);
  });

  it('an https target runs the transport layer, with or without mTLS', async () => {
    const config = await loadConfig({ url: 'https://127.0.0.1:8443', certs: 'kit', mtls: false }, dir);
    expect([config.tls, config.mtls]).toEqual([true, false]);
    expect(makePlan(CATALOG, { ...config, profile: null }).run.map((s) => s.layer)).toContain('transport');
  });
});
