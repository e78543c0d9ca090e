// Reference webhook listener: mutual TLS (client CA, CRL, OCSP in revocation.mjs, subject pinning,
// the TLS policy of tls-policy.mjs) and the payload signatures of every provider profile
// (signatures.mjs), with a replay store and the side-effect log, configured by the wh-conformance
// target contract (WHC_* environment variables). Node built-ins only, but for OCSP's ASN.1, so it
// can be copied as a starting point.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { pathToFileURL } from 'node:url';
import { ocspCheck } from './revocation.mjs';
import {
  ConfigError,
  decodeSecret,
  deliveryId,
  genericScheme,
  headerValue,
  PROFILES,
  reject,
  SCHEMES,
  unixNow,
  verificationKey,
  verifyDelivery,
} from './signatures.mjs';
import { SECURE_TLS } from './tls-policy.mjs';

export { ConfigError, decodeSecret, headerValue, PROFILES, reject, unixNow };
export const MAX_BODY_BYTES = 1024 * 1024;
/** Ids remembered by the replay store; the oldest are forgotten first. */
export const REPLAY_STORE_SIZE = 100_000;
/**
 * Slow clients are cut off: the headers within 2 s (a sender's arrive in one packet), the whole
 * request within 10 s, checked every half second. Node's defaults (60 s, 300 s, checked every 30 s)
 * let a client trickling bytes hold a connection for minutes.
 */
export const SERVER_TIMEOUTS = { headersTimeout: 2_000, requestTimeout: 10_000, connectionsCheckingInterval: 500 };

function required(env, name) {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is required`);
  return value;
}

function readRequiredFile(env, name) {
  const file = required(env, name);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${name}: cannot read ${file}: ${err.message}`);
  }
}

