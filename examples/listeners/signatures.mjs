// Payload-signature verification for the reference listener: one scheme per provider, written from
// the providers' documentation (not from wh-conformance's signers, so a shared mistake cannot hide).
// Node built-ins only. Every check reads the raw body bytes, compares in constant time, and answers
// 400 (malformed) or 401 (not authentic) — never throws on what a sender controls.
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

/** A configuration problem: reported on one stderr line, exit code 2. */
export class ConfigError extends Error {}

export function reject(status, reason) {
  return { ok: false, status, reason };
}

/** One header as a string; a missing, empty or repeated-into-an-array header counts as absent. */
export function headerValue(headers, name) {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function unixNow() {
  return Math.floor(Date.now() / 1000);
}

/** `label<sep>value`; without the separator the whole text is the value, with no label. */
function splitEntry(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? { label: '', value: text } : { label: text.slice(0, at), value: text.slice(at + separator.length) };
}

const standardWebhooksHeaders = (prefix) => ({
  signatureHeader: `${prefix}-signature`,
  idHeader: `${prefix}-id`,
  timestampHeader: `${prefix}-timestamp`,
  // A space-separated list of `v1,<base64>` entries (several during key rotation).
  parse: (text) => ({ entries: text.split(' ').map((entry) => splitEntry(entry, ',')) }),
  content: ({ id, timestamp }) => [`${id}.${timestamp}.`],
  encoding: 'base64',
});

/** Each provider's scheme. `content` gives what is signed before the body; `after`, what follows it. */
export const SCHEMES = {
  'standard-webhooks': { ...standardWebhooksHeaders('webhook'), algorithm: 'sha256', label: 'v1', key: 'whsec' },
  svix: { ...standardWebhooksHeaders('svix'), algorithm: 'sha256', label: 'v1', key: 'whsec' },
  'standard-webhooks-ed25519': { ...standardWebhooksHeaders('webhook'), algorithm: 'ed25519', label: 'v1a', key: 'whpk' },
  stripe: {
    signatureHeader: 'stripe-signature',
    // `t=<ts>,v1=<hex>[,v1=<hex>…]`: the timestamp travels inside the signature header.
    timestampInSignature: true,
    parse: (text) => {
      const pairs = text.split(',').map((pair) => splitEntry(pair, '='));
      return { timestamp: pairs.find((p) => p.label === 't')?.value, entries: pairs.filter((p) => p.label !== 't') };
    },
    content: ({ timestamp }) => [`${timestamp}.`],
    algorithm: 'sha256',
    label: 'v1',
    encoding: 'hex',
    key: 'text',
  },
  github: {
    signatureHeader: 'x-hub-signature-256',
    deliveryIdHeader: 'x-github-delivery',
    parse: (text) => ({ entries: [splitEntry(text, '=')] }),
    content: () => [],
    algorithm: 'sha256',
    label: 'sha256',
    encoding: 'hex',
    key: 'text',
  },
  slack: {
    signatureHeader: 'x-slack-signature',
    deliveryIdField: 'event_id',
    timestampHeader: 'x-slack-request-timestamp',
    parse: (text) => ({ entries: [splitEntry(text, '=')] }),
    content: ({ timestamp }) => [`v0:${timestamp}:`],
    algorithm: 'sha256',
    label: 'v0',
    encoding: 'hex',
    key: 'text',
  },
  shopify: {
    signatureHeader: 'x-shopify-hmac-sha256',
    deliveryIdHeader: 'x-shopify-webhook-id',
    parse: (text) => ({ entries: [{ label: '', value: text }] }),
    content: () => [],
    algorithm: 'sha256',
    label: '',
    encoding: 'base64',
    key: 'text',
  },
  pagerduty: {
    signatureHeader: 'x-pagerduty-signature',
    deliveryIdHeader: 'x-webhook-id',
    // `v1=<hex>[,v1=<hex>]`: any one may match.
    parse: (text) => ({ entries: text.split(',').map((entry) => splitEntry(entry, '=')) }),
    content: () => [],
    algorithm: 'sha256',
    label: 'v1',
    encoding: 'hex',
    key: 'text',
  },
  discord: {
    signatureHeader: 'x-signature-ed25519',
    timestampHeader: 'x-signature-timestamp',
    parse: (text) => ({ entries: [{ label: '', value: text }] }),
    content: ({ timestamp }) => [timestamp],
    algorithm: 'ed25519',
    label: '',
    encoding: 'hex',
    key: 'hex-public',
  },
};

export const PROFILES = [...Object.keys(SCHEMES), 'generic-hmac', 'none'];

/** The scheme a user describes for `generic-hmac` (WHC_GENERIC_HMAC, JSON). */
export function genericScheme(text) {
  let settings;
  try {
    settings = JSON.parse(text ?? '');
  } catch {
    throw new ConfigError('WHC_GENERIC_HMAC is required for generic-hmac: JSON with header, algorithm, encoding, prefix, template');
  }
  const { header, algorithm = 'sha256', encoding = 'hex', prefix = '', template = '{body}', timestampHeader, idHeader } = settings;
  if (typeof header !== 'string' || !['sha256', 'sha512'].includes(algorithm) || !['hex', 'base64'].includes(encoding)) {
    throw new ConfigError('WHC_GENERIC_HMAC: expected a header name, algorithm sha256|sha512 and encoding hex|base64');
  }
  for (const [placeholder, header] of [['{timestamp}', timestampHeader], ['{id}', idHeader]]) {
    if (template.includes(placeholder) && typeof header !== 'string') throw new ConfigError(`WHC_GENERIC_HMAC: the template signs ${placeholder} but names no header for it`);
  }
  const [before, after] = template.split('{body}');
  const fill = (part, { id, timestamp }) => part.replaceAll('{id}', id).replaceAll('{timestamp}', timestamp);
  // The separator is the prefix's last character (`sha256=` → `=`), so any label can be read and refused.
  const separator = prefix.slice(-1);
  return {
    signatureHeader: header.toLowerCase(),
    ...(template.includes('{timestamp}') ? { timestampHeader: timestampHeader.toLowerCase() } : {}),
    ...(template.includes('{id}') ? { idHeader: idHeader.toLowerCase() } : {}),
    parse: (text) => {
      if (prefix === '') return { entries: [{ label: '', value: text }] };
      const { label, value } = splitEntry(text, separator);
      return { entries: [{ label: `${label}${separator}`, value }] };
    },
    content: (parts) => [fill(before, parts)],
    after: (parts) => [fill(after ?? '', parts)],
    algorithm,
    label: prefix,
    encoding,
    key: 'text',
  };
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

// SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): a fixed prefix, then the raw 32 bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519PublicKey(raw, variable) {
  if (raw.length !== 32) throw new ConfigError(`${variable} is not a 32-byte Ed25519 public key`);
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The verification key of a scheme, from the environment: an HMAC key (bytes) or a public key. */
export function verificationKey(scheme, env) {
  if (scheme.key === 'whpk' || scheme.key === 'hex-public') {
    const text = env.WHC_SIGNING_PUBLIC_KEY;
    if (!text) throw new ConfigError('WHC_SIGNING_PUBLIC_KEY is required for an Ed25519 profile');
    if (scheme.key === 'hex-public') {
      if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new ConfigError('WHC_SIGNING_PUBLIC_KEY is not 64 hex characters');
      return ed25519PublicKey(Buffer.from(text, 'hex'), 'WHC_SIGNING_PUBLIC_KEY');
    }
    if (!/^whpk_[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new ConfigError('WHC_SIGNING_PUBLIC_KEY is not whpk_ followed by base64');
    return ed25519PublicKey(Buffer.from(text.slice('whpk_'.length), 'base64'), 'WHC_SIGNING_PUBLIC_KEY');
  }
  const secret = env.WHC_SIGNING_SECRET;
  if (!secret) throw new ConfigError('WHC_SIGNING_SECRET is required');
  return scheme.key === 'whsec' ? decodeSecret(secret) : Buffer.from(secret, 'utf8');
}

const ALPHABET = { hex: /^(?:[0-9a-fA-F]{2})+$/, base64: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/ };

/** The signature bytes, or undefined when the text is not exactly in its encoding (Buffer.from
 * would skip what it does not know, and a signature with junk would decode to the valid one). */
export function strictDecode(text, encoding) {
  return text !== '' && ALPHABET[encoding].test(text) ? Buffer.from(text, encoding) : undefined;
}

function signedBytes(scheme, parts, body) {
  return Buffer.concat([...scheme.content(parts), body, ...(scheme.after?.(parts) ?? [])].map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/** The pieces of verification, so a flawed variant can swap one. These are the secure ones. */
export const SECURE_CHECKS = {
  /** The answer when the header of a role (`signature`, `id`, `timestamp`) is absent: 400. A flawed
   * variant answers undefined and carries on. */
  missing: (_role, header) => reject(400, `missing ${header} header`),
  /** Unix seconds, or undefined when the text is not a plain integer. */
  parseTimestamp: (text) => (/^\d+$/.test(text) ? Number(text) : undefined),
  /** Both ways: a date in the future is as suspect as one in the past. */
  withinTolerance: (seconds, now, tolerance) => Math.abs(now - seconds) <= tolerance,
  /** The bytes as received: re-serialized JSON would differ from what was signed. */
  signedBody: (body) => body,
  /** Every entry carrying the scheme's label: any one may match (key rotation). */
  candidates: (entries, label) => entries.filter((e) => e.label === label),
  /** The keys to try. */
  keys: (key) => [key],
  /** Constant-time comparison of strictly decoded bytes of equal length. */
  hmacMatches: (expected, text, encoding) => {
    const candidate = strictDecode(text, encoding);
    return candidate !== undefined && candidate.length === expected.length && timingSafeEqual(candidate, expected);
  },
  /** What to answer when no signature matched: 401. */
  mismatch: () => reject(401, 'no matching signature'),
};

function matches(scheme, key, signed, text, checks) {
  if (scheme.algorithm === 'ed25519') {
    const signature = strictDecode(text, scheme.encoding);
    return signature !== undefined && signature.length === 64 && verify(null, signed, key, signature);
  }
  return checks.hmacMatches(createHmac(scheme.algorithm, key).update(signed).digest(), text, scheme.encoding);
}

/**
 * Verifies one delivery against its scheme: the headers it needs, the timestamp (an integer, within
 * the tolerance both ways), then any signature entry with the right label, over the raw bytes.
 * `checks` swaps pieces for the flawed variants.
 */
export function verifyDelivery({ headers, body, scheme, key, toleranceSeconds, now = unixNow() }, checks = SECURE_CHECKS) {
  const signatureText = headerValue(headers, scheme.signatureHeader);
  const absent = (role, header, value) => (value === undefined ? checks.missing(role, header) : undefined);
  const noSignature = absent('signature', scheme.signatureHeader, signatureText);
  if (noSignature) return noSignature;
  const parsed = signatureText === undefined ? { entries: [] } : scheme.parse(signatureText);
  const parts = {};
  if (scheme.idHeader) {
    parts.id = headerValue(headers, scheme.idHeader);
    const noId = absent('id', scheme.idHeader, parts.id);
    if (noId) return noId;
  }
  if (scheme.timestampHeader !== undefined || scheme.timestampInSignature) {
    parts.timestamp = scheme.timestampInSignature ? parsed.timestamp : headerValue(headers, scheme.timestampHeader);
    const noTimestamp = absent('timestamp', scheme.timestampHeader ?? 't= in the signature', parts.timestamp);
    if (noTimestamp) return noTimestamp;
    if (parts.timestamp !== undefined) {
      const seconds = checks.parseTimestamp(parts.timestamp);
      if (seconds === undefined) return reject(400, 'timestamp is not an integer');
      if (!checks.withinTolerance(seconds, now, toleranceSeconds)) return reject(401, 'timestamp outside tolerance');
    }
  }
  const signed = signedBytes(scheme, { id: parts.id ?? '', timestamp: parts.timestamp ?? '' }, checks.signedBody(body));
  const candidates = checks.candidates(parsed.entries, scheme.label);
  const keys = scheme.algorithm === 'ed25519' ? [key] : checks.keys(key);
  if (candidates.some((entry) => keys.some((k) => matches(scheme, k, signed, entry.value, checks)))) return { ok: true };
  return checks.mismatch();
}

/** The delivery's webhook id, for the replay store and the events file: the signed id header when
 * the scheme has one, else the provider's delivery id header (GitHub's `X-GitHub-Delivery`), else
 * the id field of the JSON body (`id`; Slack's `event_id`), authentic once the signature is verified. */
export function deliveryId(scheme, headers, body) {
  const header = scheme?.idHeader ?? scheme?.deliveryIdHeader;
  if (header) return headerValue(headers, header);
  try {
    const id = JSON.parse(body.toString('utf8'))?.[scheme?.deliveryIdField ?? 'id'];
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}
