import { ALLOWED_CLIENT_SUBJECT } from '../../certs/index.js';
import type { ConnectionSpec, DeliverySpec, SignatureSpec } from '../model.js';
import { homeGrownEvent, type Profile, type ProviderEvent, type SignatureEntry, type SignedParts } from '../profiles/index.js';
import { clientCertProxyHeaders } from './proxy-headers.js';

/** One request, fully built: what `deliver` sends. */
export interface Delivery {
  /** The client identity's name, or null for no client certificate. */
  identity: string | null;
  webhookId: string;
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** How the connection departs from the default one. */
  connection?: ConnectionSpec;
}

export interface DeliveryContext {
  /** null when the listener checks no signature. */
  profile: Profile | null;
  /** What the harness signs with: the shared secret the listener trusts, or an asymmetric
   * profile's private key (the listener trusts its public key). */
  signingKey: string;
  /** Two other keys of the same form, for wrong signatures. */
  wrongKeys: readonly [string, string];
  toleranceSeconds: number;
  path: string;
  /** Unix seconds. */
  now: number;
  webhookId: string;
  /** The valid client certificate (PEM), for deliveries whose headers claim a proxy verified it. */
  proxiedCertPem?: string;
}

/** Outside the tolerance by this much, so clock skew between harness and listener cannot matter. */
export const TOLERANCE_MARGIN_SECONDS = 60;

/** The last digit of the body changed: one byte, still JSON, no longer what was signed. */
function tampered(body: Buffer): Buffer {
  const text = body.toString();
  const at = text.search(/\d(?!.*\d)/s);
  if (at < 0) throw new Error('an event body without a digit cannot be tampered with in one byte');
  return Buffer.from(`${text.slice(0, at)}${(Number(text[at]) + 1) % 10}${text.slice(at + 1)}`);
}

/** A string as JSON no serializer writes: its first character and every non-ASCII one as `\u`
 * escapes, `/` as `\/`. */
function looseString(text: string): string {
  const escaped = text.split('').map((c, i) => (i === 0 || c > '\x7e' ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c === '/' ? '\\/' : JSON.stringify(c).slice(1, -1)));
  return `"${escaped.join('')}"`;
}

function looseJson(value: unknown): string {
  if (typeof value === 'string') return looseString(value);
  if (Array.isArray(value)) return `[ ${value.map(looseJson).join(' ,')} ]`;
  if (value !== null && typeof value === 'object') {
    // Keys in reverse order, spaces before colons, tabs after commas.
    const fields = Object.entries(value).reverse().map(([k, v]) => `"${k}" : ${looseJson(v)}`);
    return `{ ${fields.join(',\t')} }`;
  }
  return JSON.stringify(value);
}

/** The same event as JSON no serializer writes: `\u` and `\/` escapes, spaces and tabs, keys out of
 * order, a trailing newline. A listener that parses and re-serializes before verifying computes over
 * other bytes. */
function nonCanonicalBody(event: ProviderEvent['body']): Buffer {
  return Buffer.from(`${looseJson(event)}\n`);
}

function signedTimestamp(spec: SignatureSpec, ctx: DeliveryContext): string {
  const beyond = ctx.toleranceSeconds + TOLERANCE_MARGIN_SECONDS;
  switch (spec.timestamp ?? 'now') {
    case 'now':
      return String(ctx.now);
    case 'stale':
      return String(ctx.now - beyond);
    case 'future':
      return String(ctx.now + beyond);
    case 'earlier':
      return String(ctx.now - Math.max(1, Math.floor(ctx.toleranceSeconds / 2)));
    case 'not-numeric':
      return new Date(ctx.now * 1000).toISOString();
  }
}

/** Characters a valid value of that encoding never holds. */
const NOT_ENCODED = { hex: 'zz', base64: '*!' } as const;

/** Where two characters of a value are replaced, searching from its start or its end: never over
 * a `00` byte of a hex value, which a lenient decoder (an invalid digit read as 0, as
 * discord-interactions does) would turn back into the valid signature. Pure. */
function replaceablePair(value: string, encoding: Profile['encoding'], from: 'start' | 'end'): number {
  const starts = Array.from({ length: Math.floor(value.length / 2) }, (_, i) => (from === 'start' ? 2 * i : value.length - 2 - 2 * i));
  return starts.find((at) => encoding !== 'hex' || value.slice(at, at + 2) !== '00') ?? 0;
}

