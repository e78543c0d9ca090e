import type { HeaderRole, ProfileFeature } from '../model.js';

/** What a profile signs: the parts as they are sent (text, so a scenario can send a timestamp that
 * is not a number), and the raw body bytes. */
export interface SigningInput {
  id: string;
  timestamp: string;
  body: Buffer;
  /** What the harness signs with: the shared secret as the provider hands it out, or the private
   * key of an asymmetric scheme. */
  signingKey: string;
}

/** The key material of one profile: what the harness signs with, and for an asymmetric scheme the
 * public key the listener verifies with (`WHC_SIGNING_PUBLIC_KEY`). */
export interface SigningKeys {
  /** The shared secret, or an asymmetric scheme's private key (in `secrets.json`: its `secret`). */
  signingKey: string;
  publicKey?: string;
}

/** One signature as it appears in a header: its scheme label (`v1`, `sha256`; empty when the scheme
 * has none) and its encoded value. */
export interface SignatureEntry {
  label: string;
  value: string;
}

/** What the signature headers carry. An absent id or timestamp is left out of the headers. */
export interface SignedParts {
  id?: string;
  timestamp?: string;
  /** Empty: no signature header at all. */
  entries: SignatureEntry[];
}

/** What a provider sends besides the signature: its own event, and the headers that describe it. */
export interface ProviderEvent {
  /** Event type, delivery id, user agent, API version, … as the provider spells them. */
  headers: Record<string, string>;
  /** The event, as the provider's JSON. */
  body: Record<string, unknown>;
}

/** A provider's signature scheme and delivery: what it signs, how, which headers carry it, and what
 * else a delivery of that provider looks like, so a listener on the provider's own SDK accepts it. */
export interface Profile {
  name: string;
  /** Its headers and what it signs, in one line (`list` prints it). */
  description: string;
  /** The provider's documentation of the scheme. */
  reference: string;
  /** The SDK call (or the documented code, where no SDK verifies) that checks this scheme: what a
   * signature failure's fix names. */
  verifier: string;
  /** Deliveries the SDK named in `verifier` is known to let through, by scenario id: the check to add
   * (the fix reports show instead of the general one). */
  sdkGaps?: Readonly<Record<string, string>>;
  /** A delivery id in the provider's format (a UUID for GitHub, `evt_…` for Stripe). */
  newId(): string;
  /** The provider's event for that delivery id, sent at `now` (unix seconds). */
  event(id: string, now: number): ProviderEvent;
  features: readonly ProfileFeature[];
  /** The headers a delivery carries, by role, spelled as the provider does (Stripe's timestamp is
   * inside its signature header; an id header may be unsigned). */
  headers: Partial<Record<HeaderRole, string>>;
  /** The label valid signatures carry, and one the listener must refuse (schemes with labels). */
  label: string;
  wrongLabel?: string;
  encoding: 'hex' | 'base64';
  /** Fresh random keys in the provider's format. */
  generateKeys(): SigningKeys;
  /** The signature bytes over the scheme's signed content. */
  sign(input: SigningInput): Buffer;
  /** The headers that carry the parts, each name spelled as the provider does. */
  render(parts: SignedParts): Record<string, string>;
}

/** Renders entries the usual way: `label<separator>value`, joined by `joiner`. */
export function joinEntries(entries: readonly SignatureEntry[], separator: string, joiner: string): string {
  return entries.map((e) => (e.label === '' ? e.value : `${e.label}${separator}${e.value}`)).join(joiner);
}

/** Adds `name: value` when the value is there. */
export function present(name: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [name]: value };
}
