// The flawed listener's bugs the drills find (load, bodies, key rotation): each is a realistic mistake in how a Node
// listener bounds its input, holds up under load, or loads its client trust anchors. flawed.mjs offers
// them next to the other flaws; each comment says which drill it fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reject } from './secure.mjs';
import { verifyDelivery } from './signatures.mjs';

const OK = { ok: true };
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;
const PEM_CRL = /-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----\n?/g;
/** Past this many open connections the "load shedding" of fails-open-under-load kicks in. The load
 * drill keeps 50 deliveries in flight, yet the listener often verifies with only 8 to 32 of them open
 * (measured: the refused ones close fast), so a higher bar let every delivery of some runs through
 * verified. The other drills send one delivery at a time. */
export const SHED_LOAD_CONNECTIONS = 8;
/** Failed authentications (400 to 403) after which lockout-after-rejections locks the endpoint. */
export const LOCKOUT_AFTER = 60;
/** The body limit that throws-on-large-body enforces by throwing. */
const THROWING_LIMIT = 16 * 1024 * 1024;

const blocks = (pem, pattern) => [pem ?? ''].flat().join('').toString().match(pattern) ?? [];
const certificates = (pem) => blocks(pem, PEM_CERTIFICATE);

/** The PEM blocks kept in `file` between starts, with `configured` added; written back. */
function remembered(file, configured, pattern) {
  const kept = existsSync(file) ? blocks(readFileSync(file, 'utf8'), pattern) : [];
  const all = [...new Set([...kept, ...blocks(configured, pattern)])];
  writeFileSync(file, all.join(''), { mode: 0o600 });
  return all;
}

/** How each flaw changes the https server options. */
const TLS_FLAWS = {
  // drills.client-ca-overlap: only the first certificate of the CA bundle is read, as code that
  // parses "the" PEM block does; a client under the second root is refused.
  'first-ca-only': (options) => ({ ...options, ca: certificates(options.ca).slice(0, 1) }),
  // drills.client-ca-cutover: configured roots (and their CRLs) are added to a trust store the
  // listener keeps between starts, and none is ever removed: a retired root stays trusted.
  'keeps-retired-roots': (options, env) => {
    const store = (name) => join(env.WHC_CERTS_DIR ?? '.', name);
    const ca = remembered(store('listener-trust-store.pem'), options.ca, PEM_CERTIFICATE);
    return { ...options, ca, ...(options.crl ? { crl: remembered(store('listener-crl-store.pem'), options.crl, PEM_CRL) } : {}) };
  },
};

/** drills.oversized-body: a body limit enforced by throwing inside the stream's data handler.
 * Nothing catches that: the process exits with the stack trace. */
function throwingReadBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > THROWING_LIMIT) throw new Error(`body larger than ${THROWING_LIMIT} bytes`);
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The wrapped request handler: runs before the listener's own. */
function wrapRequests(server, onRequest, before) {
  server.removeAllListeners('request');
  server.on('request', (req, res) => before(req, res) || onRequest(req, res));
  return server;
}

/** The createListener overrides for the drill flaws among `flaws`, laid over `overrides` (the
 * other flaws'), whose pieces they wrap. */
export function drillFlawOverrides(flaws, overrides, secureTlsOptions) {
  const result = { ...overrides };
  const tlsFlaws = Object.keys(TLS_FLAWS).filter((name) => flaws.has(name));
  if (tlsFlaws.length > 0) {
    const base = overrides.tlsOptions ?? secureTlsOptions;
    result.tlsOptions = (env) => tlsFlaws.reduce((options, name) => TLS_FLAWS[name](options, env), base(env));
  }
  if (flaws.has('throws-on-large-body')) result.readBody = throwingReadBody;
  const wrappers = [];
  // drills.reject-under-load: "load shedding" that skips signature verification while many
  // connections are open, to keep latency down: under load, forged deliveries get in.
  if (flaws.has('fails-open-under-load')) {
    let open = 0;
    const verify = overrides.verify ?? verifyDelivery;
    result.verify = (input) => (open > SHED_LOAD_CONNECTIONS ? OK : verify(input));
    wrappers.push((server) => {
      server.on('connection', (socket) => {
        open += 1;
        socket.once('close', () => (open -= 1));
      });
      return server;
    });
  }
  // drills.survives-bad-input: a brute-force guard that counts failed authentications and then
  // locks the endpoint for everyone, the real sender included.
  if (flaws.has('lockout-after-rejections')) {
    let rejections = 0;
    wrappers.push((server, onRequest) =>
      wrapRequests(server, onRequest, (req, res) => {
        if (rejections >= LOCKOUT_AFTER) {
          const answer = reject(503, 'too many failed deliveries: endpoint locked');
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: answer.reason }));
          return true;
        }
        res.once('finish', () => {
          if (res.statusCode >= 400 && res.statusCode <= 403) rejections += 1;
        });
        return false;
      }),
    );
  }
  // drills.slow-headers: Node's defaults, 60 s for the headers and 300 s for the request.
  if (flaws.has('no-header-timeout')) {
    wrappers.push((server) => {
      server.headersTimeout = 60_000;
      server.requestTimeout = 300_000;
      return server;
    });
  }
  if (wrappers.length > 0) {
    const outer = overrides.wrapServer;
    result.wrapServer = (server, onRequest) => {
      const wrapped = wrappers.reduce((s, wrap) => wrap(s, onRequest), server);
      return outer ? outer(wrapped, onRequest) : wrapped;
    };
  }
  return result;
}

export const DRILL_FLAWS = [...Object.keys(TLS_FLAWS), 'throws-on-large-body', 'fails-open-under-load', 'lockout-after-rejections', 'no-header-timeout'];
