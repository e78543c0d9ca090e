// The named client identities, as data: a new identity is a new entry here, not a change to the builder.

export const ALLOWED_CLIENT_SUBJECT = 'CN=webhooks.example.test';

/** Who signs the leaf: the trusted client intermediate, the untrusted rogue CA, or the leaf's own key. */
export type IdentityIssuer = 'client-intermediate' | 'rogue-ca' | 'self';

/** Validity in whole days relative to the build's `now`. */
export interface ValidityDays {
  readonly fromDays: number;
  readonly toDays: number;
}

/**
 * One catalog entry. Optional fields describe how it departs from a valid identity, so later
 * identities (key usage, EKU, RSA keys, extra extensions, chain not sent …) add fields here.
 */
export interface IdentitySpecFields {
  readonly name: string;
  /** One line: what this identity is, for listings and reports. */
  readonly description: string;
  readonly issuer: IdentityIssuer;
  /** Defaults to ALLOWED_CLIENT_SUBJECT. */
  readonly subject?: string;
  readonly validity: ValidityDays;
  /** Listed in the client intermediate's CRL. */
  readonly revoked?: true;
}

const CURRENT: ValidityDays = { fromDays: -1, toDays: 30 };

const catalog = [
  {
    name: 'valid',
    description: 'allowed subject, issued by the trusted client intermediate, valid now',
    issuer: 'client-intermediate',
    validity: CURRENT,
  },
  {
    name: 'untrusted-ca',
    description: 'allowed subject, issued by a rogue CA the listener does not trust',
    issuer: 'rogue-ca',
    validity: CURRENT,
  },
  {
    name: 'self-signed',
    description: 'allowed subject, self-signed leaf (no CA bit)',
    issuer: 'self',
    validity: CURRENT,
  },
  {
    name: 'expired',
    description: 'allowed subject, trusted chain, expired yesterday',
    issuer: 'client-intermediate',
    validity: { fromDays: -30, toDays: -1 },
  },
  {
    name: 'not-yet-valid',
    description: 'allowed subject, trusted chain, valid from tomorrow',
    issuer: 'client-intermediate',
    validity: { fromDays: 1, toDays: 30 },
  },
  {
    name: 'revoked',
    description: "allowed subject, trusted chain, valid now, revoked in the intermediate's CRL",
    issuer: 'client-intermediate',
    validity: CURRENT,
    revoked: true,
  },
] as const satisfies readonly IdentitySpecFields[];

export type IdentityName = (typeof catalog)[number]['name'];

export interface IdentitySpec extends IdentitySpecFields {
  readonly name: IdentityName;
}

export const IDENTITY_CATALOG: readonly IdentitySpec[] = catalog;