function replacePair(value: string, at: number, text: string): string {
  return value.slice(0, at) + text + value.slice(at + 2);
}

export function alterValue(value: string, how: NonNullable<SignatureSpec['value']>, encoding: Profile['encoding']): string {
  switch (how) {
    case 'truncated':
      return value.slice(0, Math.floor(value.length / 2));
    case 'not-encoded':
      return replacePair(value, replaceablePair(value, encoding, 'start'), NOT_ENCODED[encoding]);
    case 'odd-length':
      // A lenient decoder drops the extra character and finds the valid digest.
      return `${value}a`;
    case 'multibyte':
      // Same character count, more bytes: a length check on the text passes, one on the bytes does not.
      return replacePair(value, replaceablePair(value, encoding, 'end'), 'éé');
  }
}

function signatureEntries(spec: SignatureSpec, profile: Profile, sign: (key: string) => Buffer, ctx: DeliveryContext): SignatureEntry[] {
  const entry = (key: string): SignatureEntry => ({ label: profile.label, value: sign(key).toString(profile.encoding) });
  const [wrong, otherWrong] = ctx.wrongKeys;
  if (spec.signatures === 'wrong-then-valid') return [entry(wrong), entry(ctx.signingKey)];
  if (spec.signatures === 'two-wrong') return [entry(wrong), entry(otherWrong)];
  const key = spec.key === 'wrong' ? wrong : spec.key === 'empty' ? '' : ctx.signingKey;
  const valid = entry(key);
  return [
    {
      label: spec.wrongLabel ? (profile.wrongLabel ?? profile.label) : valid.label,
      value: spec.value ? alterValue(valid.value, spec.value, profile.encoding) : valid.value,
    },
  ];
}

/** `webhook-signature` → `wEbHoOk-SiGnAtUrE`: header names are case-insensitive (RFC 9110 §5.1). */
function unusualCase(name: string): string {
  return [...name].map((c, i) => (i % 2 === 0 ? c.toLowerCase() : c.toUpperCase())).join('');
}

function signatureHeaders(spec: SignatureSpec, ctx: DeliveryContext, profile: Profile, signedBody: Buffer): Record<string, string> {
  const omitted = new Set(spec.omit ?? []);
  const timestamp = signedTimestamp(spec, ctx);
  // An omitted part is signed as empty text: what a listener that carries on without it computes.
  const signed = { id: omitted.has('id') ? '' : ctx.webhookId, timestamp: omitted.has('timestamp') ? '' : timestamp };
  const sign = (signingKey: string) => profile.sign({ ...signed, body: signedBody, signingKey });
  const parts: SignedParts = {
    ...(omitted.has('id') ? {} : { id: ctx.webhookId }),
    ...(omitted.has('timestamp') ? {} : { timestamp: spec.sentTimestamp === 'now' ? String(ctx.now) : timestamp }),
    entries: omitted.has('signature') ? [] : signatureEntries(spec, profile, sign, ctx),
  };
  const headers = profile.render(parts);
  if (spec.headerCase !== 'unusual') return headers;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [unusualCase(name), value]));
}

/** Builds the request a scenario sends. Pure: time, ids and keys come in through `ctx`, so the same
 * spec and context give the same bytes (a replay is the same delivery built twice). */
export function buildDelivery(spec: DeliverySpec, ctx: DeliveryContext): Delivery {
  const sig = spec.signature;
  // The provider's own event and headers, so a listener on the provider's SDK handles it.
  const event = ctx.profile ? ctx.profile.event(ctx.webhookId, ctx.now) : homeGrownEvent(ctx.webhookId);
  const signed = sig.body === 'non-canonical' ? nonCanonicalBody(event.body) : Buffer.from(JSON.stringify(event.body));
  const body = sig.tamperBody ? tampered(signed) : signed;
  const headers: Record<string, string> = {
    ...event.headers,
    ...(ctx.profile ? signatureHeaders(sig, ctx, ctx.profile, signed) : {}),
    ...(spec.headers === 'client-cert-proxy' ? clientCertProxyHeaders(ctx.proxiedCertPem ?? '', ALLOWED_CLIENT_SUBJECT) : {}),
  };
  const connection = spec.connection ? { connection: spec.connection } : {};
  return { identity: spec.identity, webhookId: ctx.webhookId, method: 'POST', path: ctx.path, headers, body, ...connection };
}
