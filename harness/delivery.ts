import type { DeliverySpec } from './model.js';
import type { Profile } from './profiles/index.js';

/** One request, fully built: what `deliver` sends. */
export interface Delivery {
  /** The client identity's name, or null for no client certificate. */
  identity: string | null;
  webhookId: string;
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryContext {
  /** null when the listener checks no signature. */
  profile: Profile | null;
  secret: string;
  /** Another secret of the same form, for `key: 'wrong'`. */
  wrongSecret: string;
  toleranceSeconds: number;
  path: string;
  /** Unix seconds. */
  now: number;
  webhookId: string;
}

/** Outside the tolerance by this much, so clock skew between harness and listener cannot matter. */
export const TOLERANCE_MARGIN_SECONDS = 60;

function eventBody(webhookId: string, amount: number): Buffer {
  return Buffer.from(JSON.stringify({ type: 'invoice.paid', id: webhookId, data: { amount, currency: 'EUR' } }));
}

function timestampFor(spec: DeliverySpec['signature'], ctx: DeliveryContext): number {
  const beyond = ctx.toleranceSeconds + TOLERANCE_MARGIN_SECONDS;
  if (spec.timestamp === 'stale') return ctx.now - beyond;
  if (spec.timestamp === 'future') return ctx.now + beyond;
  return ctx.now;
}

function signatureHeaders(spec: DeliverySpec['signature'], ctx: DeliveryContext, profile: Profile, body: Buffer) {
  const headers = profile.sign({
    id: ctx.webhookId,
    timestamp: timestampFor(spec, ctx),
    body,
    secret: spec.key === 'wrong' ? ctx.wrongSecret : ctx.secret,
  });
  for (const role of spec.omit ?? []) {
    const name = profile.headers[role];
    if (name) delete headers[name];
  }
  return headers;
}

/** Builds the request a scenario sends. Pure: time, ids and secrets come in through `ctx`. */
export function buildDelivery(spec: DeliverySpec, ctx: DeliveryContext): Delivery {
  const signed = eventBody(ctx.webhookId, 1000);
  const body = spec.signature.tamperBody ? eventBody(ctx.webhookId, 9000) : signed;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(ctx.profile ? signatureHeaders(spec.signature, ctx, ctx.profile, signed) : {}),
  };
  return { identity: spec.identity, webhookId: ctx.webhookId, method: 'POST', path: ctx.path, headers, body };
}
