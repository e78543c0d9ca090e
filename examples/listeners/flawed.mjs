// The secure listener with deliberate, realistic bugs, chosen by WHC_FLAWS (comma-separated), so
// wh-conformance's own tests can prove each scenario catches the bug it is about. Every flaw swaps one
// piece secure.mjs (or signatures.mjs) exposes and breaks only what its comment says.
import { timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { CONNECTION_FLAWS, connectionFlawOverrides } from './connection-flaws.mjs';
import { DRILL_FLAWS, drillFlawOverrides } from './drill-flaws.mjs';
import { runListener, SECURE_HANDLING, tlsOptions } from './secure.mjs';
import { SECURE_CHECKS, verifyDelivery } from './signatures.mjs';

export const FLAWS = [
  ...CONNECTION_FLAWS,
  'no-signature-check',
  'no-timestamp-check',
  'future-timestamps-ok',
  '500-on-bad-signature',
  'missing-headers-ok',
  'empty-secret-fallback',
  'length-truncating-compare',
  'unchecked-length-compare',
  'any-scheme-label',
  'first-signature-only',
  'nan-timestamp-ok',
  'reserialized-body',
  'no-replay-store',
  'dedupe-before-verify',
  'processes-then-rejects',
  ...DRILL_FLAWS,
];

/** Each verification flaw as the piece of SECURE_CHECKS it replaces. */
const CHECK_FLAWS = {
  // The signature is never used: a missing or wrong one goes unnoticed (id and time are still checked).
  'no-signature-check': {
    missing: (role, header) => (role === 'signature' ? undefined : SECURE_CHECKS.missing(role, header)),
    mismatch: () => ({ ok: true }),
  },
  // No tolerance at all.
  'no-timestamp-check': { withinTolerance: () => true },
  // Only "too old" is looked for.
  'future-timestamps-ok': { withinTolerance: (seconds, now, tolerance) => now - seconds <= tolerance },
  // A mismatch throws, and the generic error handler answers 500.
  '500-on-bad-signature': {
    mismatch: () => {
      throw new Error('signature mismatch');
    },
  },
  // `headers['webhook-timestamp'] ?? ''`: a missing id or timestamp is read as empty, and without a
  // timestamp there is nothing to check the tolerance of.
  'missing-headers-ok': { missing: (role, header) => (role === 'signature' ? SECURE_CHECKS.missing(role, header) : undefined) },
  // Key rotation read from two variables, the unset old one becoming an empty key.
  'empty-secret-fallback': { keys: (key) => [key, Buffer.alloc(0)] },
  // Compares only as many bytes as were sent, to keep timingSafeEqual from throwing: a prefix passes.
  'length-truncating-compare': {
    hmacMatches: (expected, text, encoding) => {
      const candidate = Buffer.from(text, encoding);
      return candidate.length <= expected.length && timingSafeEqual(candidate, expected.subarray(0, candidate.length));
    },
  },
  // Lenient decoding and no length check: timingSafeEqual throws on a malformed signature (500), and
  // one with a character too many decodes to the valid digest.
  'unchecked-length-compare': { hmacMatches: (expected, text, encoding) => timingSafeEqual(Buffer.from(text, encoding), expected) },
  // Ignores the scheme label: a valid MAC under `v2,` is taken for a `v1` one.
  'any-scheme-label': { candidates: (entries) => entries },
  // Tries only the first signature: during key rotation the valid one may come second.
  'first-signature-only': { candidates: (entries, label) => entries.filter((e) => e.label === label).slice(0, 1) },
  // Number(text), and the tolerance written as "reject when outside": ISO text gives NaN, and NaN
  // is never outside anything.
  'nan-timestamp-ok': {
    parseTimestamp: (text) => Number(text),
    withinTolerance: (seconds, now, tolerance) => !(Math.abs(now - seconds) > tolerance),
  },
  // Parses the JSON and verifies over JSON.stringify of it: other bytes than were signed.
  'reserialized-body': { signedBody: (body) => Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')))) },
};

/** The set of flaws named in `text`; throws on a name it does not know. */
export function parseFlaws(text = '') {
  const flaws = new Set(text.split(',').map((name) => name.trim()).filter(Boolean));
  const unknown = [...flaws].filter((name) => !FLAWS.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown WHC_FLAWS ${unknown.join(', ')} (known: ${FLAWS.join(', ')})`);
  }
  return flaws;
}

/** verifyDelivery with the verification flaws' pieces swapped in. */
export function flawedVerify(flaws) {
  const checks = Object.assign({ ...SECURE_CHECKS }, ...[...flaws].map((flaw) => CHECK_FLAWS[flaw] ?? {}));
  return (input) => verifyDelivery(input, checks);
}

/** no-replay-store: every delivery is new, so a replay is processed again. */
export function forgetfulReplayStore() {
  return { has: () => false, firstTime: () => true };
}

/** The createListener overrides for a set of flaws; no flaws, no overrides. */
export function flawOverrides(flaws) {
  const overrides = connectionFlawOverrides(flaws, tlsOptions);
  if (Object.keys(CHECK_FLAWS).some((name) => flaws.has(name))) overrides.verify = flawedVerify(flaws);
  if (flaws.has('no-replay-store')) overrides.replayStore = forgetfulReplayStore();
  if (flaws.has('dedupe-before-verify') || flaws.has('processes-then-rejects')) {
    overrides.handling = {
      ...SECURE_HANDLING,
      // An idempotency check before verification answers 200 to any request reusing a known id.
      dedupeBeforeVerify: flaws.has('dedupe-before-verify'),
      // The event is processed first and the signature checked after: a rejection comes too late.
      processBeforeVerify: flaws.has('processes-then-rejects'),
    };
  }
  return drillFlawOverrides(flaws, overrides, tlsOptions);
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
