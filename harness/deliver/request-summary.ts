import type { Delivery } from './request.js';
import type { RequestSummary } from '../model.js';

/** A run of signature characters (hex, base64, base64url) long enough to be a digest or key. */
const DIGEST = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const KEPT = 4;

/** A signature header's value with each digest cut to its first characters: labels, separators and
 * timestamps stay readable (`v1,g0hM…`, `t=1614265330,v1=5257…`), the digests do not leak. */
export function maskSignature(value: string): string {
  return value.replace(DIGEST, (digest) => `${digest.slice(0, KEPT)}…`);
}

/** What reports show of a delivery. `signatureHeader` is the profile's signature header name. Pure. */
export function summarizeRequest(delivery: Delivery, signatureHeader: string | undefined): RequestSummary {
  const masked = signatureHeader?.toLowerCase();
  const headers = Object.fromEntries(
    Object.entries(delivery.headers).map(([name, value]) => [name, name.toLowerCase() === masked ? maskSignature(value) : value]),
  );
  return { identity: delivery.identity, method: delivery.method, path: delivery.path, headers, bodyBytes: delivery.body.length };
}
