// The flawed listener's mTLS and transport bugs: each is a realistic mistake in how a Node listener
// asks for, checks or trusts client certificates, or configures TLS. flawed.mjs offers them next to
// the signature flaws; each comment says what it breaks.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { checkClient, reject } from './secure.mjs';

const OK = { ok: true };

/** Whether the client presented a certificate at all. */
function presentedCertificate(socket) {
  const cert = socket.getPeerCertificate?.();
  return cert !== undefined && cert !== null && Object.keys(cert).length > 0;
}

/** The client's subject as one RFC 4514-style string, `CN=…, O=…`. */
function subjectText(subject) {
  return Object.entries(subject ?? {}).map(([attribute, value]) => `${attribute}=${value}`).join(', ');
}

/** A certificate is asked for, but a missing or failing one still completes the handshake. */
const acceptAnyHandshake = (options) => ({ ...options, rejectUnauthorized: false });

/** How each flaw changes the https server options. */
const TLS_FLAWS = {
  'accept-any-cert': acceptAnyHandshake,
  // The chain is checked, revocation is not.
  'no-crl': ({ crl: _crl, ...options }) => options,
  // The handshake lets everything through; the application decides (see CLIENT_FLAWS).
  'optional-client-cert': acceptAnyHandshake,
  'trust-proxy-headers': acceptAnyHandshake,
  'trust-resumed-sessions': acceptAnyHandshake,
  'own-verification': acceptAnyHandshake,
  // Node's defaults: CBC suites, and RSA-1024 client keys (security level 1).
  'node-default-tls': ({ minVersion: _minVersion, ciphers: _ciphers, ...options }) => options,
  // "For old clients": TLS 1.0 and everything at security level 0 (SHA-1, RSA-1024, CBC).
  'legacy-tls': (options) => ({ ...options, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }),
  // Loses the providers that send TLS 1.2 only.
  'tls1.3-only': (options) => ({ ...options, minVersion: 'TLSv1.3' }),
  // An old maximum left in place.
  'no-tls1.3': (options) => ({ ...options, maxVersion: 'TLSv1.2' }),
};

/** How each flaw wraps the application's client check (`next` is the check it would otherwise make). */
const CLIENT_FLAWS = {
  // Never looks at req.socket.authorized nor the subject.
  'accept-any-cert': () => () => OK,
  // nginx's `ssl_verify_client optional` in Node: a certificate is checked only when one is presented.
  'optional-client-cert': (next) => (socket, config, req) => (presentedCertificate(socket) ? next(socket, config, req) : OK),
  // Believes a proxy's verification headers, though no proxy stands in front of it.
  'trust-proxy-headers': (next) => (socket, config, req) => (req?.headers['x-ssl-client-verify'] === 'SUCCESS' ? OK : next(socket, config, req)),
  // Verifies on a full handshake and caches that per session: a resumed session skips the check,
  // whatever the session's first handshake presented.
  'trust-resumed-sessions': (next) => (socket, config, req) => (socket.isSessionReused?.() ? OK : next(socket, config, req)),
  // Its own verification instead of OpenSSL's: a certificate, current dates, the pinned subject. No
  // chain, signature, key usage, key size or revocation check (CRL or OCSP).
  'own-verification': () => (socket, config) => {
    if (!presentedCertificate(socket)) return reject(403, 'no client certificate');
    const cert = socket.getPeerCertificate();
    const now = Date.now();
    if (now < Date.parse(cert.valid_from) || now > Date.parse(cert.valid_to)) return reject(403, 'client certificate out of date');
    return checkClient({ authorized: true, getPeerCertificate: () => cert }, config);
  },
  // Checks the chain, not who the client is.
  'no-subject-pinning': (next) => (socket, config, req) => next(socket, { ...config, allowedSubject: undefined }, req),
  // Pins with a substring: CN=webhooks.example.test.attacker.invalid contains the allowed subject.
  'unanchored-subject': (next) => (socket, config, req) => {
    const authorized = next(socket, { ...config, allowedSubject: undefined }, req);
    if (!authorized.ok || !config.allowedSubject) return authorized;
    const allowed = config.allowedSubject.map(([attribute, value]) => `${attribute}=${value}`).join(', ');
    return subjectText(socket.getPeerCertificate().subject).includes(allowed) ? OK : reject(403, 'client certificate subject is not the allowed one');
  },
  // Checks the first request of each connection and marks the connection checked, whatever the
  // answer: the next request on the same kept-alive connection goes through.
  'authorize-connection-once': (next) => {
    const checked = new WeakSet();
    return (socket, config, req) => {
      if (checked.has(socket)) return OK;
      checked.add(socket);
      return next(socket, config, req);
    };
  },
  // The certificate check is written for TLS connections only.
  'plain-http-too': (next) => (socket, config, req) => (socket.encrypted ? next(socket, config, req) : OK),
};

/** Flaws that never ask the OCSP responder: no-ocsp looks revocation up in the CRL only; the others
 * check nothing the application does not check itself. */
const REVOCATION_FLAWS = ['no-ocsp', 'accept-any-cert', 'own-verification'];

/**
 * Plain HTTP and TLS on one port, told apart by the first byte (0x16 opens a TLS handshake): the
 * "convenient" setup that serves deliveries sent without TLS.
 */
export function plainHttpToo(tlsServer, onRequest) {
  const http = createHttpServer(onRequest);
  return createNetServer((socket) => {
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? tlsServer : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
}

export const CONNECTION_FLAWS = [...new Set([...Object.keys(TLS_FLAWS), ...Object.keys(CLIENT_FLAWS), ...REVOCATION_FLAWS])];

/** The createListener overrides for the connection flaws among `flaws`; none, none. */
export function connectionFlawOverrides(flaws, secureTlsOptions) {
  const overrides = {};
  const tlsFlaws = Object.keys(TLS_FLAWS).filter((name) => flaws.has(name));
  if (tlsFlaws.length > 0) overrides.tlsOptions = (env) => tlsFlaws.reduce((options, name) => TLS_FLAWS[name](options), secureTlsOptions(env));
  const clientFlaws = Object.keys(CLIENT_FLAWS).filter((name) => flaws.has(name));
  if (clientFlaws.length > 0) overrides.checkClient = clientFlaws.reduce((next, name) => CLIENT_FLAWS[name](next), checkClient);
  if (REVOCATION_FLAWS.some((name) => flaws.has(name))) overrides.checkRevocation = async () => OK;
  if (flaws.has('plain-http-too')) overrides.wrapServer = plainHttpToo;
  return overrides;
}
