import type { HeaderRole } from '../model.js';

export interface SigningInput {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: Buffer;
  secret: string;
}

/** A provider's signature scheme: how to sign and which header carries what. */
export interface Profile {
  name: string;
  description: string;
  /** Header name per role; a role the scheme lacks is absent. */
  headers: Partial<Record<HeaderRole, string>>;
  /** A fresh random secret in the provider's format. */
  generateSecret(): string;
  /** The complete set of signature headers for one delivery. */
  sign(input: SigningInput): Record<string, string>;
}