function nonNegativeInteger(name, text) {
  if (!/^\d+$/.test(text)) throw new ConfigError(`${name} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

/**
 * Server TLS options. Without WHC_CLIENT_CA_FILE the harness runs without mutual TLS, so no client
 * certificate is requested; with it, an untrusted (or, with WHC_CRL_FILE, revoked) client
 * certificate ends the handshake.
 */
export function tlsOptions(env) {
  const options = {
    cert: readRequiredFile(env, 'WHC_SERVER_CERT_FILE'),
    key: readRequiredFile(env, 'WHC_SERVER_KEY_FILE'),
    ...SECURE_TLS,
  };
  if (!env.WHC_CLIENT_CA_FILE) {
    if (env.WHC_CRL_FILE) throw new ConfigError('WHC_CRL_FILE is set but WHC_CLIENT_CA_FILE is not');
    return options;
  }
  options.requestCert = true;
  options.rejectUnauthorized = true;
  options.ca = readRequiredFile(env, 'WHC_CLIENT_CA_FILE');
  if (env.WHC_CRL_FILE) options.crl = splitCrls(readRequiredFile(env, 'WHC_CRL_FILE').toString('utf8'));
  return options;
}

/**
 * Node's `crl` option loads only the first CRL of a PEM string, so a file holding the root's and the
 * intermediate's CRLs must be passed as one array element per CRL; otherwise every client fails
 * with UNABLE_TO_GET_CRL.
 */
export function splitCrls(pem) {
  const crls = pem.match(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g);
  if (!crls) throw new ConfigError('WHC_CRL_FILE holds no PEM "X509 CRL" block');
  return crls;
}

/**
 * Parses an RFC 4514-style subject ("CN=webhooks.example.test, O=Example") into [attribute, value]
 * pairs. Escaped commas are not supported: such a subject fails here instead of pinning the wrong name.
 */
export function parseSubject(text) {
  const pairs = text.split(',').map((part) => {
    const eq = part.indexOf('=');
    const attribute = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 1 || !attribute || !value) {
      throw new ConfigError(`WHC_ALLOWED_CLIENT_SUBJECT: "${part.trim()}" is not ATTRIBUTE=value`);
    }
    return [attribute, value];
  });
  if (new Set(pairs.map(([attribute]) => attribute)).size !== pairs.length) {
    throw new ConfigError('WHC_ALLOWED_CLIENT_SUBJECT names an attribute twice');
  }
  return pairs;
}

/** Everything the request handler needs, validated once at start-up. */
export function readConfig(env) {
  const profile = env.WHC_PROFILE || 'none';
  if (!PROFILES.includes(profile)) {
    throw new ConfigError(`WHC_PROFILE "${profile}" is not supported (known: ${PROFILES.join(', ')})`);
  }
  const scheme = profile === 'none' ? undefined : profile === 'generic-hmac' ? genericScheme(env.WHC_GENERIC_HMAC) : SCHEMES[profile];
  const signing = scheme ? { scheme, key: verificationKey(scheme, env) } : undefined;
  const mutualTls = Boolean(env.WHC_CLIENT_CA_FILE);
  const subject = env.WHC_ALLOWED_CLIENT_SUBJECT;
  if (subject && !mutualTls) {
    throw new ConfigError('WHC_ALLOWED_CLIENT_SUBJECT is set but WHC_CLIENT_CA_FILE is not');
  }
  const port = nonNegativeInteger('WHC_PORT', required(env, 'WHC_PORT'));
  if (port > 65535) throw new ConfigError(`WHC_PORT ${port} is out of range`);
  return {
    host: required(env, 'WHC_HOST'),
    port,
    webhookPath: env.WHC_WEBHOOK_PATH || '/webhook',
    mutualTls,
    allowedSubject: subject ? parseSubject(subject) : undefined,
    profile,
    signing,
    toleranceSeconds: nonNegativeInteger('WHC_TOLERANCE_SECONDS', env.WHC_TOLERANCE_SECONDS || '300'),
    eventsFile: env.WHC_EVENTS_FILE || undefined,
  };
}

/**
 * The application's half of mutual TLS: the handshake has checked the chain; here the client must be
 * authorized and, when pinned, carry exactly the allowed subject — every attribute, no extra ones, so
 * `CN=webhooks.example.test.evil` or a second CN never match.
 */
export function checkClient(socket, config) {
  if (!config.mutualTls) return { ok: true };
  if (!socket.authorized) {
    return reject(403, `client certificate not authorized: ${socket.authorizationError ?? 'none'}`);
  }
  if (!config.allowedSubject) return { ok: true };
  const subject = socket.getPeerCertificate().subject ?? {};
  const pinned = config.allowedSubject;
  const matches =
    Object.keys(subject).length === pinned.length &&
    pinned.every(([attribute, value]) => subject[attribute] === value);
  return matches ? { ok: true } : reject(403, 'client certificate subject is not the allowed one');
}

/** Standard Webhooks verification over the raw body bytes (the `standard-webhooks` profile). */
export function verifyStandardWebhooks({ headers, body, secret, toleranceSeconds, now }) {
  return verifyDelivery({ headers, body, scheme: SCHEMES['standard-webhooks'], key: decodeSecret(secret), toleranceSeconds, now });
}

/** Remembers the ids of processed deliveries, so a replay is acknowledged but not processed twice. */
export function createReplayStore(size = REPLAY_STORE_SIZE) {
  const ids = new Set();
  return {
    has: (id) => ids.has(id),
    /** True the first time an id is seen. */
    firstTime(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      // A Set iterates in insertion order: the first is the oldest.
      if (ids.size > size) ids.delete(ids.values().next().value);
      return true;
    },
  };
}

/** Reads the raw body, or returns undefined once it exceeds MAX_BODY_BYTES. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return resolve(undefined);
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        resolve(undefined);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Untrusted text on one log line: no control characters or spaces, bounded length. */
function printable(text) {
  return text.replace(/[^\x21-\x7e]/g, '?').slice(0, 200);
}

function respond(res, result, extraHeaders = {}) {
  if (result.ok) {
    res.writeHead(204).end();
    return;
  }
  console.log(`rejected ${result.status} ${result.reason}`);
  const body = JSON.stringify({ error: result.reason });
  // An unread oversized body would otherwise be kept waiting on a keep-alive connection.
  const connection = result.status === 413 ? { connection: 'close' } : {};
  res.writeHead(result.status, { 'content-type': 'application/json', ...connection, ...extraHeaders }).end(body);
}

async function handleDelivery(req, res, config, checks) {
  const client = checks.checkClient(req.socket, config, req);
  if (!client.ok) return respond(res, client);
  const revocation = await checks.checkRevocation(req.socket);
  if (!revocation.ok) return respond(res, revocation);
  if ((req.url ?? '').split('?', 1)[0] !== config.webhookPath) return respond(res, reject(404, 'unknown path'));
  if (req.method !== 'POST') return respond(res, reject(405, `method ${req.method} not allowed`), { allow: 'POST' });
  const body = await checks.readBody(req);
  if (body === undefined) return respond(res, reject(413, `body larger than ${MAX_BODY_BYTES} bytes`));
  const { handling } = checks;
  const id = deliveryId(config.signing?.scheme, req.headers, body);
  if (handling.dedupeBeforeVerify && id !== undefined && checks.replayStore.has(id)) return respond(res, { ok: true });
  if (handling.processBeforeVerify) processEvent(config, id);
  if (config.signing) {
    const verified = checks.verify({ headers: req.headers, body, ...config.signing, toleranceSeconds: config.toleranceSeconds });
    if (!verified.ok) return respond(res, verified);
  }
  // Only now is the id authentic: a replay is acknowledged (the sender may not have seen our first
  // answer) but not processed again.
  if (id !== undefined && !checks.replayStore.firstTime(id)) {
    console.log(`delivery ${printable(id)} is a replay: acknowledged, not processed`);
    return respond(res, { ok: true });
  }
  if (!handling.processBeforeVerify) processEvent(config, id);
  respond(res, { ok: true });
}

/** The side effect: here, a line in the events file (WHC_EVENTS_FILE), written before answering. */
function processEvent(config, id) {
  const line = printable(id ?? '-');
  if (config.eventsFile) appendFileSync(config.eventsFile, `${line}\n`);
  console.log(`delivery ${line} processed`);
}

/** The order of things in handleDelivery, as the secure listener has it. */
export const SECURE_HANDLING = { dedupeBeforeVerify: false, processBeforeVerify: false };

/**
 * Builds the (not yet listening) server. `overrides` swaps one piece — tlsOptions, checkClient,
 * verify, replayStore, handling or readBody — which is how the flawed variants are made; the secure
 * listener passes none.
 */
export function createListener(env, overrides = {}) {
  const config = readConfig(env);
  const { tlsOptions: serverTlsOptions = tlsOptions, wrapServer, ...swapped } = overrides;
  const checks = { checkClient, checkRevocation: ocspCheck(env), verify: verifyDelivery, replayStore: createReplayStore(), handling: SECURE_HANDLING, readBody, ...swapped };
  const options = serverTlsOptions(env);
  const onRequest = (req, res) => {
    handleDelivery(req, res, config, checks).catch((err) => {
      // Only a bug gets here: bad input is answered with a 4xx above.
      console.error(`error handling delivery: ${err.message}`);
      if (res.headersSent || res.destroyed) return;
      console.log('rejected 500 internal error');
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal error' }));
    });
  };
  try {
    const server = createServer({ ...SERVER_TIMEOUTS, ...options }, onRequest);
    return { server: wrapServer ? wrapServer(server, onRequest) : server, config };
  } catch (err) {
    // OpenSSL's message ("no start line") does not say which file it choked on.
    throw new ConfigError(`TLS certificate, key, CA or CRL file is not usable PEM: ${err.message}`);
  }
}

/** Starts the listener as a process: ready line on stdout, exit 2 on bad configuration, exit 0 on SIGTERM/SIGINT. */
export function runListener(env, overrides) {
  let listener;
  try {
    listener = createListener(env, overrides);
  } catch (err) {
    console.error(`listener configuration error: ${err.message}`);
    process.exit(2);
  }
  const { server, config } = listener;
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('error', (err) => {
    console.error(`cannot listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    console.log(`listening on https://${host}:${server.address().port}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    // close() waits for open connections, keep-alive ones included; the harness wants a prompt exit.
    for (const socket of sockets) socket.destroy();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runListener(process.env);
}
