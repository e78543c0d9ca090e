// The secure listener with deliberate, realistic bugs, chosen by WHC_FLAWS (comma-separated), so
// wh-conformance's own tests can prove each scenario catches the bug it is about. Every flaw swaps one
// piece secure.mjs exposes and breaks only what its comment says.
import { pathToFileURL } from 'node:url';
import { headerValue, reject, runListener, signatureMatches, tlsOptions, unixNow } from './secure.mjs';

export const FLAWS = [
  'accept-any-cert',
  'no-crl',
  'no-signature-check',
  'no-timestamp-check',
  'future-timestamps-ok',
  '500-on-bad-signature',
];

const VERIFY_FLAWS = ['no-signature-check', 'no-timestamp-check', 'future-timestamps-ok', '500-on-bad-signature'];

/** The set of flaws named in `text`; throws on a name it does not know. */
export function parseFlaws(text = '') {
  const flaws = new Set(text.split(',').map((name) => name.trim()).filter(Boolean));
  const unknown = [...flaws].filter((name) => !FLAWS.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown WHC_FLAWS ${unknown.join(', ')} (known: ${FLAWS.join(', ')})`);
  }
  return flaws;
}

export function flawedTlsOptions(flaws) {
  return (env) => {
    const options = tlsOptions(env);
    // accept-any-cert: a certificate is asked for, but a missing or failing one still connects.
    if (flaws.has('accept-any-cert')) options.rejectUnauthorized = false;
    // no-crl: the chain is checked, revocation is not.
    if (flaws.has('no-crl')) delete options.crl;
    return options;
  };
}

/** accept-any-cert's application half: never looks at req.socket.authorized nor the subject. */
export function acceptAnyClient() {
  return { ok: true };
}

/** verifyStandardWebhooks from secure.mjs, line for line, with the verification flaws switchable. */
export function flawedVerify(flaws) {
  return ({ headers, body, secret, toleranceSeconds, now = unixNow() }) => {
    const id = headerValue(headers, 'webhook-id');
    const timestamp = headerValue(headers, 'webhook-timestamp');
    const signatureHeader = headerValue(headers, 'webhook-signature');
    // no-signature-check: the signature is never used, so a missing header goes unnoticed too.
    const checkSignature = !flaws.has('no-signature-check');
    if (id === undefined || timestamp === undefined || (checkSignature && signatureHeader === undefined)) {
      return reject(400, 'missing webhook-id, webhook-timestamp or webhook-signature header');
    }
    if (!/^\d+$/.test(timestamp)) return reject(400, 'webhook-timestamp is not an integer');
    const age = now - Number(timestamp);
    // no-timestamp-check: no tolerance at all; future-timestamps-ok: only "too old" is looked for.
    const tooOld = age > toleranceSeconds;
    const tooNew = -age > toleranceSeconds;
    const outsideTolerance =
      !flaws.has('no-timestamp-check') && (tooOld || (tooNew && !flaws.has('future-timestamps-ok')));
    if (outsideTolerance) return reject(401, 'webhook-timestamp outside tolerance');
    if (checkSignature && !signatureMatches({ id, timestamp, body, secret, signatureHeader })) {
      // 500-on-bad-signature: a mismatch throws, and the generic error handler answers 500.
      if (flaws.has('500-on-bad-signature')) throw new Error('signature mismatch');
      return reject(401, 'no matching signature');
    }
    return { ok: true };
  };
}

/** The createListener overrides for a set of flaws; no flaws, no overrides. */
export function flawOverrides(flaws) {
  const overrides = {};
  if (flaws.has('accept-any-cert') || flaws.has('no-crl')) overrides.tlsOptions = flawedTlsOptions(flaws);
  if (flaws.has('accept-any-cert')) overrides.checkClient = acceptAnyClient;
  if (VERIFY_FLAWS.some((name) => flaws.has(name))) overrides.verify = flawedVerify(flaws);
  return overrides;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let flaws;
  try {
    flaws = parseFlaws(process.env.WHC_FLAWS);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`flawed listener, flaws: ${[...flaws].join(', ') || 'none'}`);
  runListener(process.env, flawOverrides(flaws));
}
