import { NEXT_ROOT_IDENTITY } from '../../certs/index.js';
import type { Scenario } from '../../harness/model.js';

// Drills: what a listener must survive, not what it must check. They run after every other layer
// (`--drills`), against the same listener, one after another; the rotation drills restart it.
const base = { layer: 'drills', needs: [], rejection: 'any', control: false } as const;
const valid = { identity: 'valid', signature: {} } as const;
const badSignature = { identity: 'valid', signature: { key: 'wrong' } } as const;


export const DRILL_SCENARIOS: readonly Scenario[] = [
  {
    ...base,
    id: 'drills.reject-under-load',
    formerIds: ['robust.reject-under-load'],
    title: 'Bad deliveries of every kind, 50 at a time, 200 in all, are each rejected, and a good one is accepted afterwards',
    severity: 'high',
    reference: 'CWE-400; OWASP ASVS 4.0.3 §11.1.4 (anti-automation)',
    expect: 'reject',
    send: badSignature,
    drill: { kind: 'load', count: 200, concurrency: 50 },
    remediation: {
      node: 'verify every delivery on the request path, whatever the load: no verification step that times out, is skipped or is shed open under pressure',
      nginx: 'limit_conn / limit_req in front of the application to shed load by refusing, never by letting through unverified',
    },
  },
  {
    ...base,
    id: 'drills.oversized-body',
    formerIds: ['robust.oversized-body'],
    title: 'A 20 MiB body with a bad signature is rejected (4xx or closed) without the listener falling over',
    severity: 'high',
    reference: 'RFC 9110 §15.5.14 (413 Content Too Large); CWE-400',
    expect: 'reject',
    send: badSignature,
    drill: { kind: 'oversized-body', bytes: 20 * 1024 * 1024 },
    remediation: {
      node: 'check Content-Length and count bytes as they arrive; past the limit answer 413 with Connection: close. Never throw inside a stream event handler: nothing catches it and the process exits',
      nginx: 'client_max_body_size 1m;',
    },
  },
  {
    ...base,
    id: 'drills.slow-headers',
    formerIds: ['robust.slow-headers'],
    title: 'Headers trickled one byte every 100 ms: the listener closes the connection within 10 s',
    severity: 'low',
    reference: 'CWE-400 (Slowloris); Node.js http.Server headersTimeout',
    expect: 'reject',
    send: valid,
    drill: { kind: 'slow-headers', byteIntervalMs: 100, withinMs: 10_000 },
    remediation: {
      node: 'https.createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }): Node waits 60 s for headers by default',
      nginx: 'client_header_timeout 10s;',
    },
  },
  {
    ...base,
    id: 'drills.survives-bad-input',
    formerIds: ['robust.survives-bad-input'],
    title: 'The positive controls still pass after every negative scenario and drill',
    severity: 'critical',
    reference: 'Standard Webhooks: a listener that stops accepting makes the sender retry and then disable the endpoint',
    expect: 'accept',
    send: valid,
    drill: { kind: 'controls-after' },
    remediation: {
      node: 'release on the rejection path whatever a request holds (slots, locks, counters); do not lock the endpoint for every sender after failed deliveries',
      nginx: 'rate-limit per client (limit_req_zone $binary_remote_addr), never a lockout of the endpoint',
    },
  },
  {
    ...base,
    id: 'drills.client-ca-overlap',
    formerIds: ['rotation.client-ca-overlap'],
    title: 'Restarted trusting the current and the next client root, the listener accepts clients under both',
    severity: 'high',
    reference: 'RFC 4210 §4.4 (root CA key update: old and new roots overlap)',
    expect: 'accept',
    needsMtls: true,
    send: valid,
    drill: { kind: 'client-ca-rotation', trust: 'old+new', accept: ['valid', NEXT_ROOT_IDENTITY], reject: [] },
    remediation: {
      node: 'ca: every certificate in WHC_CLIENT_CA_FILE (a PEM bundle is an array of roots), not only the first',
      nginx: 'ssl_client_certificate <one file holding both roots>;',
    },
  },
  {
    ...base,
    id: 'drills.client-ca-cutover',
    formerIds: ['rotation.client-ca-cutover'],
    title: 'Restarted trusting only the next client root, the listener rejects a client under the old root and accepts one under the new',
    severity: 'high',
    reference: 'RFC 4210 §4.4 (root CA key update: the old root is retired)',
    expect: 'reject',
    needsMtls: true,
    send: valid,
    drill: { kind: 'client-ca-rotation', trust: 'new', accept: [NEXT_ROOT_IDENTITY], reject: ['valid'] },
    remediation: {
      node: 'build the trust store from the configured file alone at every start; never keep roots from an earlier configuration',
      nginx: 'ssl_client_certificate <the new root only>; then nginx -s reload',
    },
  },
];
