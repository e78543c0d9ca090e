// Reference webhook listener: mutual TLS (client CA, CRL, subject pinning) and Standard Webhooks
// signatures, configured by the wh-conformance target contract (WHC_* environment variables).
// Node built-ins only, so it can be copied as a starting point.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { pathToFileURL } from 'node:url';

export const MAX_BODY_BYTES = 1024 * 1024;
export const PROFILES = ['standard-webhooks', 'none'];

/** A configuration problem: reported on one stderr line, exit code 2. */
export class ConfigError extends Error {}

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

/** The Standard Webhooks HMAC key: the base64 after the optional `whsec_` prefix, decoded. */
export function decodeSecret(secret) {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  // Buffer.from(…, 'base64') skips characters it does not know, so check the alphabet first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new ConfigError('WHC_SIGNING_SECRET is not whsec_ followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}

/** Everything the request handler needs, validated once at start-up. */
export function readConfig(env) {
  const profile = env.WHC_PROFILE || 'none';
  if (!PROFILES.includes(profile)) {
    throw new ConfigError(`WHC_PROFILE "${profile}" is not supported (known: ${PROFILES.join(', ')})`);
  }
  const secret = profile === 'none' ? undefined : required(env, 'WHC_SIGNING_SECRET');
  if (secret !== undefined) decodeSecret(secret);
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
    secret,
    toleranceSeconds: nonNegativeInteger('WHC_TOLERANCE_SECONDS', env.WHC_TOLERANCE_SECONDS || '300'),
    eventsFile: env.WHC_EVENTS_FILE || undefined,
  };
}

export function reject(status, reason) {
  return { ok: false, status, reason };
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

/** One header as a string; a missing, empty or repeated-into-an-array header counts as absent. */
export function headerValue(headers, name) {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function unixNow() {
  return Math.floor(Date.now() / 1000);
}

/**
 * True when any `v1,<base64>` entry of the space-separated header is the HMAC-SHA256 of
 * `id.timestamp.body`. Compares the base64 text, as the reference libraries do; lengths are checked
 * on the byte buffers (a multibyte entry has more bytes than characters), so timingSafeEqual never throws.
 */
export function signatureMatches({ id, timestamp, body, secret, signatureHeader }) {
  const expected = Buffer.from(
    createHmac('sha256', decodeSecret(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64'),
  );
  return signatureHeader.split(' ').some((entry) => {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') return false;
    const candidate = Buffer.from(entry.slice(comma + 1));
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

/** Standard Webhooks verification over the raw body bytes. */
export function verifyStandardWebhooks({ headers, body, secret, toleranceSeconds, now = unixNow() }) {
  const id = headerValue(headers, 'webhook-id');
  const timestamp = headerValue(headers, 'webhook-timestamp');
  const signatureHeader = headerValue(headers, 'webhook-signature');
  if (id === undefined || timestamp === undefined || signatureHeader === undefined) {
    return reject(400, 'missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (!/^\d+$/.test(timestamp)) return reject(400, 'webhook-timestamp is not an integer');
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) {
    return reject(401, 'webhook-timestamp outside tolerance');
  }
  if (!signatureMatches({ id, timestamp, body, secret, signatureHeader })) {
    return reject(401, 'no matching signature');
  }
  return { ok: true };
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
  const client = checks.checkClient(req.socket, config);
  if (!client.ok) return respond(res, client);
  if ((req.url ?? '').split('?', 1)[0] !== config.webhookPath) return respond(res, reject(404, 'unknown path'));
  if (req.method !== 'POST') return respond(res, reject(405, `method ${req.method} not allowed`), { allow: 'POST' });
  const body = await readBody(req);
  if (body === undefined) return respond(res, reject(413, `body larger than ${MAX_BODY_BYTES} bytes`));
  if (config.profile === 'standard-webhooks') {
    const verified = checks.verify({
      headers: req.headers,
      body,
      secret: config.secret,
      toleranceSeconds: config.toleranceSeconds,
    });
    if (!verified.ok) return respond(res, verified);
  }
  const id = printable(headerValue(req.headers, 'webhook-id') ?? '-');
  if (config.eventsFile) appendFileSync(config.eventsFile, `${id}\n`);
  console.log(`delivery ${id} accepted`);
  respond(res, { ok: true });
}

/**
 * Builds the (not yet listening) server. `overrides` swaps one piece — tlsOptions, checkClient or
 * verify — which is how the flawed variants are made; the secure listener passes none.
 */
export function createListener(env, overrides = {}) {
  const config = readConfig(env);
  const { tlsOptions: serverTlsOptions = tlsOptions, ...swapped } = overrides;
  const checks = { checkClient, verify: verifyStandardWebhooks, ...swapped };
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
    return { server: createServer(options, onRequest), config };
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
