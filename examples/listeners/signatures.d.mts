// Types for signatures.mjs, so TypeScript tests can import it under strict settings.
import type { KeyObject } from 'node:crypto';

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;
export type Rejection = { ok: false; status: number; reason: string };
export type CheckResult = { ok: true } | Rejection;
export type Encoding = 'hex' | 'base64';

export interface SignatureEntry {
  label: string;
  value: string;
}

export interface SignedParts {
  id: string;
  timestamp: string;
}

export interface Scheme {
  signatureHeader: string;
  idHeader?: string;
  timestampHeader?: string;
  timestampInSignature?: boolean;
  parse(text: string): { timestamp?: string; entries: SignatureEntry[] };
  content(parts: SignedParts): string[];
  after?(parts: SignedParts): string[];
  algorithm: 'sha256' | 'sha512' | 'ed25519';
  label: string;
  encoding: Encoding;
  key: 'whsec' | 'whpk' | 'text' | 'hex-public';
}

export type VerificationKey = Buffer | KeyObject;

export interface DeliveryInput {
  headers: RequestHeaders;
  body: Uint8Array;
  scheme: Scheme;
  key: VerificationKey;
  toleranceSeconds: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

export interface Checks {
  missing(role: 'signature' | 'id' | 'timestamp', header: string): Rejection | undefined;
  parseTimestamp(text: string): number | undefined;
  withinTolerance(seconds: number, now: number, tolerance: number): boolean;
  signedBody(body: Uint8Array): Uint8Array;
  candidates(entries: SignatureEntry[], label: string): SignatureEntry[];
  keys(key: Buffer): Buffer[];
  hmacMatches(expected: Buffer, text: string, encoding: Encoding): boolean;
  mismatch(): CheckResult;
}

export class ConfigError extends Error {}
export function reject(status: number, reason: string): Rejection;
export function headerValue(headers: RequestHeaders, name: string): string | undefined;
export function unixNow(): number;
export const SCHEMES: Readonly<Record<string, Scheme>>;
export const PROFILES: readonly string[];
export function genericScheme(text: string | undefined): Scheme;
export function decodeSecret(secret: string): Buffer;
export function verificationKey(scheme: Scheme, env: Readonly<Record<string, string | undefined>>): VerificationKey;
export function strictDecode(text: string, encoding: Encoding): Buffer | undefined;
export const SECURE_CHECKS: Checks;
export function verifyDelivery(input: DeliveryInput, checks?: Checks): CheckResult;
export function deliveryId(scheme: Scheme | undefined, headers: RequestHeaders, body: Uint8Array): string | undefined;
